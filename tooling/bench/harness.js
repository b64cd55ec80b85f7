/**
 * A small benchmark harness: runs each pair of cases alternately several times and reports the
 * median time of each and their ratio, so both sides of a ratio see the same machine noise.
 */
/** Median of a list of numbers. */
export function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** CPU time (user + system) this process spent running `fn`, in ms. */
async function cpuTime(fn) {
  const start = process.cpuUsage();
  await fn();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

/**
 * Times `ours` and `theirs` (async functions doing the same work) `rounds` times each,
 * interleaved, after one warm-up each. The figure is the process's CPU time (user + system),
 * not wall time, so other load on the machine and idle waits (timers) do not count. Returns
 * medians in ms and the speed ratio (theirs / ours: above 1 means ours is faster).
 */
export async function compare({ name, ours, theirs, rounds = 7 }) {
  await ours();
  await theirs();
  const a = [];
  const b = [];
  for (let i = 0; i < rounds; i++) {
    a.push(await cpuTime(ours));
    b.push(await cpuTime(theirs));
  }
  const oursMs = median(a);
  const theirsMs = median(b);
  return { name, oursMs, theirsMs, speedup: theirsMs / oursMs };
}

/** Prints results as a Markdown table with each target and whether it was met. */
export function report(title, results) {
  console.log(`\n### ${title}\n`);
  console.log(
    '| benchmark | Tronada (CPU ms) | Node baseline (CPU ms) | speed ratio (baseline / Tronada) | target | met |',
  );
  console.log('|---|---:|---:|---:|---|---|');
  for (const r of results) {
    const met = r.check ? (r.check(r.speedup) ? 'yes' : 'no') : '';
    console.log(
      `| ${r.name} | ${r.oursMs.toFixed(1)} | ${r.theirsMs.toFixed(1)} | ${r.speedup.toFixed(2)}x | ${r.target ?? ''} | ${met} |`,
    );
  }
}
