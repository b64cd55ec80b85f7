// Profiling helper: Tronada's AsyncHTTPClient alone against fetch.mjs's server, BENCH_N
// requests (after 2,000 to warm up) with 50 in flight; prints the client CPU per request.
// Run after a build: `node --cpu-prof --cpu-prof-dir=prof bench/profile-tronada.mjs`, then
// `node bench/cpu-profile-summary.mjs prof/<file>.cpuprofile <BENCH_N + 2000>`.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { IOLoop } from '@tronada/ioloop';
import { AsyncHTTPClient } from '../dist/index.js';

const N = Number(process.env.BENCH_N ?? 50_000);
const IN_FLIGHT = 50;
const server = fork(fileURLToPath(new URL('./fetch.mjs', import.meta.url)), ['server']);
const port = await new Promise((resolve) => server.once('message', resolve));
const url = `http://127.0.0.1:${port}/`;
const loop = new IOLoop();
loop.makeCurrent();
const client = new AsyncHTTPClient({
  forceInstance: true,
  maxClients: IN_FLIGHT,
  maxIdlePerKey: IN_FLIGHT,
});
async function run(n) {
  let next = 0;
  async function worker() {
    while (next < n) {
      next += 1;
      const response = await client.fetch(url, { decompressResponse: false });
      if (response.body.length !== 12) throw new Error('bad body');
    }
  }
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
}
await run(2000);
const cpu = process.cpuUsage();
await run(N);
const used = process.cpuUsage(cpu);
console.log(`CPU µs/request: ${((used.user + used.system) / N).toFixed(1)}`);
client.close();
loop.close();
server.kill();
