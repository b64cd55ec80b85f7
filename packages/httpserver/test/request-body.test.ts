/**
 * Request bodies as a delegate sees them: gzip decompression, piece sizes, flow control, and
 * proxy headers (Tornado's GzipTest, GzipUnsupportedTest, StreamingChunkSizeTest, XHeaderTest,
 * SSLXHeaderTest, ManualProtocolTest).
 */
import { gzipSync } from 'node:zlib';
import {
  type HTTPConnection,
  HTTPHeaders,
  type HTTPMessageDelegate,
  type HTTPServerRequest,
  ResponseStartLine,
} from '@tronada/httputil';
import { accessLog, genLog } from '@tronada/ioloop';
import { expectLog, useTestLoop } from '@tronada/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HTTPRequestContext, HTTPServer } from '../src/index.js';
import { cleanup, RawClient, respond, serve, track } from './helpers.js';

useTestLoop({ beforeEach, afterEach }, { clock: false });
afterEach(cleanup);

/** Answers with the form arguments as JSON and the Content-Encoding headers seen. */
function formEcho(request: HTTPServerRequest): void {
  const args: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(request.bodyArguments)) args[k] = v.map(String);
  respond(
    request,
    JSON.stringify({
      args,
      encoding: request.headers.get('Content-Encoding') ?? null,
      consumed: request.headers.get('X-Consumed-Content-Encoding') ?? null,
    }),
  );
}

async function postForm(port: number, body: Buffer, encoding?: string): Promise<unknown> {
  const headers: Record<string, string> = {
    'Content-Type': 'application/x-www-form-urlencoded',
  };
  if (encoding !== undefined) headers['Content-Encoding'] = encoding;
  const res = await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', headers, body });
  return res.json();
}

describe('GzipTest', () => {
  it('decompresses a gzip body with decompressRequest', async () => {
    const { port } = await serve(formEcho, { decompressRequest: true });
    expect(await postForm(port, gzipSync('foo=bar'), 'gzip')).toEqual({
      args: { foo: ['bar'] },
      encoding: null,
      consumed: 'gzip',
    });
  });

  it('matches Content-Encoding case-insensitively', async () => {
    const { port } = await serve(formEcho, { decompressRequest: true });
    expect(await postForm(port, gzipSync('foo=bar'), 'GZIP')).toMatchObject({
      args: { foo: ['bar'] },
    });
  });

  it('leaves an uncompressed body alone', async () => {
    const { port } = await serve(formEcho, { decompressRequest: true });
    expect(await postForm(port, Buffer.from('foo=bar'))).toMatchObject({ args: { foo: ['bar'] } });
  });

  it('passes a gzip body through without decompressRequest', async () => {
    const { port } = await serve(formEcho);
    const answer = await expectLog(genLog, /Unsupported Content-Encoding: gzip/, () =>
      postForm(port, gzipSync('foo=bar'), 'gzip'),
    );
    expect(answer).toEqual({
      args: {},
      encoding: 'gzip',
      consumed: null,
    });
  });

  it('answers a corrupt gzip body with 400', async () => {
    const { port } = await serve(formEcho, { decompressRequest: true });
    const c = await RawClient.connect(port);
    const answer = await expectLog(genLog, /Malformed HTTP message.*gzip/, async () => {
      c.write(
        'POST / HTTP/1.1\r\nHost: a\r\nContent-Encoding: gzip\r\nContent-Length: 5\r\n\r\nhello',
      );
      return (await c.readUntilClose()).toString();
    });
    expect(answer).toBe('HTTP/1.1 400 Bad Request\r\n\r\n');
  });
});

/** Records the sizes of the pieces a streaming delegate receives; answers them as JSON. */
function pieceSizes(sizes: number[][]) {
  return {
    startRequest: (_s: object, conn: HTTPConnection): HTTPMessageDelegate => {
      const mine: number[] = [];
      sizes.push(mine);
      return {
        headersReceived: () => undefined,
        // Each piece is awaited before the next is read (flow control).
        dataReceived: (chunk) => {
          mine.push(chunk.length);
          return new Promise<void>((r) => setTimeout(r, 1));
        },
        finish: () => {
          const body = Buffer.from('ok');
          conn.writeHeaders(
            new ResponseStartLine('HTTP/1.1', 200, 'OK'),
            new HTTPHeaders({ 'Content-Length': '2' }),
            body,
          );
          conn.finish();
        },
        onConnectionClose: () => undefined,
      };
    },
    onClose: () => undefined,
  };
}

describe('StreamingChunkSizeTest', () => {
  const body = Buffer.alloc(100, 'x');
  const options = { chunkSize: 16, decompressRequest: true };

  async function send(port: number, head: string, payload: Buffer): Promise<void> {
    const c = await RawClient.connect(port);
    c.write(Buffer.concat([Buffer.from(head), payload]));
    expect((await c.readResponse()).body.toString()).toBe('ok');
  }

  it('hands a sized body over in pieces of at most chunkSize', async () => {
    const sizes: number[][] = [];
    const { port } = await serve(pieceSizes(sizes), options);
    await send(port, 'POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 100\r\n\r\n', body);
    expect(sizes[0]).toEqual([16, 16, 16, 16, 16, 16, 4]);
  });

  it('hands a decompressed body over in pieces of at most chunkSize', async () => {
    const sizes: number[][] = [];
    const { port } = await serve(pieceSizes(sizes), options);
    const gz = gzipSync(body);
    await send(
      port,
      `POST / HTTP/1.1\r\nHost: a\r\nContent-Encoding: gzip\r\nContent-Length: ${gz.length}\r\n\r\n`,
      gz,
    );
    expect(sizes[0]!.every((n) => n <= 16)).toBe(true);
    expect(sizes[0]!.reduce((a, b) => a + b, 0)).toBe(100);
  });

  it('hands chunked bodies over in pieces of at most chunkSize, compressed or not', async () => {
    const sizes: number[][] = [];
    const { port } = await serve(pieceSizes(sizes), options);
    const chunked = (p: Buffer) =>
      Buffer.concat([Buffer.from(`${p.length.toString(16)}\r\n`), p, Buffer.from('\r\n0\r\n\r\n')]);
    await send(
      port,
      'POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n',
      chunked(body),
    );
    await send(
      port,
      'POST / HTTP/1.1\r\nHost: a\r\nContent-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n',
      chunked(gzipSync(body)),
    );
    // Each connection also started a delegate for a next request that never came.
    const [plain, compressed] = sizes.filter((s) => s.length > 0);
    expect(plain).toEqual([16, 16, 16, 16, 16, 16, 4]);
    expect(compressed!.every((n) => n <= 16)).toBe(true);
    expect(compressed!.reduce((a, b) => a + b, 0)).toBe(100);
  });

  it('answers a decompressed body over maxBodySize with 413', async () => {
    const { port } = await serve(pieceSizes([]), { decompressRequest: true, maxBodySize: 1000 });
    const gz = gzipSync(Buffer.alloc(100_000));
    const c = await RawClient.connect(port);
    const answer = await expectLog(genLog, /Malformed HTTP message/, async () => {
      c.write(
        `POST / HTTP/1.1\r\nHost: a\r\nContent-Encoding: gzip\r\nContent-Length: ${gz.length}\r\n\r\n`,
      );
      c.write(gz);
      return (await c.readUntilClose()).toString();
    });
    expect(answer).toBe('HTTP/1.1 413 Content Too Large\r\n\r\n');
  });
});

function whoAmI(request: HTTPServerRequest): void {
  respond(request, JSON.stringify({ remoteIp: request.remoteIp, protocol: request.protocol }));
}

describe('XHeaderTest', () => {
  async function ask(port: number, headers: Record<string, string>): Promise<unknown> {
    return (await fetch(`http://127.0.0.1:${port}/`, { headers })).json();
  }

  it('takes the client address from X-Real-Ip and X-Forwarded-For when valid', async () => {
    const { port } = await serve(whoAmI, { xheaders: true });
    expect(await ask(port, { 'X-Real-Ip': '4.4.4.4' })).toMatchObject({ remoteIp: '4.4.4.4' });
    expect(await ask(port, { 'X-Forwarded-For': '4.4.4.4, 5.5.5.5' })).toMatchObject({
      remoteIp: '5.5.5.5',
    });
    expect(await ask(port, { 'X-Real-Ip': '2620:0:1cfe:face:b00c::3' })).toMatchObject({
      remoteIp: '2620:0:1cfe:face:b00c::3',
    });
    expect(await ask(port, { 'X-Real-Ip': '4.4.4.4<script>' })).toMatchObject({
      remoteIp: '127.0.0.1',
    });
    expect(await ask(port, { 'X-Forwarded-For': '4.4.4.4, 5.5.5.5<script>' })).toMatchObject({
      remoteIp: '127.0.0.1',
    });
  });

  it('skips trusted downstream proxies in X-Forwarded-For', async () => {
    const { port } = await serve(whoAmI, {
      xheaders: true,
      trustedDownstream: ['5.5.5.5'],
    });
    expect(await ask(port, { 'X-Forwarded-For': '127.0.0.1, 4.4.4.4, 5.5.5.5' })).toMatchObject({
      remoteIp: '4.4.4.4',
    });
  });

  it('takes the scheme from X-Scheme or the last X-Forwarded-Proto, http or https only', async () => {
    const { port } = await serve(whoAmI, { xheaders: true });
    expect(await ask(port, { 'X-Scheme': 'https' })).toMatchObject({ protocol: 'https' });
    expect(await ask(port, { 'X-Forwarded-Proto': 'https' })).toMatchObject({ protocol: 'https' });
    expect(await ask(port, { 'X-Forwarded-Proto': 'https , http' })).toMatchObject({
      protocol: 'http',
    });
    expect(await ask(port, { 'X-Forwarded-Proto': 'unknown' })).toMatchObject({ protocol: 'http' });
  });

  it('resets the address and scheme before the next request on the connection', async () => {
    const { port } = await serve(whoAmI, { xheaders: true });
    const c = await RawClient.connect(port);
    c.write('GET / HTTP/1.1\r\nHost: a\r\nX-Real-Ip: 4.4.4.4\r\nX-Scheme: https\r\n\r\n');
    expect(JSON.parse((await c.readResponse()).body.toString())).toEqual({
      remoteIp: '4.4.4.4',
      protocol: 'https',
    });
    c.write('GET / HTTP/1.1\r\nHost: a\r\n\r\n');
    expect(JSON.parse((await c.readResponse()).body.toString())).toEqual({
      remoteIp: '127.0.0.1',
      protocol: 'http',
    });
  });

  it('ignores proxy headers without xheaders, and uses a manual protocol', async () => {
    const { port } = await serve(whoAmI, { protocol: 'https' });
    expect(await ask(port, { 'X-Real-Ip': '4.4.4.4', 'X-Scheme': 'http' })).toEqual({
      remoteIp: '127.0.0.1',
      protocol: 'https',
    });
  });

  it('gives a connection without an address 0.0.0.0', () => {
    expect(new HTTPRequestContext().remoteIp).toBe('0.0.0.0');
  });
});

describe('access log', () => {
  it('logs method, uri, status, remote ip and time per request on accessLog', async () => {
    // helpers.serve turns logging off unless told: give it the default back.
    const server = track(
      new HTTPServer((request) => respond(request, 'x', 201), { xheaders: true }),
    );
    await server.listen(0, '127.0.0.1');
    const port = server.port!;
    accessLog.level = 'info';
    await expectLog(accessLog, /^201 GET \/a\?b \(4\.4\.4\.4\) \d+\.\d\dms$/, async () => {
      await (
        await fetch(`http://127.0.0.1:${port}/a?b`, { headers: { 'X-Real-Ip': '4.4.4.4' } })
      ).text();
    });
  });

  it('calls a replacement logger with the entry', async () => {
    const entries: unknown[] = [];
    const { port } = await serve((request) => respond(request, 'x'), {
      logRequest: (e) => entries.push(e),
    });
    await (await fetch(`http://127.0.0.1:${port}/z`, { method: 'DELETE' })).text();
    expect(entries).toEqual([
      expect.objectContaining({ method: 'DELETE', uri: '/z', status: 200, remoteIp: '127.0.0.1' }),
    ]);
  });
});
