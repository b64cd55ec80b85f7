/**
 * `npm run bench`: every Tronada benchmark, each as a ratio against its baseline measured in the
 * same run. Not part of the tests. Pass names to run some: `npm run bench -- gen httpserver`.
 *
 * The in-process suites (ioloop, gen) report medians of interleaved rounds of process CPU time;
 * the server suites (httpserver, web) run each server in its own process under keep-alive load
 * and report the server's CPU time per request (see tooling/bench/http-load.js). Their options
 * (BENCH_SECONDS, BENCH_CONNECTIONS, ...) pass through the environment.
 */
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { genBenchmarks } from './gen.bench.js';
import { report } from './harness.js';
import { ioloopBenchmarks } from './ioloop.bench.js';

const suites = { ioloop: ioloopBenchmarks, gen: genBenchmarks };
const serverSuites = {
  httpserver: '../../packages/httpserver/bench/hello.mjs',
  'httpserver-multiprocess': '../../packages/httpserver/bench/multiprocess.mjs',
  web: '../../packages/web/bench/web.mjs',
  websocket: '../../packages/websocket/bench/echo.mjs',
};
const only = process.argv.slice(2);
const wanted = (name) => only.length === 0 || only.includes(name);

console.log(
  `Node ${process.version}, ${os.cpus()[0]?.model ?? 'cpu'} x${os.availableParallelism()}; medians of interleaved rounds, process CPU time`,
);
for (const [name, suite] of Object.entries(suites)) {
  if (wanted(name)) report(`@tronada/${name}`, await suite());
}
for (const [name, script] of Object.entries(serverSuites)) {
  if (!wanted(name)) continue;
  console.log(`\n@tronada/${name}`);
  const path = fileURLToPath(new URL(script, import.meta.url));
  const run = spawnSync(process.execPath, [path], { stdio: 'inherit', timeout: 15 * 60 * 1000 });
  if (run.status !== 0) console.log(`@tronada/${name}: the benchmark failed (exit ${run.status})`);
}
