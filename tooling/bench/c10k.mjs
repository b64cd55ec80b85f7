// C10K: one server process holding BENCH_WS (8,000) idle websockets and BENCH_POLL (8,000)
// waiting long-poll requests at once on loopback, then broadcasting one message to all of them.
// Two servers in the same run, the same routes and the same clients:
//   - tronada: an @tronada/web Application with a WebSocketHandler and a long-poll
//     RequestHandler waiting on a Condition (as apps/chat does);
//   - ws: a node:http server with the `ws` package sharing its port (ws for the websockets,
//     node:http for the long polls).
// (tooling/bench/c10k-server.mjs has both.)
//
// The server runs alone on CPU 0 (taskset, when there is more than one CPU); the connections come
// from BENCH_CLIENTS (4) raw-socket client processes (tooling/bench/c10k-client.mjs) on the
// other CPU, each holding its share (at most 4,000 sockets at the defaults), from source
// addresses 127.0.0.2–127.0.0.9. A process may open at most 20,000 files here: every process is
// started through bash with its soft `ulimit -n` raised to the hard limit, and the run stops
// early when that is too small for the server's connections.
//
// Reported per server:
//   - the growth of the server's RSS (after two full GCs) per idle websocket, per waiting long
//     poll, and per connection overall (from a baseline taken after one warm-up broadcast);
//   - the broadcast: from the driver's POST /broadcast to the POST's answer, and to the last
//     client having its message (websockets and polls separately; client processes stamp
//     arrivals with the system-wide monotonic clock), and the server's CPU time for it; the
//     median of BENCH_BROADCASTS (3) broadcasts, the polls sent again on their keep-alive
//     connections between them.
//
// Run: npx tsc -b packages/web packages/websocket && node tooling/bench/c10k.mjs
//      (also `npm run bench -- c10k`)
// Options: BENCH_WS=8000 BENCH_POLL=8000 BENCH_CLIENTS=4 BENCH_BROADCASTS=3 BENCH_TARGETS=tronada,ws
//          BENCH_LIMIT=240 (seconds; the whole run is stopped past it)
// Bounded in time (every wait has a timeout) and ends only the processes it started, by PID.
import { spawn, spawnSync } from 'node:child_process';
import { request } from 'node:http';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { cpuSeconds, freePort, tools } from './http-load.js';

const env = process.env;
const WS = Number(env.BENCH_WS ?? 8000);
const POLL = Number(env.BENCH_POLL ?? 8000);
const CLIENTS = Number(env.BENCH_CLIENTS ?? 4);
const TARGETS = (env.BENCH_TARGETS ?? 'tronada,ws').split(',');
const BROADCASTS = Number(env.BENCH_BROADCASTS ?? 3);
const LIMIT = Number(env.BENCH_LIMIT ?? 240);
const MESSAGE = JSON.stringify({ message: 'Hello, all ten thousand of you' });
const SERVER = fileURLToPath(new URL('./c10k-server.mjs', import.meta.url));
const CLIENT = fileURLToPath(new URL('./c10k-client.mjs', import.meta.url));
const PIN = tools.taskset && os.availableParallelism() > 1;

/** Every process this run started and has not seen exit, to end them (by PID) on any way out. */
const started = new Set();

function hardFileLimit() {
  const out = spawnSync('bash', ['-c', 'ulimit -Hn'], { encoding: 'utf8' }).stdout.trim();
  return out === 'unlimited' ? Number.POSITIVE_INFINITY : Number(out);
}

/** Starts `node args` with IPC, its file limit raised to the hard limit, pinned to `cpu`. */
function startNode(cpu, args) {
  const node = [process.execPath, ...args];
  const command = PIN ? ['taskset', '-c', String(cpu), ...node] : node;
  // `exec` all the way down, so the PID we get is node's.
  const child = spawn('bash', ['-c', 'ulimit -Sn "$(ulimit -Hn)"; exec "$@"', 'bash', ...command], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  started.add(child);
  child.once('exit', () => started.delete(child));
  return child;
}

async function stop(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

/** The next IPC message from `child` that passes `test`; fails after `seconds` or on exit. */
function nextMessage(child, test, seconds, what) {
  return new Promise((resolve, reject) => {
    const done = () => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error(`timed out after ${seconds} s waiting for ${what}`));
    }, seconds * 1000);
    const onMessage = (message) => {
      if (message.error) {
        done();
        reject(new Error(`${what}: ${message.error}`));
      } else if (test(message)) {
        done();
        resolve(message);
      }
    };
    const onExit = (code) => {
      done();
      reject(new Error(`process exited with ${code} while waiting for ${what}`));
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

let requestId = 0;
function ask(server, type) {
  const id = ++requestId;
  server.send({ id, type });
  return nextMessage(server, (m) => m.id === id, 30, `the server's ${type}`);
}

/** Asks the server for its counts until `test` passes them (or `seconds` pass). */
async function waitForServer(server, test, seconds, what) {
  const until = Date.now() + seconds * 1000;
  for (;;) {
    const stats = await ask(server, 'stats');
    if (test(stats)) return stats;
    if (Date.now() > until) {
      throw new Error(
        `timed out waiting for ${what}: ${stats.websockets} websockets open, ${stats.polls} polls waiting`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** POST /broadcast; resolves with the answer's body. */
function broadcast(port) {
  return new Promise((resolve, reject) => {
    const post = request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/broadcast',
        agent: false,
        timeout: 30_000,
      },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk) => {
          body += chunk;
        });
        response.on('end', () => resolve(body));
      },
    );
    post.on('timeout', () => post.destroy(new Error('POST /broadcast timed out')));
    post.on('error', reject);
    post.end();
  });
}

/** Client processes splitting `websockets` and `polls` between them; resolves once all are up. */
async function startClients(port, count, websockets, polls) {
  const clients = [];
  for (let i = 0; i < count; i++) {
    const share = (total) => Math.floor(total / count) + (i < total % count ? 1 : 0);
    const ws = share(websockets);
    const poll = share(polls);
    const child = startNode(1, [CLIENT, port, ws, poll, i, Buffer.byteLength(MESSAGE)].map(String));
    clients.push({ child, ws, poll });
  }
  await Promise.all(clients.map((c) => nextMessage(c.child, (m) => m.ready, 30, 'a client')));
  return clients;
}

async function openAll(clients, what) {
  const waits = clients.map((c) =>
    nextMessage(c.child, (m) => m.opened === what, 120, `clients opening ${what}`),
  );
  for (const c of clients) c.child.send({ type: 'open', what });
  await Promise.all(waits);
}

/** Broadcasts and waits for every client; returns the times in ms from the POST. */
async function timeBroadcast(server, port, clients) {
  const armed = clients.map((c) => nextMessage(c.child, (m) => m.armed, 30, 'a client to arm'));
  for (const c of clients) c.child.send({ type: 'arm' });
  await Promise.all(armed);
  const doneAll = clients.map((c) => nextMessage(c.child, (m) => m.done, 60, 'the broadcast'));
  const cpuBefore = cpuSeconds(server.pid);
  const start = process.hrtime.bigint();
  const answer = JSON.parse(await broadcast(port));
  const answered = process.hrtime.bigint();
  let reports;
  try {
    reports = await Promise.all(doneAll);
  } catch (error) {
    const partial = await Promise.all(
      clients.map((c) => {
        const wait = nextMessage(c.child, (m) => m.done !== undefined, 10, 'a report');
        c.child.send({ type: 'report' });
        return wait;
      }),
    );
    const got = partial.reduce((sum, r) => sum + r.ws + r.poll, 0);
    throw new Error(`${error.message} (${got} messages arrived)`);
  }
  const cpu = cpuSeconds(server.pid) - cpuBefore;
  const ms = (t) => Number(t - start) / 1e6;
  const lastOf = (key) =>
    reports.reduce((max, r) => (BigInt(r[key]) > max ? BigInt(r[key]) : max), 0n);
  return {
    answer,
    answeredMs: ms(answered),
    lastWsMs: ms(lastOf('lastWs')),
    lastPollMs: ms(lastOf('lastPoll')),
    broadcastMs: Math.max(ms(lastOf('lastWs')), ms(lastOf('lastPoll'))),
    cpuMs: cpu * 1000,
  };
}

async function measure(name) {
  const port = await freePort();
  const server = startNode(0, ['--expose-gc', SERVER, name, String(port), MESSAGE]);
  const clients = [];
  try {
    await nextMessage(server, (m) => m.listening, 30, `the ${name} server to listen`);
    // Warm-up: one websocket and one poll through a broadcast, so the code paths are loaded
    // before the baseline.
    const warm = await startClients(port, 1, 1, 1);
    await openAll(warm, 'ws');
    await openAll(warm, 'poll');
    await waitForServer(server, (s) => s.websockets === 1 && s.polls === 1, 30, 'the warm-up');
    await timeBroadcast(server, port, warm);
    await stop(warm[0].child);
    await waitForServer(
      server,
      (s) => s.websockets === 0 && s.polls === 0,
      30,
      'the warm-up to end',
    );
    const base = (await ask(server, 'gc')).rss;

    clients.push(...(await startClients(port, CLIENTS, WS, POLL)));
    const openStart = Date.now();
    await openAll(clients, 'ws');
    await waitForServer(server, (s) => s.websockets === WS, 60, `${WS} websockets`);
    const withWs = (await ask(server, 'gc')).rss;
    await openAll(clients, 'poll');
    await waitForServer(server, (s) => s.polls === POLL, 60, `${POLL} waiting polls`);
    const openSeconds = (Date.now() - openStart) / 1000;
    const withAll = (await ask(server, 'gc')).rss;

    const samples = [];
    for (let i = 0; i < BROADCASTS; i++) {
      if (i > 0) {
        await openAll(clients, 'repoll');
        await waitForServer(server, (s) => s.polls === POLL, 60, `${POLL} waiting polls again`);
      }
      const sample = await timeBroadcast(server, port, clients);
      if (sample.answer.websockets !== WS || sample.answer.polls !== POLL) {
        throw new Error(`the server broadcast to ${JSON.stringify(sample.answer)}`);
      }
      samples.push(sample);
    }
    const b = Object.fromEntries(
      ['answeredMs', 'lastWsMs', 'lastPollMs', 'broadcastMs', 'cpuMs'].map((key) => [
        key,
        median(samples.map((sample) => sample[key])),
      ]),
    );
    const kb = (bytes, n) => Number((bytes / n / 1024).toFixed(2));
    return {
      server: name,
      connections: WS + POLL,
      'open s': Number(openSeconds.toFixed(1)),
      'KB/websocket': kb(withWs - base, WS),
      'KB/poll': kb(withAll - withWs, POLL),
      'KB/connection': kb(withAll - base, WS + POLL),
      'server RSS MB': Number((withAll / 2 ** 20).toFixed(1)),
      'POST answered ms': Math.round(b.answeredMs),
      'last ws ms': Math.round(b.lastWsMs),
      'last poll ms': Math.round(b.lastPollMs),
      'broadcast ms': Math.round(b.broadcastMs),
      'server CPU ms': Math.round(b.cpuMs),
    };
  } finally {
    await stop(server);
    await Promise.all(clients.map((c) => stop(c.child)));
  }
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function ratio(rows, key) {
  const ours = rows.find((r) => r.server === 'tronada');
  const theirs = rows.find((r) => r.server === 'ws');
  return ours && theirs ? `${(ours[key] / theirs[key]).toFixed(2)}x` : 'n/a';
}

async function main() {
  const needed = WS + POLL + 100;
  const limit = hardFileLimit();
  if (limit < needed) {
    throw new Error(
      `the server needs about ${needed} open files and the hard limit is ${limit}: lower BENCH_WS and BENCH_POLL`,
    );
  }
  console.log(
    `C10K: ${WS} idle websockets + ${POLL} waiting long polls on one server process, then ${BROADCASTS} broadcasts (medians); ${CLIENTS} raw-socket client processes; ${PIN ? 'server on CPU 0, clients on CPU 1' : 'not pinned'}; node ${process.version}, ${os.cpus()[0]?.model ?? 'cpu'} x${os.availableParallelism()}`,
  );
  const rows = [];
  for (const name of TARGETS) {
    const row = await measure(name);
    rows.push(row);
    console.log(`${name}: done`);
  }
  console.table(rows);
  console.log(
    `  tronada vs ws (ws + node:http): ${ratio(rows, 'KB/connection')} memory per connection, ${ratio(rows, 'broadcast ms')} broadcast time, ${ratio(rows, 'server CPU ms')} broadcast CPU`,
  );
  // The machine-readable summary for `npm run bench`: ratios above 1 favour Tronada.
  const ours = rows.find((r) => r.server === 'tronada');
  const peer = rows.find((r) => r.server === 'ws');
  const benchRows = [];
  if (ours && peer) {
    for (const [key, name, unit] of [
      ['KB/connection', `memory per connection (${WS} websockets + ${POLL} polls)`, 'KB'],
      ['broadcast ms', `broadcast to ${WS + POLL} connections, until the last has it`, 'ms'],
      ['server CPU ms', `broadcast to ${WS + POLL} connections, server CPU`, 'CPU ms'],
    ]) {
      benchRows.push({
        name,
        ours: ours[key],
        peer: peer[key],
        peerName: 'ws + node:http',
        ratio: peer[key] / ours[key],
        unit,
        target: null,
      });
    }
  }
  console.log(`BENCH-JSON ${JSON.stringify({ suite: 'c10k', rows: benchRows })}`);
}

const deadline = setTimeout(() => {
  console.error(`c10k: stopped after ${LIMIT} s (BENCH_LIMIT)`);
  for (const child of started) child.kill('SIGKILL');
  process.exit(1);
}, LIMIT * 1000);
try {
  await main();
} catch (error) {
  console.error(`c10k: ${error.message}`);
  process.exitCode = 1;
} finally {
  clearTimeout(deadline);
  for (const child of started) child.kill('SIGKILL');
}
