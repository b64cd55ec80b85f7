// Renders the same page-sized template (a base layout with blocks, and a 1,000-row table whose
// cells are escaped) with @tronada/template, EJS and Nunjucks in one process, and reports
// renders per second and the ratios. Run: `npm run bench -w @tronada/template` (builds first).
// Python's Tornado renders the same page in a child process when a python3 with tornado is
// found (TORNADO_PYTHON, else python3, else /usr/bin/python3); its row is for reference.
//
// The engines are measured in interleaved rounds so that CPU frequency and GC drift hit all of
// them alike; the reported figure is the median round. Before timing, the outputs are compared
// (whitespace-normalised) so that every engine does the same work.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Loader } from '../dist/index.js';

const require = createRequire(import.meta.url);
const ejs = require('ejs');
const nunjucks = require('nunjucks');

const here = dirname(fileURLToPath(import.meta.url));
const templates = join(here, 'templates');
const rowsCount = Number(process.env.BENCH_ROWS ?? 1000);
const rounds = Number(process.env.BENCH_ROUNDS ?? 15);
const roundMs = Number(process.env.BENCH_ROUND_MS ?? 400);

function makeData() {
  const notes = [
    'plain note',
    'Tom & Jerry',
    '<script>alert("x")</script>',
    "it's fine",
    'a longer note without anything special in it at all',
  ];
  const rows = [];
  for (let id = 1; id <= rowsCount; id++) {
    rows.push({
      id,
      name: id % 7 === 0 ? `User <${id}>` : `User ${id}`,
      email: `user${id}@example.com`,
      note: notes[id % notes.length],
      active: id % 3 !== 0,
    });
  }
  return {
    title: 'Users & "friends"',
    siteName: 'Tronada',
    tagline: 'Templates <fast> & safe',
    user: { name: "O'Brien" },
    rows,
  };
}

const data = makeData();

// whitespace 'all' keeps the text as written, so every engine emits the same bytes of layout.
const loader = new Loader(join(templates, 'tronada'), { whitespace: 'all' });
const tronadaPage = loader.load('page.html');
const ejsFile = join(templates, 'ejs', 'page.ejs');
const ejsPage = ejs.compile(require('node:fs').readFileSync(ejsFile, 'utf8'), {
  filename: ejsFile,
  cache: true,
});
const env = new nunjucks.Environment(new nunjucks.FileSystemLoader(join(templates, 'nunjucks')), {
  autoescape: true,
});
const nunjucksPage = env.getTemplate('page.html', true);

// EJS's default compiles templates with `with (locals)`; its faster strict mode destructures
// named locals instead, much as @tronada/template does.
const ejsStrictPage = ejs.compile(require('node:fs').readFileSync(ejsFile, 'utf8'), {
  filename: ejsFile,
  cache: true,
  strict: true,
  _with: false,
  destructuredLocals: ['title', 'siteName', 'tagline', 'user', 'rows'],
});

const engines = [
  { name: '@tronada/template', render: () => tronadaPage.generate(data) },
  { name: 'ejs 7.0.2', render: () => ejsPage(data) },
  { name: 'ejs 7.0.2 (strict)', render: () => ejsStrictPage(data) },
  { name: 'nunjucks 3.2.4', render: () => nunjucksPage.render(data) },
];

// EJS writes " as &#34; where the others write &quot;: the same escaping work.
const normalise = (html) =>
  html.replaceAll('&#34;', '&quot;').replace(/\s+/g, ' ').replace(/> </g, '><').trim();
const reference = normalise(engines[0].render());
for (const engine of engines.slice(1)) {
  const output = normalise(engine.render());
  if (output !== reference) {
    const at = [...output].findIndex((c, i) => c !== reference[i]);
    throw new Error(
      `${engine.name} output differs at ${at}: ${JSON.stringify(output.slice(at - 40, at + 40))} vs ${JSON.stringify(reference.slice(at - 40, at + 40))}`,
    );
  }
}

function measure(render) {
  const deadline = process.hrtime.bigint() + BigInt(roundMs) * 1_000_000n;
  let count = 0;
  const start = process.hrtime.bigint();
  let now = start;
  let sink = 0;
  while (now < deadline) {
    for (let i = 0; i < 5; i++) sink += render().length;
    count += 5;
    now = process.hrtime.bigint();
  }
  if (sink === 0) throw new Error('no output');
  return (count * 1e9) / Number(now - start);
}

for (const engine of engines) measure(engine.render); // warm up (JIT)
const results = new Map(engines.map((engine) => [engine.name, []]));
for (let round = 0; round < rounds; round++) {
  for (const engine of engines) results.get(engine.name).push(measure(engine.render));
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};
const rates = engines.map((engine) => ({
  name: engine.name,
  rate: median(results.get(engine.name)),
}));
const python = runPythonTornado();
const ours = rates[0].rate;
const fastestPeer = Math.max(...rates.slice(1).map((r) => r.rate));
const bytes = engines[0].render().length;

console.log(
  `page: base layout + ${rowsCount}-row table, ${bytes} bytes of HTML; node ${process.version}`,
);
console.log(`median of ${rounds} interleaved rounds of ${roundMs} ms\n`);
console.log('engine                   renders/s    ms/render   tronada is');
for (const { name, rate } of rates) {
  const ratio = name === rates[0].name ? '' : `${(ours / rate).toFixed(2)}x`;
  console.log(
    `${name.padEnd(24)} ${rate.toFixed(0).padStart(9)} ${(1000 / rate).toFixed(3).padStart(12)}   ${ratio}`,
  );
}
if (python !== undefined) {
  const name = `tornado ${python.version} (py ${python.python})`;
  console.log(
    `${name.padEnd(24)} ${python.rate.toFixed(0).padStart(9)} ${(1000 / python.rate).toFixed(3).padStart(12)}   ${(ours / python.rate).toFixed(2)}x`,
  );
}
console.log(
  `\nratio vs the faster Node peer: ${(ours / fastestPeer).toFixed(2)}x (target >= 1.00x)`,
);
// The machine-readable summary for `npm run bench`: renders per second against each engine
// (above 1 favours Tronada); the target (at least the faster Node peer) holds for each.
const peerRates = rates.slice(1).map(({ name, rate }) => ({ name, rate, target: 1 }));
if (python !== undefined) {
  peerRates.push({ name: `Python Tornado ${python.version}`, rate: python.rate, target: null });
}
const benchRows = peerRates.map(({ name, rate, target }) => ({
  name: `${rowsCount}-row page, renders/s`,
  ours,
  peer: rate,
  peerName: name,
  ratio: ours / rate,
  unit: 'renders/s',
  target,
}));
console.log(`BENCH-JSON ${JSON.stringify({ suite: 'template', rows: benchRows })}`);

/** Runs bench/tornado_page.py; undefined (with a note) when no python3 has tornado. */
function runPythonTornado() {
  const candidates = [process.env.TORNADO_PYTHON, 'python3', '/usr/bin/python3'].filter(Boolean);
  const script = join(here, 'tornado_page.py');
  for (const python of candidates) {
    const probe = spawnSync(python, ['-c', 'import tornado'], { stdio: 'ignore' });
    if (probe.status !== 0) continue;
    const run = spawnSync(python, [script, String(rowsCount), String(rounds), String(roundMs)], {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    if (run.status !== 0) throw new Error(`${python} ${script} failed:\n${run.stderr}`);
    const result = JSON.parse(run.stdout);
    if (normalise(result.normalised) !== reference) {
      throw new Error('Python Tornado output differs from @tronada/template output');
    }
    return result;
  }
  console.log('(no python3 with tornado found: skipping the Python Tornado row)');
  return undefined;
}
