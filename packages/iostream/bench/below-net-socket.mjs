// What `net.Socket` itself costs, measured under it: the same exchanges over `net.Socket` and
// over the bare libuv TCP handles it is built on (Node internals, reached through
// `process.binding`; see the iostream README, "Connections on libuv handles"), which Tronada's
// streams use by default. Shows what every `net.Socket` user pays, and how close IOStream on
// handles comes to raw handles.
//
//   round trips  64-byte request/response over one connection, both ends in this process, in
//                blocks of BENCH_BLOCK (2,000) taking turns, BENCH_BLOCKS (30) times; CPU time
//                (user + system) per round trip. Raw: 'data' handlers (net.Socket) or read
//                callbacks (handles) echoing; IOStream: readBytes and write with async/await,
//                with `transport: 'socket'` and with the default transport (handles).
//   connections  a server process per kind reads a request up to its blank line, writes a
//                canned HTTP answer and closes; ab (`-c 50`) makes BENCH_CONNECTIONS (3,000)
//                connections per round, BENCH_ROUNDS (6) rounds taking turns after a warm-up,
//                with the server's CPU time per connection from /proc/<pid>/stat (the harness of
//                the httpserver benchmark, tooling/bench/http-load.js: server and ab pinned to
//                different CPUs when taskset exists; failed requests stop the run). Skipped
//                without ab.
//
// Run: npx tsc -b packages/iostream && node packages/iostream/bench/below-net-socket.mjs
import * as net from 'node:net';
import { fileURLToPath } from 'node:url';
import { median } from '../../../tooling/bench/harness.js';
import { measureNoKeepAlive, tools } from '../../../tooling/bench/http-load.js';
import { libuv, listenOnHandles } from './raw-handles.mjs';
import { roundTrip } from './round-trip-variants.mjs';

const BLOCK = Number(process.env.BENCH_BLOCK ?? 2000);
const BLOCKS = Number(process.env.BENCH_BLOCKS ?? 30);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 3000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 6);
const SELF = fileURLToPath(import.meta.url);
const MESSAGE = Buffer.alloc(64, 0x72);
const ANSWER = Buffer.from(
  'HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 12\r\n\r\nHello, world',
);

// ---- round trips -------------------------------------------------------------------------

/** Raw round trips over bare libuv handles: read callbacks echoing, as 'raw net' does. */
async function handleRoundTrips() {
  const uv = libuv();
  const port = await listenOnHandles(0, (handle) =>
    uv.read(handle, (h, chunk) => uv.write(h, chunk)),
  );
  const client = await uv.connect(port);
  client.setNoDelay(true);
  let left = 0;
  let got = 0;
  let done = null;
  uv.read(client, (h, chunk) => {
    got += chunk.length;
    while (got >= 64) {
      got -= 64;
      if (--left === 0) return done();
      uv.write(h, MESSAGE);
    }
  });
  return (n) =>
    new Promise((resolve) => {
      left = n;
      done = resolve;
      uv.write(client, MESSAGE);
    });
}

async function roundTrips() {
  const variants = {
    'net.Socket': (await roundTrip['raw net']()).run,
    'libuv handles': await handleRoundTrips(),
    'IOStream (net.Socket)': (await roundTrip['IOStream, socket transport']()).run,
    'IOStream on handles (both ends)': (await roundTrip.IOStream()).run,
  };
  for (const run of Object.values(variants)) await run(BLOCK * 2);
  const perTrip = Object.fromEntries(Object.keys(variants).map((name) => [name, []]));
  for (let block = 0; block < BLOCKS; block++) {
    const names = Object.keys(variants);
    for (const name of block % 2 ? names.reverse() : names) {
      const start = process.cpuUsage();
      await variants[name](BLOCK);
      const used = process.cpuUsage(start);
      perTrip[name].push((used.user + used.system) / BLOCK);
    }
  }
  return perTrip;
}

// ---- connections -------------------------------------------------------------------------

/** Child role: serves the canned answer on `kind` sockets (net or libuv) on `port`. */
async function serve(kind, port) {
  if (kind === 'net') {
    const server = net.createServer({ noDelay: true }, (socket) => {
      let seen = '';
      socket.on('error', () => {});
      socket.on('data', (chunk) => {
        seen += chunk.toString('latin1');
        if (!seen.includes('\r\n\r\n')) return;
        socket.write(ANSWER);
        socket.destroy();
      });
    });
    server.listen(port, '127.0.0.1');
    return;
  }
  const uv = libuv();
  await listenOnHandles(port, (handle) => {
    let seen = '';
    uv.read(handle, (h, chunk) => {
      seen += chunk.toString('latin1');
      if (!seen.includes('\r\n\r\n')) return;
      uv.write(h, ANSWER);
      h.readStop();
      h.close();
    });
  });
}

/** Server CPU µs per connection of both kinds in every round, or null without ab. */
async function connections() {
  if (!tools.ab) return null;
  const serverOf = (kind) => [process.execPath, SELF, '--serve', kind];
  const { perRound } = await measureNoKeepAlive(
    [
      ['net.Socket', serverOf('net')],
      ['libuv handles', serverOf('libuv')],
    ],
    { requests: CONNECTIONS * ROUNDS, concurrency: 50, rounds: ROUNDS },
  );
  return perRound;
}

// ---- main --------------------------------------------------------------------------------

if (process.argv[2] === '--serve') {
  await serve(process.argv[3], Number(process.argv[4]));
} else {
  const trips = await roundTrips();
  const conns = await connections();
  console.log(
    `Node ${process.version}: the same exchanges over net.Socket and over bare libuv handles\n`,
  );
  console.log('| exchange | variant | CPU (median) | ratio: raw net.Socket / variant |');
  console.log('|---|---|---|---|');
  const rows = (label, unit, figures) => {
    const reference = figures['net.Socket'];
    for (const [variant, values] of Object.entries(figures)) {
      const ratio = median(values.map((value, i) => reference[i] / value));
      console.log(
        `| ${label} | ${variant} | ${median(values).toFixed(1)} ${unit} | ${ratio.toFixed(2)}x |`,
      );
    }
  };
  rows(`round trip (${BLOCKS} blocks of ${BLOCK})`, 'µs', trips);
  if (conns) rows(`connection (ab -c 50, ${ROUNDS} rounds of ${CONNECTIONS})`, 'µs server', conns);
  else console.log('| connection | (skipped: needs ab) | | |');
  process.exit(0);
}
