// The CPU cost of the web layer alone, without sockets: requests are pushed through an
// in-memory stream pair into an HTTPServer, once with a bare request callback and once with an
// Application/RequestHandler, and the process CPU time per request is compared (interleaved
// rounds, medians). What the RequestHandler path adds on top of the bare callback is the
// figure the issue bounds (at most 30% more CPU per request end to end).
//
// Run: npx tsc -b packages/web && node packages/web/bench/inproc.mjs
// Options: BENCH_REQUESTS=20000 BENCH_ROUNDS=7
import { HTTPServer } from '@tronada/httpserver';
import { HTTPHeaders, ResponseStartLine } from '@tronada/httputil';
import { IOLoop } from '@tronada/ioloop';
import { memoryStreamPair } from '@tronada/iostream';
import { Application, RequestHandler } from '@tronada/web';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 20000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const REQUEST = Buffer.from(
  'GET /hello HTTP/1.1\r\nHost: bench\r\nUser-Agent: bench\r\nAccept: */*\r\n\r\n',
);

class Hello extends RequestHandler {
  get() {
    this.write('Hello, world');
  }
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

function web() {
  return new HTTPServer(new Application([['/hello', Hello]]), { logRequest: null });
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
  const results = { bare: [], web: [] };
  const servers = { bare: bare(), web: web() };
  await run(servers.bare, 2000);
  await run(servers.web, 2000);
  for (let r = 0; r < ROUNDS; r++) {
    for (const name of ['bare', 'web']) results[name].push(await run(servers[name], REQUESTS));
  }
  const b = median(results.bare);
  const w = median(results.web);
  console.log(
    `in-process, ${REQUESTS} requests x ${ROUNDS} rounds (medians, CPU µs per request, client included)`,
  );
  console.log(`  bare HTTPServer callback: ${b.toFixed(2)}`);
  console.log(`  Application/RequestHandler: ${w.toFixed(2)}`);
  console.log(
    `  web layer adds ${(w - b).toFixed(2)} µs per request (${((w / b - 1) * 100).toFixed(0)}% of this in-process figure)`,
  );
});
