// Tronada's web layer under keep-alive load, against Fastify, node:http and Python Tornado in the
// same run: hello world, a JSON response and a templated page. Also the bare HTTPServer callback,
// to show what the Application/RequestHandler path costs on top of it.
//
// Each server runs in its own process pinned to CPU 0; wrk (or a Node load generator) on CPU 1.
// Reported per scenario: requests per second and the server's CPU time per request (the steady
// figure on a busy machine), then the ratios the issue sets targets for.
//
// Run: npx tsc -b packages/web && npm run bench -w @tronada/web
// Options: BENCH_SECONDS=5 BENCH_CONNECTIONS=50 BENCH_SCENARIOS=hello,json,page
//          BENCH_TARGETS=tronada-web,tronada-callback,fastify,node,tornado
//          BENCH_BASELINE=/path/to/other/web/dist/index.js adds the target
//          `tronada-web-baseline`: the same application on that build of @tronada/web
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { measure, tools, tornadoPython } from '../../../tooling/bench/http-load.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const SCENARIOS = (process.env.BENCH_SCENARIOS ?? 'hello,json,page').split(',');
const TARGETS = (
  process.env.BENCH_TARGETS ?? 'tronada-web,tronada-callback,fastify,node,tornado'
).split(',');
const SELF = fileURLToPath(import.meta.url);

const ITEMS = Array.from({ length: 10 }, (_, i) => ({ name: `item <${i}>`, price: i * 1.5 }));
const PAGE = `<html><head><title>{{ title }}</title></head><body><ul>
{% for item in items %}<li>{{ item.name }}: {{ item.price }}</li>
{% end %}</ul></body></html>`;
const PAGE_END = '</html>';

const TORNADO_APP = `
import asyncio, sys, tornado.web, tornado.template
PAGE = ${JSON.stringify(PAGE.replaceAll('item.name', "item['name']").replaceAll('item.price', "item['price']"))}
ITEMS = [dict(name="item <%d>" % i, price=i * 1.5) for i in range(10)]
class Hello(tornado.web.RequestHandler):
    def get(self):
        self.write("Hello, world")
class Json(tornado.web.RequestHandler):
    def get(self):
        self.write({"message": "Hello, world"})
class Page(tornado.web.RequestHandler):
    def get(self):
        self.render("page.html", title="Items", items=ITEMS)
async def main():
    loader = tornado.template.DictLoader({"page.html": PAGE})
    app = tornado.web.Application([(r"/hello", Hello), (r"/json", Json), (r"/page", Page)], template_loader=loader)
    app.listen(int(sys.argv[1]), "127.0.0.1")
    await asyncio.Event().wait()
asyncio.run(main())
`;

// ---- server roles ----------------------------------------------------------------------------

async function serveTronadaWeb(port, module = '@tronada/web') {
  const { Application, RequestHandler } = await import(module);
  const { DictLoader } = await import('@tronada/template');
  class Hello extends RequestHandler {
    get() {
      this.write('Hello, world');
    }
  }
  class Json extends RequestHandler {
    get() {
      this.write({ message: 'Hello, world' });
    }
  }
  class Page extends RequestHandler {
    get() {
      return this.render('page.html', { title: 'Items', items: ITEMS });
    }
  }
  const app = new Application(
    [
      ['/hello', Hello],
      ['/json', Json],
      ['/page', Page],
    ],
    { templateLoader: new DictLoader({ 'page.html': PAGE }) },
  );
  await app.listen(port, '127.0.0.1', { logRequest: null });
}

async function serveTronadaCallback(port) {
  const { HTTPServer } = await import('@tronada/httpserver');
  const { HTTPHeaders, ResponseStartLine } = await import('@tronada/httputil');
  const body = Buffer.from('Hello, world');
  const ok = new ResponseStartLine('HTTP/1.1', 200, 'OK');
  const server = new HTTPServer(
    (request) => {
      const headers = new HTTPHeaders({
        'Content-Type': 'text/html; charset=UTF-8',
        'Content-Length': '12',
      });
      request.connection.writeHeaders(ok, headers, body);
      request.connection.finish();
    },
    { logRequest: null },
  );
  await server.listen(port, '127.0.0.1');
}

function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function renderPage(title, items) {
  let out = `<html><head><title>${escapeHtml(title)}</title></head><body><ul>\n`;
  for (const item of items) out += `<li>${escapeHtml(item.name)}: ${escapeHtml(item.price)}</li>\n`;
  return `${out}</ul></body></html>`;
}

async function serveFastify(port) {
  const { default: Fastify } = await import('fastify');
  const app = Fastify({ logger: false });
  app.get('/hello', (_req, reply) => {
    reply.type('text/html; charset=UTF-8').send('Hello, world');
  });
  app.get('/json', () => ({ message: 'Hello, world' }));
  app.get('/page', (_req, reply) => {
    reply.type('text/html; charset=UTF-8').send(renderPage('Items', ITEMS));
  });
  await app.listen({ port, host: '127.0.0.1' });
}

async function serveNode(port) {
  const http = await import('node:http');
  const server = http.createServer((req, res) => {
    if (req.url === '/json') {
      const body = JSON.stringify({ message: 'Hello, world' });
      res.writeHead(200, {
        'Content-Type': 'application/json',
        'Content-Length': Buffer.byteLength(body),
      });
      res.end(body);
    } else if (req.url === '/page') {
      const body = renderPage('Items', ITEMS);
      res.writeHead(200, {
        'Content-Type': 'text/html; charset=UTF-8',
        'Content-Length': Buffer.byteLength(body),
      });
      res.end(body);
    } else {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=UTF-8', 'Content-Length': 12 });
      res.end('Hello, world');
    }
  });
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
}

// ---- the driver ------------------------------------------------------------------------------

const EXPECT = { hello: 'Hello, world', json: '"Hello, world"}', page: PAGE_END };

function ratio(rows, a, b) {
  const x = rows.find((r) => r.server === a);
  const y = rows.find((r) => r.server === b);
  if (!x || !y) return 'n/a';
  return `${(y['CPU µs/request'] / x['CPU µs/request']).toFixed(2)}x (CPU), ${(x['req/s'] / y['req/s']).toFixed(2)}x (req/s)`;
}

async function main() {
  const role = process.argv[2];
  const port = Number(process.argv[3]);
  if (role === '--serve-tronada-web') return serveTronadaWeb(port);
  if (role === '--serve-tronada-web-baseline') {
    return serveTronadaWeb(port, process.env.BENCH_BASELINE);
  }
  if (role === '--serve-tronada-callback') return serveTronadaCallback(port);
  if (role === '--serve-fastify') return serveFastify(port);
  if (role === '--serve-node') return serveNode(port);

  const python = tornadoPython();
  const targets = {
    'tronada-web': [process.execPath, SELF, '--serve-tronada-web'],
    'tronada-callback': [process.execPath, SELF, '--serve-tronada-callback'],
    ...(process.env.BENCH_BASELINE && {
      'tronada-web-baseline': [process.execPath, SELF, '--serve-tronada-web-baseline'],
    }),
    fastify: [process.execPath, SELF, '--serve-fastify'],
    node: [process.execPath, SELF, '--serve-node'],
    ...(python && { tornado: [python, '-c', TORNADO_APP] }),
  };
  console.log(
    `keep-alive, ${CONNECTIONS} connections, ${SECONDS} s each; load: ${tools.wrk ? 'wrk' : 'node load generator'}; ${tools.taskset ? 'server on CPU 0, load on CPU 1' : 'not pinned'}; node ${process.version}; cpus ${execFileSync('nproc').toString().trim()}`,
  );
  const benchRows = [];
  for (const scenario of SCENARIOS) {
    const rows = [];
    for (const name of TARGETS) {
      if (name === 'tronada-callback' && scenario !== 'hello') continue;
      if (targets[name] === undefined) {
        console.log(`${name}: skipped (not available)`);
        continue;
      }
      rows.push(
        await measure(name, targets[name], {
          path: `/${scenario}`,
          seconds: SECONDS,
          connections: CONNECTIONS,
          expect: EXPECT[scenario],
        }),
      );
    }
    console.log(`\n${scenario}`);
    console.table(rows);
    console.log(`  tronada-web vs fastify: ${ratio(rows, 'tronada-web', 'fastify')}`);
    console.log(`  tronada-web vs node:http: ${ratio(rows, 'tronada-web', 'node')}`);
    console.log(`  tronada-web vs tornado: ${ratio(rows, 'tronada-web', 'tornado')}`);
    if (process.env.BENCH_BASELINE) {
      console.log(
        `  tronada-web vs baseline: ${ratio(rows, 'tronada-web', 'tronada-web-baseline')}`,
      );
    }
    if (scenario === 'hello') {
      const web = rows.find((r) => r.server === 'tronada-web');
      const bare = rows.find((r) => r.server === 'tronada-callback');
      if (web && bare) {
        const extra = (web['CPU µs/request'] / bare['CPU µs/request'] - 1) * 100;
        console.log(
          `  RequestHandler path over the bare callback: ${extra.toFixed(0)}% more CPU per request`,
        );
      }
    }
    benchRows.push(...benchJsonRows(scenario, rows));
  }
  console.log(`BENCH-JSON ${JSON.stringify({ suite: 'web', rows: benchRows })}`);
}

/**
 * The machine-readable rows for `npm run bench`: server CPU per request of tronada-web against
 * each peer (above 1 favours Tronada), with the targets.
 */
function benchJsonRows(scenario, rows) {
  const web = rows.find((r) => r.server === 'tronada-web');
  if (!web) return [];
  const peers = [
    ['fastify', 'Fastify', scenario === 'page' ? null : 1.3],
    ['node', 'node:http', null],
    ['tornado', 'Python Tornado', 5],
    // At most 30% more CPU than the bare callback.
    ['tronada-callback', 'bare HTTPServer callback', 1 / 1.3],
  ];
  const out = [];
  for (const [server, peerName, target] of peers) {
    const peer = rows.find((r) => r.server === server);
    if (!peer) continue;
    const [a, b] = [web['CPU µs/request'], peer['CPU µs/request']];
    const name = `${scenario}, CPU per request`;
    out.push({ name, ours: a, peer: b, peerName, ratio: b / a, unit: 'CPU µs/request', target });
  }
  return out;
}

await main();
