// Hello world on one process against one process per CPU: `server.bind(port); server.start(1)`
// vs `server.start(0)` (node:cluster workers sharing the port), measured in the same run.
//
// Each configuration runs as its own process tree; the load comes from wrk when installed, else
// from the small Node keep-alive load generator. Nothing is pinned: pinning the server to one CPU
// would stop the workers from spreading, so the load generator competes with the server for the
// cores (on a 2-core machine that caps what the second worker can add; the printout says how
// many cores there are). Reported per configuration: requests per second, the CPU time of the
// whole server tree (primary + workers, user + system from /proc/<pid>/stat) as cores kept busy
// and per request, and how busy the whole machine was (/proc/stat). Bounded in time; it ends only
// the processes it started: the server's primary and the workers it reported, by PID.
//
// Run: npx tsc -b packages/httpserver && node packages/httpserver/bench/multiprocess.mjs
// Options: BENCH_SECONDS=5 BENCH_CONNECTIONS=50 BENCH_PROCESSES=1,0
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { cpuSeconds, freePort, runToEnd, tools } from '../../../tooling/bench/http-load.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const PROCESSES = (process.env.BENCH_PROCESSES ?? '1,0').split(',').map(Number);
const SELF = fileURLToPath(import.meta.url);
const LOAD_SCRIPT = fileURLToPath(
  new URL('../../../tooling/bench/http-load-generator.js', import.meta.url),
);
const CPUS = os.availableParallelism();

// ---- the server (one process tree per configuration) ---------------------------------------

async function serve(numProcesses, port) {
  const { helloServer } = await import('./hello-server.mjs');
  const server = helloServer();
  // Everything above runs in the primary and again in every worker (node:cluster re-runs the
  // script); start() forks, and each worker binds the shared port. In the primary (with
  // numProcesses other than 1) start() never resolves: the primary only supervises.
  server.bind(port, '127.0.0.1');
  await server.start(numProcesses);
  console.log(`ready ${process.pid}`);
}

// ---- the driver -------------------------------------------------------------------------------

/** Busy and total jiffies of the whole machine, from /proc/stat. */
function machineTicks() {
  const fields = readFileSync('/proc/stat', 'latin1').split('\n')[0].trim().split(/\s+/).slice(1);
  const values = fields.map(Number);
  const total = values.reduce((a, b) => a + b, 0);
  const idle = values[3] + (values[4] ?? 0);
  return { busy: total - idle, total };
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Starts the server tree; resolves with the PIDs of the processes serving, once all listen. */
function startServer(numProcesses, port) {
  const expected = numProcesses === 1 ? 1 : numProcesses <= 0 ? CPUS : numProcesses;
  const child = spawn(process.execPath, [SELF, '--serve', String(numProcesses), String(port)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const workers = new Set();
  const ready = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the server did not start in 20 s')), 20_000);
    let buffered = '';
    child.stdout.on('data', (d) => {
      buffered += d;
      for (const match of buffered.matchAll(/ready (\d+)/g)) workers.add(Number(match[1]));
      if (workers.size >= expected) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the server exited with ${code}`));
    });
  });
  return { child, workers, ready };
}

/**
 * Ends the server tree by PID: the primary first (so it restarts no worker), then the workers
 * it reported.
 */
async function stopServer({ child, workers }) {
  const pids = [child.pid, ...workers].filter((pid) => pid !== undefined);
  for (const pid of pids) {
    if (alive(pid)) process.kill(pid, 'SIGKILL');
  }
  const until = Date.now() + 5000;
  while (pids.some(alive) && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
}

/** Puts `seconds` of keep-alive load on the port after a one-second warm-up; returns requests. */
async function load(port, onStart) {
  const url = `http://127.0.0.1:${port}/`;
  if (tools.wrk) {
    await runToEnd('wrk', ['-t1', `-c${CONNECTIONS}`, '-d1s', url], 30);
    onStart();
    const out = await runToEnd(
      'wrk',
      ['-t1', `-c${CONNECTIONS}`, `-d${SECONDS}s`, url],
      SECONDS + 30,
    );
    return Number(/(\d+) requests in/.exec(out)?.[1] ?? Number.NaN);
  }
  const child = spawn(
    process.execPath,
    [LOAD_SCRIPT, String(port), '/', String(CONNECTIONS), String(SECONDS), 'Hello, world'],
    { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] },
  );
  child.on('message', onStart);
  let out = '';
  child.stdout.on('data', (d) => {
    out += d;
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), (SECONDS + 30) * 1000);
  await new Promise((resolve) => child.on('exit', resolve));
  clearTimeout(timer);
  return JSON.parse(out).answers;
}

async function measureConfiguration(numProcesses) {
  const port = await freePort();
  const server = startServer(numProcesses, port);
  try {
    await server.ready;
    const pids = [...server.workers];
    if (numProcesses !== 1 && server.child.pid !== undefined) pids.push(server.child.pid);
    const perProcess = () => pids.map((pid) => cpuSeconds(pid));
    let cpuBefore = pids.map(() => 0);
    let machineBefore = machineTicks();
    let started = 0;
    const requests = await load(port, () => {
      cpuBefore = perProcess();
      machineBefore = machineTicks();
      started = performance.now();
    });
    const elapsed = (performance.now() - started) / 1000;
    const used = perProcess().map((seconds, i) => seconds - (cpuBefore[i] ?? 0));
    const cpu = used.reduce((a, b) => a + b, 0);
    const machine = machineTicks();
    const busy = (machine.busy - machineBefore.busy) / (machine.total - machineBefore.total);
    return {
      configuration: numProcesses === 1 ? 'start(1)' : `start(${numProcesses})`,
      processes: server.workers.size,
      'req/s': Math.round(requests / SECONDS),
      'server CPU (cores busy)': Number((cpu / elapsed).toFixed(2)),
      'server CPU µs/request': Number(((cpu / requests) * 1e6).toFixed(1)),
      // Workers first, then the primary (which only hands out connections and supervises).
      'cores busy by process': used.map((seconds) => (seconds / elapsed).toFixed(2)).join(' + '),
      'machine busy': `${Math.round(busy * 100)}%`,
    };
  } finally {
    await stopServer(server);
  }
}

async function main() {
  if (process.argv[2] === '--serve') {
    return serve(Number(process.argv[3]), Number(process.argv[4]));
  }
  // A hard bound on the whole run, whatever happens to a child.
  const bound = setTimeout(
    () => {
      console.error('multiprocess benchmark: time limit reached');
      process.exit(1);
    },
    PROCESSES.length * (SECONDS + 90) * 1000,
  );
  console.log(
    `hello world, keep-alive, ${CONNECTIONS} connections, ${SECONDS} s each; load: ${tools.wrk ? 'wrk -t1' : 'node load generator'} on the same machine, nothing pinned; node ${process.version}; ${CPUS} CPUs`,
  );
  const rows = [];
  for (const n of PROCESSES) rows.push(await measureConfiguration(n));
  const base = rows[0]['req/s'];
  for (const row of rows) row['vs first'] = `${(row['req/s'] / base).toFixed(2)}x`;
  console.table(rows);
  // The machine-readable summary for `npm run bench`: each configuration against the first.
  const benchRows = rows.slice(1).map((row) => ({
    name: `${row.configuration}, ${row.processes} processes, req/s (${CPUS} CPUs, shared with the load)`,
    ours: row['req/s'],
    peer: base,
    peerName: `${rows[0].configuration}, one process`,
    ratio: row['req/s'] / base,
    unit: 'req/s',
    target: null,
  }));
  console.log(
    `BENCH-JSON ${JSON.stringify({ suite: 'httpserver-multiprocess', rows: benchRows })}`,
  );
  clearTimeout(bound);
}

await main();
