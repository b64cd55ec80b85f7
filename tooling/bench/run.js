/**
 * `npm run bench`: every Tronada benchmark, each as a ratio against its peers measured in the
 * same run. Not part of the tests. Pass names to run some: `npm run bench -- gen httpserver`.
 *
 * The in-process suites (ioloop, gen) report medians of interleaved rounds of process CPU time;
 * the other suites are the packages' own benchmark scripts, each run in a child process (the
 * server suites run each server in its own process under keep-alive load and report the server's
 * CPU time per request; see tooling/bench/http-load.js). Every script prints one
 * `BENCH-JSON {...}` line; at the end this prints one summary table of ratios and, when every
 * suite ran, writes docs/benchmarks.md with that table and docs/benchmarks.svg (the chart).
 *
 * Options pass through the environment (BENCH_SECONDS, BENCH_CONNECTIONS, ...). BENCH_QUICK=1
 * gives every suite short durations (a few minutes in all); BENCH_NOTE adds a line to the page.
 * Each suite is bounded in time and, with the processes it started, ended when it overruns.
 */
import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { chartSvg } from './chart.js';
import { genBenchmarks } from './gen.bench.js';
import { report } from './harness.js';
import { tools, tornadoPython } from './http-load.js';
import { ioloopBenchmarks } from './ioloop.bench.js';
import {
  BENCH_JSON,
  benchmarksPage,
  parseBenchJson,
  rowsFromHarness,
  summaryTable,
} from './summary.js';

const suites = { ioloop: ioloopBenchmarks, gen: genBenchmarks };
const serverSuites = {
  iostream: '../../packages/iostream/bench/streams.mjs',
  httputil: '../../packages/httputil/bench/parse.mjs',
  httpserver: '../../packages/httpserver/bench/hello.mjs',
  'httpserver-multiprocess': '../../packages/httpserver/bench/multiprocess.mjs',
  web: '../../packages/web/bench/web.mjs',
  websocket: '../../packages/websocket/bench/echo.mjs',
  c10k: './c10k.mjs',
  template: '../../packages/template/bench/run.mjs',
  httpclient: '../../packages/httpclient/bench/fetch.mjs',
};
const { BENCH_QUICK, BENCH_NOTE } = process.env;
const QUICK = BENCH_QUICK === '1';
// Short runs for BENCH_QUICK=1: these defaults for every script, then each one's own sizes.
const quickEnv = {
  all: { BENCH_SECONDS: '1', BENCH_ROUNDS: '3', BENCH_HOLD: '5000' },
  iostream: {
    BENCH_BYTES: String(128 * 1024 * 1024),
    BENCH_ROUNDTRIPS: '1000',
    BENCH_BLOCKS: '20',
  },
  httputil: { BENCH_N: '50000' },
  template: { BENCH_ROUNDS: '5', BENCH_ROUND_MS: '100' },
  httpclient: { BENCH_N: '5000' },
};
const LIMIT_SECONDS = QUICK ? 5 * 60 : 20 * 60;
const only = process.argv.slice(2);
const wanted = (name) => only.length === 0 || only.includes(name);

/** Load averages (1, 5, 15 minutes) as text. */
const loadAverage = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

function tornadoVersion() {
  const python = tornadoPython();
  if (!python) return 'not installed';
  const out = spawnSync(python, [
    '-c',
    'import sys, tornado; print(tornado.version, sys.version.split()[0])',
  ]);
  const [tornado, py] = out.stdout.toString().trim().split(' ');
  return `${tornado} (Python ${py})`;
}

const machine = {
  date: `${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`,
  node: process.version,
  os: `${os.type()} ${os.release()} ${os.arch()}`,
  cpus: os.availableParallelism(),
  cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown CPU',
  memory: `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM`,
  loadStart: loadAverage(),
  loadEnd: '',
  load: `${tools.wrk ? 'wrk' : 'Node load generator'}, ${tools.taskset ? 'server and load pinned to separate CPUs (taskset)' : 'not pinned (no taskset)'}`,
  tornado: tornadoVersion(),
};

let running = null;

/** Ends the running script and every process it started (its process group). */
function stopRunning(signal) {
  if (running?.pid === undefined) return;
  try {
    process.kill(-running.pid, signal);
  } catch {
    // The group is gone already.
  }
}

process.once('SIGINT', () => {
  stopRunning('SIGKILL');
  process.exit(130);
});

/**
 * Runs one benchmark script in its own process group, passing its human output through and
 * keeping its BENCH-JSON rows; ends the group when the script overruns LIMIT_SECONDS.
 */
function runScript(name, script) {
  const path = fileURLToPath(new URL(script, import.meta.url));
  const env = {
    ...(QUICK ? { ...quickEnv.all, ...quickEnv[name] } : {}),
    ...process.env,
  };
  const child = spawn(process.execPath, [path], {
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  running = child;
  const rows = [];
  let pending = '';
  const take = (line) => {
    const parsed = parseBenchJson(line);
    if (parsed) rows.push(...parsed);
    else process.stdout.write(`${line}\n`);
  };
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (text) => {
    const lines = (pending + text).split('\n');
    pending = lines.pop();
    for (const line of lines) take(line);
  });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    stopRunning('SIGKILL');
  }, LIMIT_SECONDS * 1000);
  return new Promise((resolve) => {
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      if (pending) take(pending);
      // Whatever the script left running (a server after a failure) goes with it.
      stopRunning('SIGKILL');
      running = null;
      const problem = timedOut
        ? `stopped after ${LIMIT_SECONDS} s`
        : code !== 0
          ? `failed (exit ${code ?? signal})`
          : rows.length === 0
            ? `printed no ${BENCH_JSON.trim()} line`
            : null;
      resolve({ rows, problem });
    });
  });
}

console.log(
  `Node ${process.version}, ${machine.cpuModel} x${machine.cpus}, load average ${machine.loadStart}${QUICK ? '; quick run (BENCH_QUICK=1)' : ''}; medians of interleaved rounds, process CPU time`,
);
const rows = [];
const failures = [];
for (const [name, suite] of Object.entries(suites)) {
  if (!wanted(name)) continue;
  const results = await suite();
  report(`@tronada/${name}`, results);
  rows.push(...rowsFromHarness(name, results));
}
for (const [name, script] of Object.entries(serverSuites)) {
  if (!wanted(name)) continue;
  console.log(`\n@tronada/${name}`);
  const result = await runScript(name, script);
  rows.push(...result.rows);
  if (result.problem) {
    console.log(`@tronada/${name}: the benchmark ${result.problem}`);
    failures.push(`${name}: the benchmark ${result.problem}`);
  }
}
machine.loadEnd = loadAverage();

console.log('\n## Summary: ratios against the peers (above 1x: Tronada does better)\n');
console.log(summaryTable(rows));
for (const failure of failures) console.log(`- ${failure}`);

if (only.length === 0) {
  const docs = new URL('../../docs/', import.meta.url);
  writeFileSync(new URL('benchmarks.svg', docs), chartSvg(rows));
  const page = benchmarksPage({
    rows,
    machine,
    quick: QUICK,
    note: BENCH_NOTE,
    failures,
    chartFile: 'benchmarks.svg',
  });
  writeFileSync(new URL('benchmarks.md', docs), page);
  console.log('\nWrote docs/benchmarks.md and docs/benchmarks.svg');
} else {
  console.log('\n(Some suites only: docs/benchmarks.md left as it was.)');
}
