// Summarizes a V8 .cpuprofile (from `node --cpu-prof`): the functions with the most self time
// and the most inclusive time (time with them on the stack, counted once per sample), and self
// time by file.
//
// Run: node packages/web/bench/profile-summary.mjs CPU.*.cpuprofile [top=40]
import { readFileSync } from 'node:fs';

const [file, topArg] = process.argv.slice(2);
const TOP = Number(topArg ?? 40);
const profile = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const parent = new Map();
for (const node of profile.nodes)
  for (const child of node.children ?? []) parent.set(child, node.id);

function label(node) {
  const { functionName, url, lineNumber } = node.callFrame;
  const where = url ? `${url.split('/').slice(-2).join('/')}:${lineNumber + 1}` : '';
  return `${functionName || '(anonymous)'} ${where}`.trim();
}

const self = new Map();
const files = new Map();
const inclusive = new Map();
const total = profile.samples.length;
for (const id of profile.samples) {
  const leaf = byId.get(id);
  self.set(label(leaf), (self.get(label(leaf)) ?? 0) + 1);
  const file = leaf.callFrame.url.split('/').slice(-3).join('/') || leaf.callFrame.functionName;
  files.set(file, (files.get(file) ?? 0) + 1);
  const seen = new Set();
  for (let at = id; at !== undefined; at = parent.get(at)) {
    const name = label(byId.get(at));
    if (seen.has(name)) continue;
    seen.add(name);
    inclusive.set(name, (inclusive.get(name) ?? 0) + 1);
  }
}

function show(title, counts) {
  console.log(`\n${title} (${total} samples)`);
  const rows = [...counts].sort((a, b) => b[1] - a[1]).slice(0, TOP);
  for (const [name, n] of rows)
    console.log(`${((n / total) * 100).toFixed(1).padStart(6)}%  ${name}`);
}

show('self by file', files);
show('self', self);
show('inclusive', inclusive);
