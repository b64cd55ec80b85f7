// Summarizes a V8 CPU profile (`node --cpu-prof`): self time per function, then per package,
// as a share of the busy (non-idle) time and in µs per request when the count is given.
// Run: `node bench/cpu-profile-summary.mjs <file.cpuprofile> [requests] [rows]`.
import { readFileSync } from 'node:fs';

const [file, requests, rows = '40'] = process.argv.slice(2);
if (file === undefined) {
  console.error('usage: node bench/cpu-profile-summary.mjs <file.cpuprofile> [requests] [rows]');
  process.exit(2);
}
const profile = JSON.parse(readFileSync(file, 'utf8'));
const nodes = new Map(profile.nodes.map((n) => [n.id, n]));

/** Microseconds of samples that landed in each profile node. */
const selfByNode = new Map();
for (let i = 0; i < profile.samples.length; i++) {
  const id = profile.samples[i];
  selfByNode.set(id, (selfByNode.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
}

function functionName(frame) {
  const where = frame.url.split('/').slice(-3).join('/');
  return `${frame.functionName || '(anonymous)'} ${where}:${frame.lineNumber + 1}`;
}

function packageName(frame) {
  const inPackage = /packages\/([^/]+)\//.exec(frame.url);
  if (inPackage !== null) return `@tronada/${inPackage[1]}`;
  if (frame.url.startsWith('node:')) return 'node internals';
  if (frame.url.includes('node_modules/')) return 'node_modules';
  return frame.url === '' ? frame.functionName : frame.url;
}

const byFunction = new Map();
const byPackage = new Map();
let busy = 0;
for (const [id, micros] of selfByNode) {
  const frame = nodes.get(id).callFrame;
  if (frame.functionName === '(idle)') continue;
  busy += micros;
  const name = functionName(frame);
  byFunction.set(name, (byFunction.get(name) ?? 0) + micros);
  const pkg = packageName(frame);
  byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + micros);
}

function print(title, table, limit) {
  console.log(title);
  const sorted = [...table].sort((a, b) => b[1] - a[1]).slice(0, limit);
  for (const [name, micros] of sorted) {
    const share = `${((100 * micros) / busy).toFixed(1)}%`.padStart(6);
    const perRequest =
      requests === undefined ? '' : `${(micros / requests).toFixed(2).padStart(7)} µs/req  `;
    console.log(`${share}  ${perRequest}${name}`);
  }
}

console.log(`busy ${(busy / 1000).toFixed(0)} ms (shares below are of busy time)`);
print('self time by function', byFunction, Number(rows));
print('self time by package', byPackage, 20);
