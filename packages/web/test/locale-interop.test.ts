/**
 * Parity with Python Tornado 6.2 (Debian's python3-tornado): generated inputs go through
 * Tornado's own code and ours, and the answers must match. Each test sends one seeded batch
 * to a single `/usr/bin/python3` process as JSON on stdin.
 */
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import fc from 'fast-check';
import { afterEach, describe, expect, test } from 'vitest';
import { parseAcceptLanguage } from '../src/locale/accept-language.js';
import { CSVLocale } from '../src/locale/csv-locale.js';
import { parseCsvRows } from '../src/locale/csv-rows.js';
import { Locale } from '../src/locale/locale.js';
import { localeRegistry } from '../src/locale/locale-registry.js';
import { compilePluralExpression } from '../src/locale/plural-forms.js';

const PYTHON = '/usr/bin/python3';

function tornadoInstalled(): boolean {
  try {
    execFileSync(PYTHON, ['-c', 'import tornado.locale'], { cwd: tmpdir(), stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const hasTornado = tornadoInstalled();

function python<T>(script: string, input: unknown): T {
  const out = execFileSync(PYTHON, ['-c', script], {
    cwd: tmpdir(),
    input: JSON.stringify(input),
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(out.toString('utf8')) as T;
}

const FORMAT_DATE = `
import json, sys, types, datetime as real
import tornado.locale as L
state = {}
class Clock(real.datetime):
    @classmethod
    def utcnow(cls):
        return state["now"]
L.datetime = types.SimpleNamespace(datetime=Clock, timedelta=real.timedelta)
out = []
for c in json.load(sys.stdin):
    state["now"] = real.datetime.utcfromtimestamp(c["now"] / 1000)
    locale = L.CSVLocale(c["code"], {})
    out.append(locale.format_date(c["date"] / 1000, gmt_offset=c["gmtOffset"], relative=c["relative"],
                                  shorter=c["shorter"], full_format=c["fullFormat"]))
json.dump(out, sys.stdout)
`;

const BROWSER_LOCALE = `
import json, sys, types
import tornado.locale as L
from tornado.web import RequestHandler
data = json.load(sys.stdin)
L._translations = {}
L._supported_locales = frozenset(data["supported"] + ["en_US"])
out = []
for header in data["headers"]:
    fake = types.SimpleNamespace(request=types.SimpleNamespace(headers={"Accept-Language": header}))
    out.append(RequestHandler.get_browser_locale(fake).code)
json.dump(out, sys.stdout)
`;

const CSV_ROWS = `
import csv, io, json, sys
json.dump([list(csv.reader(io.StringIO(text, newline=None))) for text in json.load(sys.stdin)], sys.stdout)
`;

const PLURALS = `
import gettext, json, sys
data = json.load(sys.stdin)
json.dump([[gettext.c2py(rule)(n) for n in data["counts"]] for rule in data["rules"]], sys.stdout)
`;

afterEach(() => localeRegistry.reset());

const skipNote = hasTornado ? '' : ' (skipped: python3-tornado not installed)';

describe.skipIf(!hasTornado)(`interop with Python Tornado${skipNote}`, () => {
  test('formatDate matches format_date across dates, offsets, options and clocks', () => {
    const DAY = 86_400_000;
    const arb = fc
      .record({
        now: fc.integer({ min: 946_684_800_000, max: 1_900_000_000_000 }),
        delta: fc.oneof(
          fc.integer({ min: -120_000, max: 4 * 3_600_000 }),
          fc.integer({ min: -2 * DAY, max: 6 * DAY }),
          fc.integer({ min: 300 * DAY, max: 340 * DAY }),
          fc.integer({ min: 0, max: 900 * DAY }),
        ),
        gmtOffset: fc.integer({ min: -840, max: 840 }),
        relative: fc.boolean(),
        shorter: fc.boolean(),
        fullFormat: fc.boolean(),
        code: fc.constantFrom('en_US', 'en', 'zh_CN', 'de_DE', 'fr'),
      })
      // Tornado reads a date more than a day ahead as "now" when only the seconds part of the
      // gap is under a minute; we do not (PARITY-locale.md), so those inputs are left out.
      .filter(({ delta, relative }) => !(relative && delta <= -60_000 && -delta % DAY < 60_000));
    const cases = fc
      .sample(arb, { numRuns: 600, seed: 2013_04_28 })
      .map((c) => ({ ...c, date: c.now - c.delta }));
    const expected = python<string[]>(FORMAT_DATE, cases);
    const actual = cases.map((c) =>
      new Locale(c.code).formatDate(c.date / 1000, {
        now: c.now / 1000,
        gmtOffset: c.gmtOffset,
        relative: c.relative,
        shorter: c.shorter,
        fullFormat: c.fullFormat,
      }),
    );
    expect(actual).toEqual(expected);
  });

  test('Accept-Language picks the same locale as get_browser_locale', () => {
    const supported = ['fr', 'fr_CA', 'de_DE', 'es', 'zh_CN', 'pt_BR'];
    localeRegistry.install(
      new Map(supported.map((code) => [code, (c: string) => new CSVLocale(c, {})] as const)),
    );
    const tag = fc.constantFrom(
      'en',
      'en-US',
      'fr',
      'fr-ca',
      'FR-CA',
      'de-DE',
      'de',
      'es-MX',
      'ES',
    );
    const more = fc.constantFrom('zh-Hans-CN', 'zh_cn', 'pt-br', 'pt', '*', '', 'x-klingon', 'it');
    const param = fc.constantFrom(
      '',
      ';q=0',
      ';q=1',
      ';q=0.5',
      ';q=0.8',
      ';q=.5',
      ';q=abc',
      ';q=-1',
      ';q=1e-3',
      ';q=nan',
      ';q=inf',
      ';q=1_0',
      ';q= 0.3',
      ';level=1',
      ';level=1;q=0.9',
    );
    const entry = fc.tuple(fc.oneof(tag, more), param).map(([t, p]) => t + p);
    const header = fc
      .tuple(fc.array(entry, { minLength: 0, maxLength: 6 }), fc.constantFrom(',', ', ', ' ,  '))
      .map(([entries, sep]) => entries.join(sep));
    const headers = fc.sample(header, { numRuns: 500, seed: 4 });
    const expected = python<string[]>(BROWSER_LOCALE, { supported, headers });
    const actual = headers.map((h) => {
      const codes = parseAcceptLanguage(h);
      return (codes.length > 0 ? Locale.get(...codes) : Locale.get('en_US')).code;
    });
    expect(actual).toEqual(expected);
  });

  test("CSV rows split exactly as Python's csv module reads a text file", () => {
    const text = fc
      .array(fc.constantFrom('a', 'b', '"', ',', '\n', '\r', '\r\n', ' ', '\u00e9'), {
        maxLength: 30,
      })
      .map((parts) => parts.join(''));
    const texts = fc.sample(text, { numRuns: 500, seed: 7 });
    expect(texts.map(parseCsvRows)).toEqual(python<string[][][]>(CSV_ROWS, texts));
  });

  test('plural expressions pick the same form as gettext.c2py', () => {
    const rules = [
      'n != 1',
      '(n != 1)',
      'n > 1',
      '(n > 1)',
      '0',
      'n==1 ? 0 : 1',
      'n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2',
      'n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2',
      'n==1 ? 0 : (n==0 || (n%100 > 0 && n%100 < 20)) ? 1 : 2',
      'n%100==1 ? 0 : n%100==2 ? 1 : n%100==3 || n%100==4 ? 2 : 3',
      'n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5',
      '(n==1) ? 0 : (n>=2 && n<=4) ? 1 : 2',
      'n % 10 == 1 && n % 100 != 11 ? 0 : n != 0 ? 1 : 2',
      'n/10 + n*2 - 3 < 40',
    ];
    const counts = Array.from({ length: 230 }, (_, i) => i);
    const actual = rules.map((rule) => counts.map(compilePluralExpression(rule)));
    expect(actual).toEqual(python<number[][]>(PLURALS, { rules, counts }));
  });
});
