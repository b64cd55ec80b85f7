// The CPU cost of the web layer alone, without sockets: requests are pushed through an
// in-memory stream pair into an HTTPServer, once with a bare request callback and once with an
// Application/RequestHandler, and the process CPU time per request is compared (interleaved
// rounds, medians). What the RequestHandler path adds on top of the bare callback is the
// figure the issue bounds (at most 30% more CPU per request end to end).
//
// Variants: `bare` (the callback writes the hello body itself), `web` (a handler writing
// 'Hello, world'), `json` (a handler writing `{ message: 'Hello, world' }`), `page` (a handler
// rendering a small template, as the socket benchmark's page scenario). With
// BENCH_BASELINE=/path/to/other/web/dist/index.js (another build of @tronada/web, say the last
// release), `base-web` and `base-json` run the same handlers on that build, for before/after
// figures taken in one run.
//
// Run: npx tsc -b packages/web && node packages/web/bench/inproc.mjs
// Options: BENCH_REQUESTS=20000 BENCH_ROUNDS=7 BENCH_VARIANTS=bare,web,json (or page, base-page)
// Profile one variant: BENCH_VARIANTS=web node --cpu-prof packages/web/bench/inproc.mjs, then
// node packages/web/bench/profile-summary.mjs CPU.*.cpuprofile
import { HTTPServer } from '@tronada/httpserver';
import { HTTPHeaders, ResponseStartLine } from '@tronada/httputil';
import { IOLoop } from '@tronada/ioloop';
import { memoryStreamPair } from '@tronada/iostream';
import { DictLoader } from '@tronada/template';
import { Application, RequestHandler } from '@tronada/web';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 20000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const BASELINE = process.env.BENCH_BASELINE;
const VARIANTS = (
  process.env.BENCH_VARIANTS ?? (BASELINE ? 'bare,web,json,base-web,base-json' : 'bare,web,json')
).split(',');
const REQUEST = Buffer.from(
  'GET /hello HTTP/1.1\r\nHost: bench\r\nUser-Agent: bench\r\nAccept: */*\r\n\r\n',
);

const ITEMS = Array.from({ length: 10 }, (_, i) => ({ name: `item <${i}>`, price: i * 1.5 }));
const PAGE = `<html><head><title>{{ title }}</title></head><body><ul>
{% for item in items %}<li>{{ item.name }}: {{ item.price }}</li>
{% end %}</ul></body></html>`;

function handlers(Base) {
  return {
    Hello: class Hello extends Base {
      get() {
        this.write('Hello, world');
      }
    },
    Json: class Json extends Base {
      get() {
        this.write({ message: 'Hello, world' });
      }
    },
    Page: class Page extends Base {
      get() {
        return this.render('page.html', { title: 'Items', items: ITEMS });
      }
    },
  };
}

function bare() {
  const body = Buffer.from('Hello, world');
  const ok = new ResponseStartLine('HTTP/1.1', 200, 'OK');
  return new HTTPServer(
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
}

function web(App, handler) {
  const options = { templateLoader: new DictLoader({ 'page.html': PAGE }) };
  return () => new HTTPServer(new App([['/hello', handler]], options), { logRequest: null });
}

const current = handlers(RequestHandler);
const SERVERS = {
  bare,
  web: web(Application, current.Hello),
  json: web(Application, current.Json),
  page: web(Application, current.Page),
};
if (BASELINE) {
  const base = await import(BASELINE);
  const old = handlers(base.RequestHandler);
  SERVERS['base-web'] = web(base.Application, old.Hello);
  SERVERS['base-json'] = web(base.Application, old.Json);
  SERVERS['base-page'] = web(base.Application, old.Page);
}

/** Sends `n` requests one after another on one keep-alive connection; CPU µs per request. */
async function run(server, n) {
  const [client, serverSide] = memoryStreamPair();
  server.handleStream(serverSide, { address: '127.0.0.1', port: 1, family: 4 });
  const start = process.cpuUsage();
  for (let i = 0; i < n; i++) {
    await client.write(REQUEST);
    const head = await client.readUntil(Buffer.from('\r\n\r\n'));
    const length = /Content-Length: (\d+)/i.exec(head.toString('latin1'));
    await client.readBytes(Number(length[1]));
  }
  const used = process.cpuUsage(start);
  client.close();
  return (used.user + used.system) / n;
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

await IOLoop.current().runSync(async () => {
  const results = Object.fromEntries(VARIANTS.map((name) => [name, []]));
  const servers = Object.fromEntries(VARIANTS.map((name) => [name, SERVERS[name]()]));
  for (const name of VARIANTS) await run(servers[name], 2000);
  for (let r = 0; r < ROUNDS; r++) {
    for (const name of VARIANTS) results[name].push(await run(servers[name], REQUESTS));
  }
  console.log(
    `in-process, ${REQUESTS} requests x ${ROUNDS} rounds (medians, CPU µs per request, client included)`,
  );
  const labels = {
    bare: 'bare HTTPServer callback',
    web: 'Application/RequestHandler (text)',
    json: 'Application/RequestHandler (JSON)',
    'base-web': 'baseline build (text)',
    'base-json': 'baseline build (JSON)',
    page: 'Application/RequestHandler (page)',
    'base-page': 'baseline build (page)',
  };
  const b = results.bare === undefined ? undefined : median(results.bare);
  for (const name of VARIANTS) {
    const m = median(results[name]);
    const extra =
      b === undefined || name === 'bare'
        ? ''
        : `  (+${(m - b).toFixed(2)} µs, ${((m / b - 1) * 100).toFixed(0)}% over bare)`;
    console.log(`  ${labels[name].padEnd(36)} ${m.toFixed(2)}${extra}`);
  }
});
