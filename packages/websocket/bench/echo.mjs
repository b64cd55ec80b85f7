// Websocket echo servers under load: Tronada's WebSocketHandler against the `ws` package,
// measured in the same run.
//
// Each server runs in its own process (pinned to CPU 0 with taskset when there is one); the
// load comes from a raw-socket client in another Node process (pinned to CPU 1) that does the
// handshake itself and then only writes pre-masked frames and counts the echoed bytes, so it
// costs little and is the same for both servers. No compression on either side.
//
// 1. echo: BENCH_CONNECTIONS (50) connections, each with one 32-byte binary message in flight;
//    round trips per second and the server's CPU time per round trip (user + system, from
//    /proc/<pid>/stat), which stays meaningful on a busy machine.
// 2. throughput: BENCH_BIG_CONNECTIONS (4) connections echoing 1 MB binary messages; MB/s
//    echoed and server CPU time per MB.
// 3. idle memory: BENCH_HOLD (10,000) open websockets, from several 127.0.0.x source addresses;
//    the growth of the server's RSS (after a full GC, before and after) divided by their number,
//    taken twice: one second after the last one opened, and once the server has been idle for
//    BENCH_SETTLE seconds (15). Accepting 10,000 connections in a burst makes V8 grow its young
//    generation to its largest size (32 MB, about 2 KB per connection here, the same for both
//    servers); an idle process gets it back from V8's memory reducer after about 8 seconds.
//    The settled figure is what a server holding idle websockets keeps.
//
// Run: npx tsc -b packages/websocket && npm run bench -w @tronada/websocket
// Rounds alternate between the servers (BENCH_ROUNDS, 3); each figure is the median.
// Options: BENCH_SECONDS=3 BENCH_ROUNDS=3 BENCH_CONNECTIONS=50 BENCH_BIG_CONNECTIONS=4 BENCH_HOLD=10000
//          BENCH_SETTLE=15 BENCH_TARGETS=tronada,ws
//          BENCH_PROFILE=<dir> (servers write a --cpu-prof there)
// The run is bounded in time and ends only the processes it started.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import {
  cpuSeconds,
  freePort,
  rssBytes,
  tools,
  waitForPort,
} from '../../../tooling/bench/http-load.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const BIG_CONNECTIONS = Number(process.env.BENCH_BIG_CONNECTIONS ?? 4);
const HOLD = Number(process.env.BENCH_HOLD ?? 10_000);
const SETTLE = Number(process.env.BENCH_SETTLE ?? 15);
const TARGETS = (process.env.BENCH_TARGETS ?? 'tronada,ws').split(',');
const PROFILE = process.env.BENCH_PROFILE;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SMALL = 32;
const BIG = 1024 * 1024;
const WARMUP_SECONDS = 1;
const SELF = fileURLToPath(import.meta.url);

// ---- server roles ----------------------------------------------------------------------------

async function serveTronada(port) {
  const { Application } = await import('@tronada/web');
  const { WebSocketHandler } = await import('@tronada/websocket');
  class Echo extends WebSocketHandler {
    open() {
      // `ws` turns Nagle's algorithm off on every connection; do the same for a fair match.
      this.setNodelay(true);
    }
    onMessage(message) {
      return this.writeMessage(message, { binary: typeof message !== 'string' });
    }
  }
  await new Application([['/ws', Echo]]).listen(port, '127.0.0.1', { logRequest: null });
}

async function serveWs(port) {
  const { WebSocketServer } = await import('ws');
  const server = new WebSocketServer({ host: '127.0.0.1', port, path: '/ws' });
  server.on('connection', (ws) => {
    ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
  });
  await new Promise((resolve) => server.once('listening', resolve));
}

/**
 * Answers the driver's `gc` with the process's memory after a full collection, and exits
 * cleanly on SIGTERM (so a `--cpu-prof` profile gets written).
 */
function answerMemoryQueries() {
  process.on('SIGTERM', () => process.exit(0));
  process.on('message', (message) => {
    if (message !== 'gc') return;
    globalThis.gc?.();
    globalThis.gc?.();
    process.send({ rss: process.memoryUsage().rss });
  });
}

// ---- the raw client --------------------------------------------------------------------------

/** A masked binary frame of `size` bytes (random payload and key), written as is many times. */
function maskedFrame(size) {
  const header =
    size < 126
      ? Buffer.from([0x82, 0x80 | size])
      : size < 65536
        ? Buffer.from([0x82, 0x80 | 126, size >> 8, size & 0xff])
        : Buffer.concat([Buffer.from([0x82, 0x80 | 127]), bigLength(size)]);
  const key = randomBytes(4);
  const payload = randomBytes(size);
  for (let i = 0; i < size; i++) payload[i] ^= key[i & 3];
  return Buffer.concat([header, key, payload]);
}

function bigLength(size) {
  const out = Buffer.alloc(8);
  out.writeBigUInt64BE(BigInt(size));
  return out;
}

/** Bytes of the server's (unmasked) echo of a `size`-byte message. */
function echoSize(size) {
  return (size < 126 ? 2 : size < 65536 ? 4 : 10) + size;
}

/**
 * Opens a websocket by hand from `localAddress`; resolves with the socket once the 101 is in.
 * `onBytes(n)` is then told of every byte that arrives.
 */
function openRaw(port, localAddress, onBytes) {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: '127.0.0.1', localAddress });
    socket.setNoDelay(true);
    let head = Buffer.alloc(0);
    let open = false;
    socket.once('error', reject);
    socket.once('connect', () => {
      socket.write(
        `GET /ws HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      );
    });
    socket.on('data', (chunk) => {
      if (open) {
        onBytes(chunk.length);
        return;
      }
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      if (!head.subarray(0, 12).toString('latin1').startsWith('HTTP/1.1 101')) {
        reject(new Error(`handshake failed: ${head.subarray(0, end).toString('latin1')}`));
        socket.destroy();
        return;
      }
      open = true;
      socket.off('error', reject);
      socket.on('error', () => {});
      resolve(socket);
      if (head.length > end + 4) onBytes(head.length - end - 4);
    });
  });
}

/**
 * The load: `connections` websockets, each with one `size`-byte message in flight, for the
 * warm-up and then `seconds`. Tells the driver `start` (so it samples the server's CPU) and
 * then `{ done, messages }`.
 */
async function load(port, connections, size, seconds) {
  const frameBytes = maskedFrame(size);
  const expected = echoSize(size);
  let counting = false;
  let messages = 0;
  const sockets = [];
  for (let i = 0; i < connections; i++) {
    let received = 0;
    let socket;
    socket = await openRaw(port, '127.0.0.1', (n) => {
      received += n;
      while (received >= expected) {
        received -= expected;
        if (counting) messages++;
        socket.write(frameBytes);
      }
    });
    sockets.push(socket);
  }
  for (const socket of sockets) socket.write(frameBytes);
  await new Promise((r) => setTimeout(r, WARMUP_SECONDS * 1000));
  counting = true;
  process.send({ start: true });
  await new Promise((r) => setTimeout(r, seconds * 1000));
  counting = false;
  process.send({ done: true, messages });
  for (const socket of sockets) socket.destroy();
  process.exit(0);
}

/** Opens `n` idle websockets (spread over 127.0.0.x source addresses) and holds them. */
async function hold(port, n) {
  const sockets = [];
  const BATCH = 200;
  for (let i = 0; i < n; i += BATCH) {
    const batch = [];
    for (let j = i; j < Math.min(n, i + BATCH); j++) {
      const localAddress = `127.0.0.${2 + (j % 8)}`;
      batch.push(openRaw(port, localAddress, () => {}));
    }
    sockets.push(...(await Promise.all(batch)));
  }
  process.send({ held: sockets.length });
  await new Promise(() => {});
}

// ---- the driver ------------------------------------------------------------------------------

function spawnPinned(cpu, args, extraNodeArgs = []) {
  const nodeArgs = [...extraNodeArgs, SELF, ...args];
  const [command, argv] = tools.taskset
    ? ['taskset', ['-c', String(cpu), process.execPath, ...nodeArgs]]
    : [process.execPath, nodeArgs];
  return spawn(command, argv, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
}

function nextMessage(child, test, limitSeconds) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.off('message', onMessage);
      reject(new Error('timed out'));
    }, limitSeconds * 1000);
    const onMessage = (message) => {
      if (!test(message)) return;
      clearTimeout(timer);
      child.off('message', onMessage);
      resolve(message);
    };
    child.on('message', onMessage);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`process exited with ${code}`));
    });
  });
}

async function withServer(name, fn) {
  const port = await freePort();
  const profile = PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE}`] : [];
  const server = spawnPinned(0, [`--serve-${name}`, String(port)], ['--expose-gc', ...profile]);
  try {
    await waitForPort(port, server);
    return await fn(port, server.pid, server);
  } finally {
    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGTERM');
    const timer = setTimeout(() => server.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
}

/** Runs the load against `port`; returns messages per second and server CPU µs per message. */
async function measureLoad(port, pid, connections, size) {
  const client = spawnPinned(1, [
    '--load',
    String(port),
    String(connections),
    String(size),
    String(SECONDS),
  ]);
  try {
    await nextMessage(client, (m) => m.start, 60);
    const before = cpuSeconds(pid);
    const done = await nextMessage(client, (m) => m.done, SECONDS + 30);
    const cpu = cpuSeconds(pid) - before;
    return { perSecond: done.messages / SECONDS, cpuPerMessage: cpu / done.messages };
  } finally {
    client.kill('SIGKILL');
  }
}

async function measureIdle(port, server) {
  const gcRss = async () => {
    server.send('gc');
    return (await nextMessage(server, (m) => m.rss !== undefined, 30)).rss;
  };
  const holder = spawnPinned(1, ['--hold', String(port), String(HOLD)]);
  try {
    // One websocket first, so code paths are loaded before the baseline is taken.
    const warm = spawnPinned(1, ['--hold', String(port), '1']);
    await nextMessage(warm, (m) => m.held !== undefined, 30);
    warm.kill('SIGKILL');
    await new Promise((r) => setTimeout(r, 500));
    const before = await gcRss();
    const held = await nextMessage(holder, (m) => m.held !== undefined, 120);
    await new Promise((r) => setTimeout(r, 1000));
    const after = await gcRss();
    await new Promise((r) => setTimeout(r, SETTLE * 1000));
    const settled = await gcRss();
    return {
      held: held.held,
      bytesPerConnection: (after - before) / held.held,
      settledBytesPerConnection: (settled - before) / held.held,
      rss: rssBytes(server.pid),
    };
  } finally {
    holder.kill('SIGKILL');
  }
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function ratio(rows, key, higherIsBetter) {
  const ours = rows.find((r) => r.server === 'tronada');
  const theirs = rows.find((r) => r.server === 'ws');
  if (!ours || !theirs) return 'n/a';
  const r = higherIsBetter ? ours[key] / theirs[key] : theirs[key] / ours[key];
  return `${r.toFixed(2)}x`;
}

async function main() {
  const role = process.argv[2];
  const port = Number(process.argv[3]);
  if (role === '--serve-tronada') {
    answerMemoryQueries();
    return serveTronada(port);
  }
  if (role === '--serve-ws') {
    answerMemoryQueries();
    return serveWs(port);
  }
  if (role === '--load') {
    return load(port, Number(process.argv[4]), Number(process.argv[5]), Number(process.argv[6]));
  }
  if (role === '--hold') return hold(port, Number(process.argv[4]));

  console.log(
    `websocket echo, no compression; medians of ${ROUNDS} interleaved rounds of ${SECONDS} s (after ${WARMUP_SECONDS} s warm-up); raw-socket load client; ${tools.taskset ? 'server on CPU 0, client on CPU 1' : 'not pinned'}; node ${process.version}`,
  );
  // Rounds alternate between the servers and each figure is the median of its rounds, so a
  // burst of load from elsewhere on the machine does not land on one server only.
  const samples = new Map(TARGETS.map((name) => [name, { echo: [], big: [] }]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const name of TARGETS) {
      await withServer(name, async (p, pid) => {
        samples.get(name).echo.push(await measureLoad(p, pid, CONNECTIONS, SMALL));
        if (BIG_CONNECTIONS > 0) {
          samples.get(name).big.push(await measureLoad(p, pid, BIG_CONNECTIONS, BIG));
        }
      });
    }
  }
  const echo = [];
  const big = [];
  const idle = [];
  for (const name of TARGETS) {
    const { echo: e, big: b } = samples.get(name);
    echo.push({
      server: name,
      'round trips/s': Math.round(median(e.map((x) => x.perSecond))),
      'CPU µs/round trip': Number((median(e.map((x) => x.cpuPerMessage)) * 1e6).toFixed(2)),
    });
    if (b.length > 0) {
      big.push({
        server: name,
        'MB/s echoed': Number(median(b.map((x) => x.perSecond)).toFixed(1)),
        'CPU ms/MB': Number((median(b.map((x) => x.cpuPerMessage)) * 1e3).toFixed(3)),
      });
    }
    if (HOLD > 0) {
      await withServer(name, async (p, _pid, server) => {
        const m = await measureIdle(p, server);
        idle.push({
          server: name,
          'open websockets': m.held,
          'KB/websocket (RSS after GC)': Number((m.bytesPerConnection / 1024).toFixed(2)),
          [`KB/websocket (idle ${SETTLE} s)`]: Number(
            (m.settledBytesPerConnection / 1024).toFixed(2),
          ),
          'server RSS MB': Number((m.rss / 2 ** 20).toFixed(1)),
        });
      });
    }
  }
  console.log(
    `\necho: ${CONNECTIONS} connections, ${SMALL}-byte binary messages, one in flight each`,
  );
  console.table(echo);
  console.log(
    `  tronada vs ws: ${ratio(echo, 'round trips/s', true)} round trips/s, ${ratio(echo, 'CPU µs/round trip', false)} (CPU)`,
  );
  console.log(
    `\nthroughput: ${BIG_CONNECTIONS} connections, 1 MB binary messages, one in flight each`,
  );
  console.table(big);
  console.log(
    `  tronada vs ws: ${ratio(big, 'MB/s echoed', true)} MB/s, ${ratio(big, 'CPU ms/MB', false)} (CPU)`,
  );
  if (idle.length > 0) {
    console.log(`\nidle memory: ${HOLD} open websockets`);
    console.table(idle);
  }
  // The machine-readable summary for `npm run bench`: ratios above 1 favour Tronada; the
  // memory target is absolute (at most 5 KB), given as the ratio to ws that meets it.
  const benchRows = [];
  for (const [table, key, name, target] of [
    [echo, 'CPU µs/round trip', `echo, ${CONNECTIONS} connections, CPU per round trip`, 1],
    [big, 'CPU ms/MB', 'throughput of 1 MB messages, CPU per MB', 1],
    [
      idle,
      'KB/websocket (RSS after GC)',
      `memory per idle websocket, 1 s after opening (${HOLD} open; target ≤ 5 KB)`,
    ],
    [
      idle,
      `KB/websocket (idle ${SETTLE} s)`,
      `memory per idle websocket, after ${SETTLE} s idle (${HOLD} open; target ≤ 5 KB)`,
    ],
  ]) {
    const ours = table.find((r) => r.server === 'tronada')?.[key];
    const peer = table.find((r) => r.server === 'ws')?.[key];
    if (ours === undefined || peer === undefined) continue;
    const unit = key.replace(/ \(.*\)$/, '');
    const t = target ?? peer / 5;
    benchRows.push({ name, ours, peer, peerName: 'ws', ratio: peer / ours, unit, target: t });
  }
  console.log(`BENCH-JSON ${JSON.stringify({ suite: 'websocket', rows: benchRows })}`);
}

await main();
