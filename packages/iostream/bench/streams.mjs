// IOStream against raw net.Socket, in one process and one run, over loopback TCP:
//
//   bulk:       a 1 GiB transfer (BENCH_BYTES). The raw reader counts 'data' events; the
//               IOStream reader (a TCPServer's stream) loops over readBytes(64 KiB,
//               { partial: true }). The writer is a raw socket honouring 'drain' in both, so the
//               figure isolates the reading side; a third variant also writes through an
//               IOStream (from IOStream.connect, awaiting the previous write's Future, so two
//               writes are in flight).
//   round trip: 64-byte request/response over one connection per variant, with TCP_NODELAY.
//               Raw: 'data' handlers on both sides; IOStream: readBytes(64) and write on both
//               sides (a TCPServer and IOStream.connect), with async/await, and again as
//               generator coroutines, and with async/await on the socket transport. A reference
//               variant awaits a plain Promise per read on raw sockets: the floor for any reader
//               that awaits each read.
//
// Tronada's streams run on the default transport (bare libuv handles, see the README) unless
// the variant says "socket transport". The connections stay open and the variants take turns in
//               BENCH_BLOCKS (60) blocks of BENCH_ROUNDTRIPS (2,000) round trips, so that a
//               change of load on the machine meets all of them alike.
//
// Both ends run in this process, so CPU time (user + system, process.cpuUsage) covers the
// whole exchange; the headline figure is CPU time per byte / per round trip, and wall time is
// reported too. Bulk variants run in interleaved rounds (BENCH_ROUNDS), round trips in blocks;
// the table gives medians, and the ratios are medians of the ratios within each round or block
// (the same machine load for both).
//
// Run: npx tsc -b packages/iostream && npm run bench -w @tronada/iostream
// Smaller: BENCH_BYTES=268435456 BENCH_BLOCKS=20 node bench/streams.mjs
import { once } from 'node:events';
import { loadavg } from 'node:os';
import { IOStream } from '../dist/index.js';
import { listening, rawConnect, roundTrip, serving } from './round-trip-variants.mjs';

const BULK_BYTES = Number(process.env.BENCH_BYTES ?? 1024 * 1024 * 1024);
const ROUND_TRIPS = Number(process.env.BENCH_ROUNDTRIPS ?? 2_000);
const BLOCKS = Number(process.env.BENCH_BLOCKS ?? 60);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 9);
const CHUNK = Buffer.alloc(64 * 1024, 0x61);

/** Writes `total` bytes on a raw socket, honouring backpressure. */
async function rawWrite(socket, total) {
  for (let sent = 0; sent < total; sent += CHUNK.length) {
    if (!socket.write(CHUNK)) await once(socket, 'drain');
  }
}

/** Runs `body` and returns its wall and CPU seconds. */
async function measure(body) {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await body();
  const wall = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  return { wall, cpu: (cpu.user + cpu.system) / 1e6 };
}

const bulk = {
  async 'raw net'(total) {
    let done;
    const finished = new Promise((resolve) => {
      done = resolve;
    });
    const server = await listening((socket) => {
      let received = 0;
      socket.on('data', (chunk) => {
        received += chunk.length;
        if (received >= total) done();
      });
    });
    const client = await rawConnect(server.address().port);
    const m = await measure(async () => {
      await rawWrite(client, total);
      await finished;
    });
    client.destroy();
    server.close();
    return m;
  },

  async 'IOStream reader'(total) {
    let done;
    const finished = new Promise((resolve) => {
      done = resolve;
    });
    const server = await serving(async (stream) => {
      let received = 0;
      while (received < total)
        received += (await stream.readBytes(65536, { partial: true })).length;
      stream.close();
      done();
    });
    const client = await rawConnect(server.port);
    const m = await measure(async () => {
      await rawWrite(client, total);
      await finished;
    });
    client.destroy();
    server.stop();
    return m;
  },

  async 'IOStream both ends'(total) {
    let done;
    const finished = new Promise((resolve) => {
      done = resolve;
    });
    const server = await serving(async (stream) => {
      let received = 0;
      while (received < total)
        received += (await stream.readBytes(65536, { partial: true })).length;
      stream.close();
      done();
    });
    const client = await IOStream.connect({ host: '127.0.0.1', port: server.port });
    const m = await measure(async () => {
      let previous = null;
      for (let sent = 0; sent < total; sent += CHUNK.length) {
        const written = client.write(CHUNK);
        if (previous !== null) await previous;
        previous = written;
      }
      await previous;
      await finished;
    });
    client.close();
    server.stop();
    return m;
  },
};

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function run(name, variants, amount) {
  const samples = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
  // One warm-up pass at a tenth of the size, then interleaved rounds.
  for (const fn of Object.values(variants)) await fn(Math.max(1, Math.floor(amount / 10)));
  for (let round = 0; round < ROUNDS; round++) {
    for (const [key, fn] of Object.entries(variants)) samples[key].push(await fn(amount));
  }
  return rowsOf(name, samples);
}

/** Table rows from `samples` (variant → measurements, the first variant the reference). */
function rowsOf(name, samples) {
  const raw = Object.values(samples)[0];
  return Object.entries(samples).map(([key, ms]) => ({
    bench: name,
    variant: key,
    wall: median(ms.map((m) => m.wall)),
    cpu: median(ms.map((m) => m.cpu)),
    // Ratios within each round or block (same load on the machine), then their median.
    cpuRatio: median(ms.map((m, i) => raw[i].cpu / m.cpu)),
    wallRatio: median(ms.map((m, i) => raw[i].wall / m.wall)),
  }));
}

/**
 * Round trips in alternating blocks: every variant keeps its connection, and blocks of
 * ROUND_TRIPS round trips take turns (the order reversed every other block), BLOCKS times, so
 * each variant sees the machine's load of the same moments. Rows as `run` gives them, with the
 * ratios taken block by block.
 */
async function runBlocks(name, variants) {
  const open = {};
  for (const [key, setup] of Object.entries(variants)) open[key] = await setup();
  for (const variant of Object.values(open)) await variant.run(10_000);
  const samples = Object.fromEntries(Object.keys(open).map((k) => [k, []]));
  const keys = Object.keys(open);
  for (let block = 0; block < BLOCKS; block++) {
    for (const key of block % 2 ? [...keys].reverse() : keys) {
      samples[key].push(await measure(() => open[key].run(ROUND_TRIPS)));
    }
  }
  for (const variant of Object.values(open)) variant.close();
  return rowsOf(name, samples);
}

const bulkRows = await run('bulk', bulk, BULK_BYTES);
const rttRows = await runBlocks('round trip', roundTrip);

const MiB = 1024 * 1024;
console.log(
  `Node ${process.version}, ${BULK_BYTES / MiB} MiB bulk in ${ROUNDS} interleaved rounds, ${ROUND_TRIPS} round trips per block in ${BLOCKS} alternating blocks (medians; ratios are medians of per-round and per-block ratios), load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
console.log('');
console.log('| bench | variant | wall | throughput | CPU | CPU ratio vs raw | wall ratio vs raw |');
console.log('|---|---|---|---|---|---|---|');
for (const rows of [bulkRows, rttRows]) {
  for (const r of rows) {
    const isBulk = r.bench === 'bulk';
    const rate = isBulk
      ? `${(BULK_BYTES / MiB / r.wall).toFixed(0)} MiB/s`
      : `${(ROUND_TRIPS / r.wall).toFixed(0)} rt/s`;
    const cpuPer = isBulk
      ? `${((r.cpu * 1e9) / BULK_BYTES).toFixed(3)} ns/B`
      : `${((r.cpu * 1e6) / ROUND_TRIPS).toFixed(2)} µs/rt`;
    console.log(
      `| ${r.bench} | ${r.variant} | ${r.wall.toFixed(2)} s | ${rate} | ${cpuPer} | ${r.cpuRatio.toFixed(2)}x | ${r.wallRatio.toFixed(2)}x |`,
    );
  }
}
// The machine-readable summary for `npm run bench`: CPU ratios against raw net (above 1 favours
// Tronada), with the targets.
const benchRows = [];
for (const rows of [bulkRows, rttRows]) {
  const isBulk = rows[0].bench === 'bulk';
  const per = (r) => (isBulk ? (r.cpu * 1e9) / BULK_BYTES : (r.cpu * 1e6) / ROUND_TRIPS);
  // Tronada's variants as shipped only (not the await-per-read reference, nor the socket
  // transport, which is there for comparison).
  const shipped = (row) => row.variant.startsWith('IOStream') && !row.variant.includes('socket');
  for (const r of rows.slice(1).filter(shipped)) {
    benchRows.push({
      name: `${r.bench}, ${r.variant}, CPU`,
      ours: per(r),
      peer: per(rows[0]),
      peerName: rows[0].variant,
      ratio: r.cpuRatio,
      unit: isBulk ? 'CPU ns/B' : 'CPU µs/round trip',
      target: isBulk ? 0.9 : 0.85,
    });
  }
}
console.log(`BENCH-JSON ${JSON.stringify({ suite: 'iostream', rows: benchRows })}`);
