// Micro-benchmark of the HTTP/1 request parser: a typical browser GET (about 700 bytes of
// headers) parsed N times, keep-alive style (one parser, one request per push), reported as
// CPU nanoseconds per request and per byte (median of interleaved rounds). For reference it
// also drives Node's own llhttp through the internal `_http_common` binding that node:http uses
// (no public API exists; the figure is for the bare parser plus Node's callback, without
// node:http's IncomingMessage).
// Run: `npm run bench -w @tronada/httputil` (builds first). BENCH_N sets the request count.
import { createRequire } from 'node:module';
import { HTTP1Parser, HTTPServerRequest } from '../dist/index.js';

const require = createRequire(import.meta.url);
const N = Number(process.env.BENCH_N ?? 300_000);
const rounds = Number(process.env.BENCH_ROUNDS ?? 7);

const browser = Buffer.from(
  [
    'GET /articles/2024/http-parsing?page=2&sort=new HTTP/1.1',
    'Host: www.example.com',
    'Connection: keep-alive',
    'Cache-Control: max-age=0',
    'sec-ch-ua: "Chromium";v="124", "Google Chrome";v="124", "Not-A.Brand";v="99"',
    'sec-ch-ua-mobile: ?0',
    'sec-ch-ua-platform: "Linux"',
    'Upgrade-Insecure-Requests: 1',
    'User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
    'Accept: text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8',
    'Sec-Fetch-Site: none',
    'Sec-Fetch-Mode: navigate',
    'Sec-Fetch-User: ?1',
    'Sec-Fetch-Dest: document',
    'Accept-Encoding: gzip, deflate, br, zstd',
    'Accept-Language: en-US,en;q=0.9',
    'Cookie: session=3f9a1c2b7d; theme=dark',
    '',
    '',
  ].join('\r\n'),
  'latin1',
);
// What wrk sends in the server's hello-world benchmark.
const wrk = Buffer.from('GET / HTTP/1.1\r\nHost: 127.0.0.1:8888\r\n\r\n', 'latin1');

function tronada(request, n, withRequest) {
  let count = 0;
  let parser;
  const sink = {
    onHeaders(startLine, headers) {
      if (withRequest) new HTTPServerRequest({ startLine, headers });
    },
    onData() {},
    onMessageComplete() {
      count++;
      parser.reset();
    },
  };
  parser = new HTTP1Parser(sink, { mode: 'request', autoContinue: false });
  for (let i = 0; i < n; i++) parser.push(request);
  if (count !== n) throw new Error(`parsed ${count} of ${n}`);
}

function llhttp(request, n) {
  const { HTTPParser } = require('node:_http_common');
  let count = 0;
  const parser = new HTTPParser();
  parser.initialize(HTTPParser.REQUEST, {});
  parser[HTTPParser.kOnHeadersComplete] = () => {};
  parser[HTTPParser.kOnBody] = () => {};
  parser[HTTPParser.kOnMessageComplete] = () => {
    count++;
  };
  for (let i = 0; i < n; i++) parser.execute(request);
  if (count !== n) throw new Error(`llhttp parsed ${count} of ${n}`);
}

// CPU time of this process (user + system), not wall time: robust when other jobs share the
// cores, as the server benchmarks measure it.
function time(fn) {
  const t0 = process.cpuUsage();
  fn();
  const t = process.cpuUsage(t0);
  return ((t.user + t.system) * 1000) / N;
}

const benchRows = [];
for (const [label, request] of [
  ['browser GET', browser],
  ['wrk GET', wrk],
]) {
  const cases = [
    ['HTTP1Parser (start line + HTTPHeaders)', () => tronada(request, N, false)],
    ['HTTP1Parser + HTTPServerRequest', () => tronada(request, N, true)],
    ["Node's llhttp via _http_common", () => llhttp(request, N)],
  ];
  for (const [, fn] of cases) fn(); // warm up
  const results = cases.map(() => []);
  for (let r = 0; r < rounds; r++) {
    for (const [i, [, fn]] of cases.entries()) results[i].push(time(fn));
  }
  console.log(
    `${label}: ${request.length} bytes; ${N} requests x ${rounds} rounds (median CPU time)`,
  );
  const medians = cases.map((_, i) => {
    const sorted = results[i].sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)];
  });
  const reference = medians[medians.length - 1];
  for (const [i, [name]] of cases.entries()) {
    const ns = medians[i];
    console.log(
      `  ${name.padEnd(42)} ${ns.toFixed(0).padStart(6)} ns/request  ${(ns / request.length).toFixed(2)} ns/byte  ${(ns / reference).toFixed(2)}x llhttp`,
    );
  }
  for (const [i, [name]] of cases.slice(0, -1).entries()) {
    benchRows.push({
      name: `${label} (${request.length} bytes), ${name}`,
      ours: medians[i],
      peer: reference,
      peerName: "Node's llhttp",
      ratio: reference / medians[i],
      unit: 'CPU ns/request',
      target: null,
    });
  }
}
// The machine-readable summary for `npm run bench` (above 1 favours Tronada).
console.log(`BENCH-JSON ${JSON.stringify({ suite: 'httputil', rows: benchRows })}`);
