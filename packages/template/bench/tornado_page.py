"""Renders bench/templates/tornado/page.html with Python's Tornado, for bench/run.mjs.

Usage: python3 tornado_page.py ROWS ROUNDS ROUND_MS. Prints one JSON line: the median renders
per second over the rounds, the output size, and the normalised output for the equality check.
"""
import json
import os
import re
import sys
import time

import tornado
from tornado.template import Loader
from tornado.util import ObjectDict

rows_count, rounds, round_ms = (int(arg) for arg in sys.argv[1:4])
notes = [
    "plain note",
    "Tom & Jerry",
    '<script>alert("x")</script>',
    "it's fine",
    "a longer note without anything special in it at all",
]
rows = [
    ObjectDict(
        id=i,
        name=f"User <{i}>" if i % 7 == 0 else f"User {i}",
        email=f"user{i}@example.com",
        note=notes[i % len(notes)],
        active=i % 3 != 0,
    )
    for i in range(1, rows_count + 1)
]
data = dict(
    title='Users & "friends"',
    siteName="Tronada",
    tagline="Templates <fast> & safe",
    user=ObjectDict(name="O'Brien"),
    rows=rows,
)
here = os.path.dirname(os.path.abspath(__file__))
page = Loader(os.path.join(here, "templates", "tornado"), whitespace="all").load("page.html")


def measure():
    deadline = time.perf_counter() + round_ms / 1000
    count = 0
    start = time.perf_counter()
    now = start
    while now < deadline:
        page.generate(**data)
        count += 1
        now = time.perf_counter()
    return count / (now - start)


measure()
rates = sorted(measure() for _ in range(rounds))
html = page.generate(**data).decode()
normalised = re.sub(r"> <", "><", re.sub(r"\s+", " ", html)).strip()
print(json.dumps({"version": tornado.version, "python": sys.version.split()[0],
                  "rate": rates[len(rates) // 2], "bytes": len(html), "normalised": normalised}))
