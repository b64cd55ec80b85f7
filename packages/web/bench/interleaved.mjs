// The socket benchmark of web.mjs, interleaved for a shared machine: every target server of a
// scenario is started first, then each round loads each of them in turn (wrk, keep-alive) for a
// short segment, the order rotating from round to round, and the server's CPU time per request
// is taken per segment. Reported: the median of the rounds per server, and each ratio as the
// median of its per-round ratios (the segments of one round ran close together). Load from
// other work then falls on all targets alike instead of on whichever ran at the time.
//
// Run: npx tsc -b packages/web && node packages/web/bench/interleaved.mjs
// Options: BENCH_ROUNDS=5 BENCH_SECONDS=2 BENCH_CONNECTIONS=50 BENCH_SCENARIOS=hello,json
//          BENCH_TARGETS=tronada-web,tronada-callback,fastify (also node, and
//          tronada-web-baseline with BENCH_BASELINE=/path/to/other/web/dist/index.js)
// Python Tornado is only in web.mjs: several times slower, it needs no interleaving.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import {
  cpuSeconds,
  freePort,
  runToEnd,
  tools,
  waitForPort,
} from '../../../tooling/bench/http-load.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 2);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const SCENARIOS = (process.env.BENCH_SCENARIOS ?? 'hello,json').split(',');
const TARGETS = (process.env.BENCH_TARGETS ?? 'tronada-web,tronada-callback,fastify').split(',');
const WEB = fileURLToPath(new URL('./web.mjs', import.meta.url));

function pinned(cpu, command, args) {
  return tools.taskset ? ['taskset', ['-c', String(cpu), command, ...args]] : [command, args];
}

async function start(name) {
  const port = await freePort();
  const [cmd, args] = pinned(0, process.execPath, [WEB, `--serve-${name}`, String(port)]);
  const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'inherit'] });
  await waitForPort(port, child);
  return { name, port, child };
}

/** Loads `server` for `seconds`; returns [requests per second, CPU µs per request]. */
async function segment(server, path, seconds) {
  const url = `http://127.0.0.1:${server.port}${path}`;
  const before = cpuSeconds(server.child.pid);
  const [wc, wa] = pinned(1, 'wrk', ['-t1', `-c${CONNECTIONS}`, `-d${seconds}s`, url]);
  const out = await runToEnd(wc, wa, seconds + 30);
  const cpu = cpuSeconds(server.child.pid) - before;
  const requests = Number(/(\d+) requests in/.exec(out)?.[1] ?? Number.NaN);
  return [requests / seconds, (cpu / requests) * 1e6];
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function scenario(name) {
  const names = TARGETS.filter((t) => t !== 'tronada-callback' || name === 'hello');
  const servers = await Promise.all(names.map(start));
  try {
    for (const server of servers) await segment(server, `/${name}`, 1);
    const cpu = new Map(servers.map((s) => [s.name, []]));
    const rps = new Map(servers.map((s) => [s.name, []]));
    for (let round = 0; round < ROUNDS; round++) {
      for (let i = 0; i < servers.length; i++) {
        const server = servers[(i + round) % servers.length];
        const [r, c] = await segment(server, `/${name}`, SECONDS);
        rps.get(server.name).push(r);
        cpu.get(server.name).push(c);
      }
    }
    return servers.map((s) => ({
      server: s.name,
      'req/s': Math.round(median(rps.get(s.name))),
      'CPU µs/request': Number(median(cpu.get(s.name)).toFixed(1)),
      'CPU µs/request, every round': cpu
        .get(s.name)
        .map((c) => c.toFixed(1))
        .join(' '),
      rounds: cpu.get(s.name),
    }));
  } finally {
    for (const server of servers) server.child.kill('SIGKILL');
  }
}

/** The median over rounds of b's CPU per request divided by a's. */
function pairedRatio(rows, a, b) {
  const x = rows.find((r) => r.server === a);
  const y = rows.find((r) => r.server === b);
  if (!x || !y) return undefined;
  return median(x.rounds.map((cpu, round) => y.rounds[round] / cpu));
}

if (!tools.wrk) throw new Error('interleaved.mjs needs wrk');
console.log(
  `interleaved keep-alive, ${CONNECTIONS} connections, ${ROUNDS} rounds of ${SECONDS} s per server; ${tools.taskset ? 'server on CPU 0, wrk on CPU 1' : 'not pinned'}; node ${process.version}`,
);
for (const name of SCENARIOS) {
  const rows = await scenario(name);
  console.log(`\n${name} (medians)`);
  console.table(rows.map(({ rounds, ...row }) => row));
  for (const peer of ['fastify', 'node', 'tronada-web-baseline']) {
    const r = pairedRatio(rows, 'tronada-web', peer);
    if (r !== undefined) console.log(`  tronada-web vs ${peer}: ${r.toFixed(2)}x less CPU`);
  }
  const extra = pairedRatio(rows, 'tronada-callback', 'tronada-web');
  if (extra !== undefined) {
    console.log(
      `  RequestHandler path over the bare callback: ${((extra - 1) * 100).toFixed(0)}% more CPU`,
    );
  }
}
