// Hello world over HTTP/1.1 keep-alive: Tronada's HTTPServer against node:http (and Python
// Tornado 6 when /usr/bin/python3 can import it), measured in the same run.
//
// Each server runs in its own process (pinned to CPU 0 with taskset when there is one); the load
// comes from wrk when installed (pinned to CPU 1), else from a small keep-alive load generator
// in another Node process. With wrk the servers run side by side: a one-second warm-up each, then
// BENCH_KEEPALIVE_ROUNDS (3) interleaved rounds of BENCH_SECONDS of load per server (medians; the
// ratio is the median of the per-round ratios). Without wrk: a warm-up, then BENCH_SECONDS of
// load, one server after another. Reported:
// requests per second, and the server's CPU time (user + system, from /proc/<pid>/stat) per
// request, which stays meaningful on a busy machine. The run is bounded in time and ends only
// the processes it started.
//
// Run: npx tsc -b packages/httpserver && npm run bench -w @tronada/httpserver
// Then the memory each idle keep-alive connection costs the server: BENCH_HOLD (10,000)
// connections are opened, one request each, and held; the server's RSS growth is divided by
// their number (BENCH_HOLD=0 skips this), read one second after the last one opened and again
// once the server has been idle for BENCH_SETTLE seconds (15): accepting 10,000 connections
// in a burst makes V8 grow its young generation to its largest size, and V8's memory reducer
// gives that back after about 8 idle seconds, so the settled figure is what idle connections
// keep.
//
// Without keep-alive: BENCH_CLOSED_REQUESTS (10,000) requests per server with ab (ApacheBench,
// Debian's apache2-utils), 50 at a time, a new connection each, after a warm-up of 5,000; the
// servers run side by side and take turns in BENCH_CLOSED_ROUNDS (5) rounds, and the figures are
// medians, the ratio the median of the per-round ratios (BENCH_CLOSED_REQUESTS=0 skips this).
//
// Targets: tronada is HTTPServer as shipped (connections on bare libuv handles, the default
// transport); tronada-sockets the same server with `transport: 'socket'` (a net.Socket per
// connection); node is node:http; tornado is Python Tornado 6.
//
// Options: BENCH_SECONDS=5 BENCH_KEEPALIVE_ROUNDS=3 BENCH_CONNECTIONS=50 BENCH_TARGETS=tronada,tronada-sockets,node,tornado
// BENCH_HOLD=10000 BENCH_SETTLE=15 BENCH_CLOSED_REQUESTS=10000 BENCH_CLOSED_ROUNDS=5.
import { execFileSync, spawn } from 'node:child_process';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { median } from '../../../tooling/bench/harness.js';
import {
  freePort,
  measure,
  measureKeepAlive,
  measureNoKeepAlive,
  rssBytes,
  runToEnd,
  tools,
  tornadoPython,
  waitForPort,
} from '../../../tooling/bench/http-load.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const KEEPALIVE_ROUNDS = Number(process.env.BENCH_KEEPALIVE_ROUNDS ?? 3);
const TARGETS = (process.env.BENCH_TARGETS ?? 'tronada,tronada-sockets,node,tornado').split(',');
const SELF = fileURLToPath(import.meta.url);

const TORNADO_APP = `
import asyncio, sys, tornado.web
class Hello(tornado.web.RequestHandler):
    def get(self):
        self.write("Hello, world")
async def main():
    app = tornado.web.Application([(r"/", Hello)])
    app.listen(int(sys.argv[1]), "127.0.0.1")
    print("ready", flush=True)
    await asyncio.Event().wait()
asyncio.run(main())
`;

// ---- child roles -------------------------------------------------------------------------

async function serveTronada(port) {
  const { helloServer } = await import('./hello-server.mjs');
  const server = helloServer();
  if (!server.carriesHandles) console.error('note: this Node offers no TCP handles; on sockets');
  await server.listen(port, '127.0.0.1');
}

/** The same server with every connection on a `net.Socket` (`transport: 'socket'`). */
async function serveTronadaOnSockets(port) {
  const { helloServer } = await import('./hello-server.mjs');
  await helloServer({ transport: 'socket' }).listen(port, '127.0.0.1');
}

async function serveNode(port) {
  const http = await import('node:http');
  const body = Buffer.from('Hello, world');
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': '12' });
    res.end(body);
  });
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
}

/** Opens `n` keep-alive connections, one request each, then holds them: prints "held". */
async function hold(port, n) {
  const request = Buffer.from('GET / HTTP/1.1\r\nHost: bench\r\n\r\n');
  const sockets = [];
  for (let start = 0; start < n; start += 500) {
    const batch = [];
    for (let i = start; i < Math.min(n, start + 500); i++) {
      batch.push(
        new Promise((resolve, reject) => {
          const s = connect(port, '127.0.0.1');
          sockets.push(s);
          s.once('connect', () => s.write(request));
          s.once('data', () => resolve());
          s.once('error', reject);
        }),
      );
    }
    await Promise.all(batch);
  }
  console.log('held');
  setTimeout(() => process.exit(0), 60_000);
}

/** A server started with IPC answers 'gc' with its RSS after a full collection. */
function answerMemoryQueries() {
  if (process.send === undefined) return;
  process.on('message', (message) => {
    if (message !== 'gc') return;
    globalThis.gc?.();
    globalThis.gc?.();
    process.send({ rss: process.memoryUsage().rss });
  });
}

// ---- the driver --------------------------------------------------------------------------

/**
 * Memory per idle keep-alive connection: the server's RSS growth while `n` are held. Node
 * servers collect their garbage before each reading (asked over IPC), so the figure is what the
 * connections keep, not when the collector last ran; Tornado's is read as it is.
 */
const SETTLE_SECONDS = Number(process.env.BENCH_SETTLE ?? 15);
const SETTLED_KEY = `KB per connection (idle ${SETTLE_SECONDS} s)`;

async function measureMemory(name, serverArgs, n) {
  const port = await freePort();
  const isNode = serverArgs[0] === process.execPath;
  const server = spawn(
    serverArgs[0],
    [...(isNode ? ['--expose-gc'] : []), ...serverArgs.slice(1), String(port)],
    { stdio: ['ignore', 'ignore', 'inherit', ...(isNode ? ['ipc'] : [])] },
  );
  const rss = async () => {
    if (!isNode) return rssBytes(server.pid);
    server.send('gc');
    return new Promise((resolve) => server.once('message', (m) => resolve(m.rss)));
  };
  let holder = null;
  try {
    await waitForPort(port, server);
    // One connection first, so that lazily loaded code is in both figures.
    await runToEnd(process.execPath, [SELF, '--hold', String(port), '1', '--exit'], 60);
    await new Promise((r) => setTimeout(r, 500));
    const before = await rss();
    holder = spawn(process.execPath, [SELF, '--hold', String(port), String(n)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('holding timed out')), 60_000);
      holder.stdout.on('data', (d) => {
        if (d.toString().includes('held')) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    await new Promise((r) => setTimeout(r, 1000));
    const after = await rss();
    await new Promise((r) => setTimeout(r, SETTLE_SECONDS * 1000));
    const settled = await rss();
    return {
      server: name,
      connections: n,
      'KB per connection': Number(((after - before) / n / 1024).toFixed(2)),
      [SETTLED_KEY]: Number(((settled - before) / n / 1024).toFixed(2)),
    };
  } finally {
    holder?.kill('SIGKILL');
    server.kill('SIGKILL');
  }
}

async function main() {
  const role = process.argv[2];
  if (role?.startsWith('--serve-')) answerMemoryQueries();
  if (role === '--serve-tronada') return serveTronada(Number(process.argv[3]));
  if (role === '--serve-tronada-sockets') return serveTronadaOnSockets(Number(process.argv[3]));
  if (role === '--serve-node') return serveNode(Number(process.argv[3]));
  if (role === '--hold') {
    await hold(Number(process.argv[3]), Number(process.argv[4]));
    if (process.argv[5] === '--exit') process.exit(0);
    return;
  }

  const python = tornadoPython();
  const targets = {
    tronada: [process.execPath, SELF, '--serve-tronada'],
    node: [process.execPath, SELF, '--serve-node'],
    'tronada-sockets': [process.execPath, SELF, '--serve-tronada-sockets'],
    ...(python && { tornado: [python, '-c', TORNADO_APP] }),
  };
  console.log(
    `hello world, keep-alive, ${CONNECTIONS} connections, ${SECONDS} s each; load: ${tools.wrk ? 'wrk' : 'node load generator'}; ${tools.taskset ? 'server on CPU 0, load on CPU 1' : 'not pinned (no taskset)'}; node ${process.version}; cpus ${execFileSync('nproc').toString().trim()}`,
  );
  const available = TARGETS.filter((name) => {
    if (targets[name] !== undefined) return true;
    console.log(`${name}: skipped (not available)`);
    return false;
  });
  let rows = [];
  // Per-round CPU ratios of each peer against Tronada (keep-alive), when measured in rounds.
  const keepAliveRatios = {};
  if (tools.wrk) {
    console.log(`  (${KEEPALIVE_ROUNDS} interleaved rounds of ${SECONDS} s per server; medians)`);
    const measured = await measureKeepAlive(
      available.map((name) => [name, targets[name]]),
      { seconds: SECONDS, connections: CONNECTIONS, rounds: KEEPALIVE_ROUNDS },
    );
    rows = measured.rows;
    const ours = measured.perRound.tronada;
    for (const [name, cpu] of Object.entries(measured.perRound)) {
      if (ours && name !== 'tronada') keepAliveRatios[name] = cpu.map((c, i) => c / ours[i]);
    }
  } else {
    for (const name of available) {
      rows.push(
        await measure(name, targets[name], {
          seconds: SECONDS,
          connections: CONNECTIONS,
          expect: 'Hello, world',
        }),
      );
    }
  }
  console.table(rows);
  for (const [name, ratios] of Object.entries(keepAliveRatios)) {
    console.log(
      `  ${name} CPU / Tronada CPU per round: ${ratios.map((r) => r.toFixed(2)).join(', ')}; median ${median(ratios).toFixed(2)}x`,
    );
  }
  const closedRequests = Number(process.env.BENCH_CLOSED_REQUESTS ?? 10_000);
  const closedRounds = Number(process.env.BENCH_CLOSED_ROUNDS ?? 5);
  let closedRows = [];
  let closedRatio;
  if (closedRequests > 0 && !tools.ab) console.log('no keep-alive: skipped (ab not installed)');
  else if (closedRequests > 0) {
    console.log(
      `no keep-alive: ${closedRequests} requests per server with ab, ${CONNECTIONS} at a time, in ${closedRounds} interleaved rounds (medians)`,
    );
    const names = [...new Set(TARGETS)].filter((name) => targets[name] !== undefined);
    const measured = await measureNoKeepAlive(
      names.map((name) => [name, targets[name]]),
      { requests: closedRequests, concurrency: CONNECTIONS, rounds: closedRounds },
    );
    closedRows = measured.rows;
    console.table(closedRows);
    const ours = measured.perRound.tronada;
    const peer = measured.perRound.node;
    if (ours && peer) {
      const ratios = ours.map((cpu, round) => peer[round] / cpu);
      closedRatio = median(ratios);
      console.log(
        `  node:http CPU / Tronada CPU per round: ${ratios.map((r) => r.toFixed(2)).join(', ')}; median ${closedRatio.toFixed(2)}x`,
      );
    }
  }
  const held = Number(process.env.BENCH_HOLD ?? 10_000);
  const memory = [];
  if (held > 0) {
    console.log(`memory: ${held} idle keep-alive connections held (server RSS growth)`);
    for (const name of TARGETS) {
      if (targets[name] !== undefined) memory.push(await measureMemory(name, targets[name], held));
    }
    console.table(memory);
  }
  printBenchJson(rows, keepAliveRatios, closedRows, closedRatio, memory, held);
}

/**
 * The machine-readable summary for `npm run bench`: ratios above 1 favour Tronada. The memory
 * target is absolute (at most 5 KB per connection), given as the ratio to the peer that meets it.
 */
function printBenchJson(rows, keepAliveRatios, closedRows, closedRatio, memory, held) {
  const peers = { node: ['node:http', 1.5], tornado: ['Python Tornado', 6] };
  const out = [];
  const ours = rows.find((r) => r.server === 'tronada');
  const oursClosed = closedRows.find((r) => r.server === 'tronada');
  const closedPeer = closedRows.find((r) => r.server === 'node');
  if (oursClosed && closedPeer && closedRatio !== undefined) {
    const [a, b] = [oursClosed['CPU µs/request'], closedPeer['CPU µs/request']];
    const name = 'hello world, no keep-alive (ab), CPU per request';
    out.push({
      name,
      ours: a,
      peer: b,
      peerName: 'node:http',
      // The median of the ratios within each round (the same machine load for both servers).
      ratio: closedRatio,
      unit: 'CPU µs/request',
      target: 1.1,
    });
  }
  const oursMemory = memory.find((r) => r.server === 'tronada');
  for (const [server, [peerName, target]] of Object.entries(peers)) {
    const peer = rows.find((r) => r.server === server);
    if (!ours || !peer) continue;
    const [a, b] = [ours['CPU µs/request'], peer['CPU µs/request']];
    const name = 'hello world, keep-alive, CPU per request';
    // The median of the ratios within each round when measured in rounds (the same load).
    const perRound = keepAliveRatios[server];
    const ratio = perRound ? median(perRound) : b / a;
    out.push({ name, ours: a, peer: b, peerName, ratio, unit: 'CPU µs/request', target });
  }
  for (const [server, [peerName]] of Object.entries(peers)) {
    const peer = memory.find((r) => r.server === server);
    if (!oursMemory || !peer) continue;
    for (const [key, when] of [
      ['KB per connection', '1 s after opening'],
      [SETTLED_KEY, `after ${SETTLE_SECONDS} s idle`],
    ]) {
      const [a, b] = [oursMemory[key], peer[key]];
      out.push({
        name: `memory per idle keep-alive connection, ${when} (${held} held; target ≤ 5 KB)`,
        ours: a,
        peer: b,
        peerName,
        ratio: b / a,
        unit: 'KB/connection',
        target: b / 5,
      });
    }
  }
  console.log(`BENCH-JSON ${JSON.stringify({ suite: 'httpserver', rows: out })}`);
}

await main();
