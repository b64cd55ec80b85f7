/**
 * `npm run bench`: every Tronada benchmark, each as a ratio against its Node baseline measured
 * in the same run. Not part of the tests. Pass a name filter to run some: `npm run bench -- gen`.
 */
import os from 'node:os';
import { genBenchmarks } from './gen.bench.js';
import { report } from './harness.js';
import { ioloopBenchmarks } from './ioloop.bench.js';

const suites = { ioloop: ioloopBenchmarks, gen: genBenchmarks };
const only = process.argv.slice(2);

console.log(
  `Node ${process.version}, ${os.cpus()[0]?.model ?? 'cpu'} x${os.availableParallelism()}; medians of interleaved rounds, process CPU time`,
);
for (const [name, suite] of Object.entries(suites)) {
  if (only.length > 0 && !only.includes(name)) continue;
  report(`@tronada/${name}`, await suite());
}
