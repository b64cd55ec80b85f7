/**
 * Keep-alive, pipelining and response framing over real sockets (Tornado's KeepAliveTest and
 * HTTP1ConnectionTest).
 */
import { HTTPHeaders, type HTTPServerRequest, ResponseStartLine } from '@tronada/httputil';
import { useTestLoop } from '@tronada/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, echo, hello, RawClient, respond, serve, waitFor } from './helpers.js';

useTestLoop({ beforeEach, afterEach }, { clock: false });
afterEach(cleanup);

/** Tornado's KeepAliveTest handler: `/` Hello world, `/large` 1 MiB, `/finish_on_close`. */
function keepAliveApp(request: HTTPServerRequest): void {
  if (request.path === '/large') respond(request, Buffer.alloc(1024 * 1024, 'a'));
  else if (request.path === '/chunked') {
    const conn = request.connection!;
    conn.writeHeaders(new ResponseStartLine('HTTP/1.1', 200, 'OK'), new HTTPHeaders());
    // A HEAD answer has no body (the web layer drops what a handler writes).
    if (request.method !== 'HEAD') {
      conn.write(Buffer.from('qwer'));
      conn.write(Buffer.from('tyui'));
    }
    conn.finish();
  } else respond(request, 'Hello world');
}

describe('KeepAliveTest', () => {
  it('answers two HTTP/1.1 requests on one connection', async () => {
    const { port } = await serve(keepAliveApp);
    const c = await RawClient.connect(port);
    c.write('GET / HTTP/1.1\r\nHost: a\r\n\r\n');
    const first = await c.readResponse();
    expect(first.body.toString()).toBe('Hello world');
    expect(first.headers.has('Connection')).toBe(false);
    c.write('GET / HTTP/1.1\r\nHost: a\r\n\r\n');
    expect((await c.readResponse()).body.toString()).toBe('Hello world');
    expect(c.ended).toBe(false);
  });

  it('hands an unknown method to the application and keeps the connection usable after its 501', async () => {
    // RFC 9110 §9.1: any token is a method; the server does not judge it, the application
    // answers (here 501, as an origin server that does not implement it should).
    const { port } = await serve((request: HTTPServerRequest) => {
      if (request.method === 'BREW') respond(request, 'no coffee here', 501, { Allow: 'GET' });
      else respond(request, `hello ${request.method}`);
    });
    const c = await RawClient.connect(port);
    c.write('BREW /pot HTTP/1.1\r\nHost: a\r\n\r\n');
    const first = await c.readResponse();
    expect(first.statusLine).toBe('HTTP/1.1 501 Status');
    expect(first.headers.get('Allow')).toBe('GET');
    c.write('GET / HTTP/1.1\r\nHost: a\r\n\r\n');
    expect((await c.readResponse()).body.toString()).toBe('hello GET');
    expect(c.ended).toBe(false);
  });

  it('closes after a request with Connection: close, saying so', async () => {
    const { port } = await serve(keepAliveApp);
    const c = await RawClient.connect(port);
    c.write('GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n');
    const r = await c.readResponse();
    expect(r.headers.get('Connection')).toBe('close');
    expect((await c.readUntilClose()).length).toBe(0);
  });

  it('closes an HTTP/1.0 connection without keep-alive', async () => {
    const { port } = await serve(keepAliveApp);
    const c = await RawClient.connect(port);
    c.write('GET / HTTP/1.0\r\n\r\n');
    const r = await c.readResponse();
    expect(r.statusLine).toBe('HTTP/1.1 200 OK');
    expect(r.body.toString()).toBe('Hello world');
    expect(r.headers.has('Connection')).toBe(false);
    await c.readUntilClose();
  });

  it('keeps an HTTP/1.0 connection with Connection: keep-alive and answers Keep-Alive', async () => {
    const { port } = await serve(keepAliveApp);
    const c = await RawClient.connect(port);
    for (let i = 0; i < 2; i++) {
      c.write('GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n');
      const r = await c.readResponse();
      expect(r.headers.get('Connection')).toBe('Keep-Alive');
      expect(r.body.toString()).toBe('Hello world');
    }
    expect(c.ended).toBe(false);
  });

  it('ignores extra CRLFs before an HTTP/1.0 keep-alive request', async () => {
    const { port } = await serve(keepAliveApp);
    const c = await RawClient.connect(port);
    c.write('GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n');
    await c.readResponse();
    c.write('\r\n\r\nGET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n');
    expect((await c.readResponse()).body.toString()).toBe('Hello world');
  });

  it('answers pipelined requests in order', async () => {
    const seen: string[] = [];
    const { port } = await serve((request) => {
      seen.push(request.path);
      // The second answer is ready first; it must still be sent second.
      const delay = request.path === '/1' ? 20 : 0;
      setTimeout(() => respond(request, request.path), delay);
    });
    const c = await RawClient.connect(port);
    c.write('GET /1 HTTP/1.1\r\nHost: a\r\n\r\nGET /2 HTTP/1.1\r\nHost: a\r\n\r\n');
    expect((await c.readResponse()).body.toString()).toBe('/1');
    expect((await c.readResponse()).body.toString()).toBe('/2');
    expect(seen).toEqual(['/1', '/2']);
  });

  it('survives a client closing with pipelined requests unanswered', async () => {
    const { server, port } = await serve(keepAliveApp);
    const c = await RawClient.connect(port);
    c.write('GET / HTTP/1.1\r\nHost: a\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n');
    c.socket.destroy();
    await waitFor(() => server.connectionCount === 0, 'the connection to end');
  });

  it('survives a client closing during a large download', async () => {
    const { server, port } = await serve(keepAliveApp);
    const c = await RawClient.connect(port);
    c.write('GET /large HTTP/1.1\r\nHost: a\r\n\r\n');
    await c.readUntil('\r\n\r\n');
    c.socket.destroy();
    await waitFor(() => server.connectionCount === 0, 'the connection to end');
  });

  it('tells the application when the client goes away before it answers', async () => {
    let closed = false;
    const { port } = await serve({
      startRequest: (_s, conn) => ({
        headersReceived: () => undefined,
        dataReceived: () => undefined,
        finish: () => {
          conn.setCloseCallback(() => {
            closed = true;
            // Finishing on a closed connection fails quietly (Tornado's test_finish_while_closed).
            expect(() => {
              conn.writeHeaders(new ResponseStartLine('', 200, 'OK'), new HTTPHeaders());
              conn.write(Buffer.from('late'));
              conn.finish();
            }).not.toThrow();
          });
        },
        onConnectionClose: () => undefined,
      }),
      onClose: () => undefined,
    });
    const c = await RawClient.connect(port);
    c.write('GET / HTTP/1.1\r\nHost: a\r\n\r\n');
    await new Promise((r) => setTimeout(r, 20));
    c.socket.destroy();
    await waitFor(() => closed, 'the close callback');
  });

  it('chunks a keep-alive response without Content-Length', async () => {
    const { port } = await serve(keepAliveApp);
    const c = await RawClient.connect(port);
    c.write('GET /chunked HTTP/1.1\r\nHost: a\r\n\r\n');
    const r = await c.readResponse();
    expect(r.headers.get('Transfer-Encoding')).toBe('chunked');
    expect(r.raw.toString('latin1')).toMatch(/\r\n\r\n4\r\nqwer\r\n4\r\ntyui\r\n0\r\n\r\n$/);
    c.write('GET / HTTP/1.1\r\nHost: a\r\n\r\n');
    expect((await c.readResponse()).body.toString()).toBe('Hello world');
  });

  it('reads a chunked request body and then the next request', async () => {
    const { port } = await serve(echo);
    const c = await RawClient.connect(port);
    c.write(
      'POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nqwe\r\n0\r\n\r\n',
    );
    expect((await c.readResponse()).body.toString()).toBe('POST / qwe');
    c.write('GET /next HTTP/1.1\r\nHost: a\r\n\r\n');
    expect((await c.readResponse()).body.toString()).toBe('GET /next ');
  });

  it('sends no body for HEAD, even where a GET would be chunked', async () => {
    const { port } = await serve(keepAliveApp);
    const c = await RawClient.connect(port);
    c.write('HEAD /chunked HTTP/1.1\r\nHost: a\r\n\r\n');
    const r = await c.readResponse({ head: true });
    expect(r.headers.has('Transfer-Encoding')).toBe(false);
    c.write('GET / HTTP/1.1\r\nHost: a\r\n\r\n');
    expect((await c.readResponse()).body.toString()).toBe('Hello world');
  });

  it('closes when the application answers before reading the body', async () => {
    const { port } = await serve({
      startRequest: (_s, conn) => ({
        headersReceived: () => {
          conn.writeHeaders(
            new ResponseStartLine('HTTP/1.1', 200, 'OK'),
            new HTTPHeaders({ 'Content-Length': '2' }),
            Buffer.from('ok'),
          );
          conn.finish();
        },
        dataReceived: () => undefined,
        finish: () => undefined,
        onConnectionClose: () => undefined,
      }),
      onClose: () => undefined,
    });
    const c = await RawClient.connect(port);
    c.write('POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\n');
    expect((await c.readResponse()).body.toString()).toBe('ok');
    await c.readUntilClose();
  });

  it('closes after every request with noKeepAlive', async () => {
    const { port } = await serve(hello, { noKeepAlive: true });
    const c = await RawClient.connect(port);
    c.write('GET / HTTP/1.1\r\nHost: a\r\n\r\n');
    expect((await c.readResponse()).headers.get('Connection')).toBe('close');
    await c.readUntilClose();
  });
});

describe('HTTP1ConnectionTest', () => {
  it('writes an HTTP/1.0 answer without Content-Length unchunked and closes to end it', async () => {
    const { port } = await serve((request) => {
      const conn = request.connection!;
      conn.writeHeaders(new ResponseStartLine('HTTP/1.1', 200, 'OK'), new HTTPHeaders());
      conn.write(Buffer.from('hello'));
      conn.finish();
    });
    const c = await RawClient.connect(port);
    c.write('GET / HTTP/1.0\r\n\r\n');
    const r = await c.readResponse({ untilClose: true });
    expect(r.headers.has('Transfer-Encoding')).toBe(false);
    expect(r.body.toString()).toBe('hello');
  });

  it('sends no body for 304 and 204', async () => {
    const { port } = await serve((request) => {
      const conn = request.connection!;
      const code = request.path === '/304' ? 304 : 204;
      conn.writeHeaders(new ResponseStartLine('HTTP/1.1', code, 'X'), new HTTPHeaders());
      conn.finish();
    });
    const c = await RawClient.connect(port);
    c.write('GET /304 HTTP/1.1\r\nHost: a\r\n\r\nGET /204 HTTP/1.1\r\nHost: a\r\n\r\n');
    const a = await c.readResponse();
    const b = await c.readResponse();
    expect([a.code, b.code]).toEqual([304, 204]);
    expect(a.raw.toString('latin1')).toBe('HTTP/1.1 304 X\r\n\r\n');
    expect(b.raw.toString('latin1')).toBe('HTTP/1.1 204 X\r\n\r\n');
  });
});

describe('HTTPServerTest', () => {
  it('gives the request callback method, uri, query arguments and form body', async () => {
    let seen: HTTPServerRequest | undefined;
    const { port } = await serve((request) => {
      seen = request;
      respond(request, 'ok');
    });
    const body = 'foo=bar&baz=%C3%A9';
    const res = await fetch(`http://127.0.0.1:${port}/p//a?x=1&x=2&e=`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body,
    });
    expect(await res.text()).toBe('ok');
    expect(seen!.method).toBe('POST');
    expect(seen!.path).toBe('/p//a');
    expect(seen!.queryArguments.x!.map(String)).toEqual(['1', '2']);
    expect(seen!.queryArguments.e!.map(String)).toEqual(['']);
    expect(seen!.bodyArguments.baz!.map((b) => b.toString('utf8'))).toEqual(['é']);
    expect(seen!.remoteIp).toBe('127.0.0.1');
    expect(seen!.protocol).toBe('http');
  });

  it('parses a multipart upload into files', async () => {
    let seen: HTTPServerRequest | undefined;
    const { port } = await serve((request) => {
      seen = request;
      respond(request, 'ok');
    });
    const form = new FormData();
    form.append('argument', 'á');
    form.append('files', new Blob(['hello']), 'ñ.txt');
    await (await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', body: form })).text();
    expect(seen!.bodyArguments.argument![0]!.toString('utf8')).toBe('á');
    expect(seen!.files.files![0]!.filename).toBe('ñ.txt');
    expect(seen!.files.files![0]!.body.toString()).toBe('hello');
  });

  it('decodes percent-encoded query values and keeps empty ones', async () => {
    const seen: HTTPServerRequest[] = [];
    const { port } = await serve((request) => {
      seen.push(request);
      respond(request, 'ok');
    });
    await (await fetch(`http://127.0.0.1:${port}/echo?foo=%C3%A9`)).text();
    await (await fetch(`http://127.0.0.1:${port}/echo?foo=&foo=`)).text();
    await (
      await fetch(`http://127.0.0.1:${port}/echo`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: 'foo=&bar=',
      })
    ).text();
    expect(seen[0]!.queryArguments.foo!.map((b) => b.toString('utf8'))).toEqual(['é']);
    expect(seen[1]!.queryArguments.foo!.map(String)).toEqual(['', '']);
    expect(Object.keys(seen[2]!.bodyArguments).sort()).toEqual(['bar', 'foo']);
    expect(seen[2]!.bodyArguments.foo!.map(String)).toEqual(['']);
  });

  it('keeps form values as the bytes sent, in any charset, quoted or not', async () => {
    const seen: HTTPServerRequest[] = [];
    const { port } = await serve((request) => {
      seen.push(request);
      respond(request, 'ok');
    });
    const utf8 = Buffer.from('chinese: 张三');
    // The same text in GBK.
    const gbk = Buffer.concat([Buffer.from('chinese: '), Buffer.from([0xd5, 0xc5, 0xc8, 0xfd])]);
    for (const raw of [utf8, gbk]) {
      for (const quote of [true, false]) {
        const value = quote
          ? Buffer.from([...raw].map((b) => `%${b.toString(16).padStart(2, '0')}`).join(''))
          : raw;
        const res = await fetch(`http://127.0.0.1:${port}/post`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
          body: Buffer.concat([Buffer.from('data='), value]),
        });
        await res.text();
        expect(seen.at(-1)!.bodyArguments.data![0]).toEqual(
          quote ? raw : Buffer.from(raw.toString('latin1').replace(/\+/g, ' '), 'latin1'),
        );
      }
    }
  });

  it('runs a legacy request callback that writes through request.connection', async () => {
    const { port } = await serve(echo);
    const res = await fetch(`http://127.0.0.1:${port}/x?y`, { method: 'PUT', body: 'data' });
    expect(await res.text()).toBe('PUT /x?y data');
  });

  it('accepts CR and LF in the body and a request with bare LF line ends', async () => {
    const { port } = await serve(echo);
    const c = await RawClient.connect(port);
    c.write('POST /n HTTP/1.1\nHost: a\nContent-Length: 4\n\n\r\n\n\r');
    expect((await c.readResponse()).body.toString('latin1')).toBe('POST /n \r\n\n\r');
  });
});

describe('100-continue', () => {
  it('answers Expect: 100-continue before the body, then the request', async () => {
    const { port } = await serve(echo);
    const c = await RawClient.connect(port);
    c.write('POST /c HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n');
    expect((await c.readUntil('\r\n\r\n')).toString()).toBe('HTTP/1.1 100 (Continue)\r\n\r\n');
    c.write('body');
    expect((await c.readResponse()).body.toString()).toBe('POST /c body');
  });

  it('does not send 100 Continue to HTTP/1.0 or for a bodyless request', async () => {
    const { port } = await serve(echo);
    const c = await RawClient.connect(port);
    c.write('GET /g HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\n\r\n');
    expect((await c.readResponse()).code).toBe(200);
    const d = await RawClient.connect(port);
    d.write('POST /c HTTP/1.0\r\nContent-Length: 1\r\nExpect: 100-continue\r\n\r\nx');
    const r = await d.readResponse();
    expect(r.body.toString()).toBe('POST /c x');
  });
});
