// Benchmark: requests per second and client CPU per request fetching a small body from one
// node:http server (in a child process, so its CPU is not counted) with 50 requests in flight,
// for Tronada's AsyncHTTPClient, undici's `request` (the undici package, a devDependency), node:http
// with a keep-alive Agent, and Node's built-in fetch.
// Each client runs the same number of requests, in interleaved rounds; the median is reported.
// Run: `npm run bench -w @tronada/httpclient` (builds first). BENCH_N sets requests per round.
import { fork } from 'node:child_process';
import { Agent, request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { IOLoop } from '@tronada/ioloop';
import { Pool } from 'undici';
import { AsyncHTTPClient } from '../dist/index.js';

const N = Number(process.env.BENCH_N ?? 20_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const IN_FLIGHT = 50;

if (process.argv[2] === 'server') {
  const { createServer } = await import('node:http');
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': '12' });
    res.end('Hello, world');
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () => process.send(server.address().port));
} else {
  const child = fork(fileURLToPath(import.meta.url), ['server']);
  const port = await new Promise((resolve) => child.once('message', resolve));
  const url = `http://127.0.0.1:${port}/`;

  /** Runs `one()` N times with IN_FLIGHT at once; returns req/s and CPU µs per request. */
  async function measure(one) {
    let next = 0;
    const cpu = process.cpuUsage();
    const start = performance.now();
    async function worker() {
      while (next < N) {
        next += 1;
        await one();
      }
    }
    await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
    const seconds = (performance.now() - start) / 1000;
    const used = process.cpuUsage(cpu);
    return { rps: N / seconds, cpu: (used.user + used.system) / N };
  }

  const loop = new IOLoop();
  loop.makeCurrent();
  const tronada = new AsyncHTTPClient({
    forceInstance: true,
    maxClients: IN_FLIGHT,
    maxIdlePerKey: IN_FLIGHT,
  });
  const agent = new Agent({ keepAlive: true, maxSockets: IN_FLIGHT });
  const pool = new Pool(`http://127.0.0.1:${port}`, { connections: IN_FLIGHT });
  const clients = {
    'tronada AsyncHTTPClient': async () => {
      const response = await tronada.fetch(url, { decompressResponse: false });
      if (response.body.length !== 12) throw new Error('bad body');
    },
    'undici request (Pool)': async () => {
      const { body } = await pool.request({ path: '/', method: 'GET' });
      const bytes = await body.arrayBuffer();
      if (bytes.byteLength !== 12) throw new Error('bad body');
    },
    'node:http + keep-alive Agent': () =>
      new Promise((resolve, reject) => {
        request(url, { agent }, (res) => {
          const chunks = [];
          res.on('data', (c) => chunks.push(c));
          res.on('end', () => (Buffer.concat(chunks).length === 12 ? resolve() : reject()));
        })
          .on('error', reject)
          .end();
      }),
    'fetch (undici in Node)': async () => {
      const body = await (await fetch(url)).arrayBuffer();
      if (body.byteLength !== 12) throw new Error('bad body');
    },
  };
  const results = Object.fromEntries(Object.keys(clients).map((k) => [k, []]));
  for (const one of Object.values(clients)) await measure(one); // warm-up
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, one] of Object.entries(clients)) results[name].push(await measure(one));
  }
  const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const rows = Object.entries(results).map(([name, rs]) => ({
    name,
    rps: median(rs.map((r) => r.rps)),
    cpu: median(rs.map((r) => r.cpu)),
  }));
  const base = rows.find((r) => r.name.startsWith('node:http'));
  const undici = rows.find((r) => r.name.startsWith('undici'));
  console.log(`${N} requests per round, ${IN_FLIGHT} in flight, median of ${ROUNDS} rounds`);
  // Ratios: req/s over the peer's; CPU is the peer's CPU per request over ours (above 1: less).
  console.log(
    `${'client'.padEnd(28)} ${'req/s'.padStart(7)}   ${'CPU µs/req'.padStart(8)}   ${'req/s ratio vs node:http, undici'.padStart(18)}   ${'CPU ratio vs node:http, undici'.padStart(18)}`,
  );
  for (const r of rows) {
    console.log(
      `${r.name.padEnd(28)} ${r.rps.toFixed(0).padStart(7)}   ${r.cpu.toFixed(1).padStart(8)}   ${(r.rps / base.rps).toFixed(2).padStart(10)}x ${(r.rps / undici.rps).toFixed(2).padStart(6)}x   ${(base.cpu / r.cpu).toFixed(2).padStart(10)}x ${(undici.cpu / r.cpu).toFixed(2).padStart(6)}x`,
    );
  }
  // The machine-readable summary for `npm run bench`: req/s and client CPU per request against
  // each client (a ratio above 1 favours Tronada), with the targets.
  const target = (r) =>
    r.name.startsWith('node:http') ? 1 : r.name.startsWith('undici') ? 0.8 : null;
  const ours = rows[0];
  const benchRows = rows.slice(1).flatMap((r) => [
    {
      name: `${IN_FLIGHT} in flight, req/s`,
      ours: ours.rps,
      peer: r.rps,
      peerName: r.name,
      ratio: ours.rps / r.rps,
      unit: 'req/s',
      target: target(r),
    },
    {
      name: `${IN_FLIGHT} in flight, client CPU per request`,
      ours: ours.cpu,
      peer: r.cpu,
      peerName: r.name,
      ratio: r.cpu / ours.cpu,
      unit: 'CPU µs/req',
      target: target(r),
    },
  ]);
  console.log(`BENCH-JSON ${JSON.stringify({ suite: 'httpclient', rows: benchRows })}`);
  tronada.close();
  agent.destroy();
  await pool.close();
  loop.close();
  child.kill();
}
