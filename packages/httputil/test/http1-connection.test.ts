/**
 * HTTP1Connection and HTTP1ServerConnection over real loopback sockets, without HTTPServer:
 * a server side built from a TCPServer, and the client side of the same codec talking to it.
 */
import { genLog } from '@tronada/ioloop';
import { IOStream, TCPServer } from '@tronada/iostream';
import { expectLog, useTestLoop } from '@tronada/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type {
  HTTPConnection,
  HTTPMessageDelegate,
  HTTPServerConnectionDelegate,
} from '../src/index.js';
import {
  HTTP1Connection,
  HTTP1ConnectionParameters,
  HTTP1ServerConnection,
  HTTPHeaders,
  RequestStartLine,
  ResponseStartLine,
} from '../src/index.js';

useTestLoop({ beforeEach, afterEach }, { clock: false });

const servers: TCPServer[] = [];
const connections: HTTP1ServerConnection[] = [];
const streams: IOStream[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) s.stop();
  for (const c of connections.splice(0)) await c.close();
  for (const s of streams.splice(0)) s.close();
  for (let i = 0; i < 3; i++) await new Promise((r) => setImmediate(r));
});

/** Echoes `method path body` with Content-Length, collecting the body as it streams. */
const echoApp: HTTPServerConnectionDelegate = {
  startRequest(_server: object, conn: HTTPConnection): HTTPMessageDelegate {
    let line = '';
    let head = false;
    const chunks: Buffer[] = [];
    return {
      headersReceived(start) {
        if (start instanceof RequestStartLine) {
          line = `${start.method} ${start.path}`;
          head = start.method === 'HEAD';
        }
      },
      dataReceived(chunk) {
        chunks.push(Buffer.from(chunk));
      },
      finish() {
        const body = Buffer.from(`${line} ${Buffer.concat(chunks).toString()}`);
        conn.writeHeaders(
          new ResponseStartLine('HTTP/1.1', 200, 'OK'),
          new HTTPHeaders({ 'Content-Length': String(body.length) }),
          head ? undefined : body,
        );
        conn.finish();
      },
      onConnectionClose() {},
    };
  },
  onClose() {},
};

async function startServer(params = new HTTP1ConnectionParameters()): Promise<number> {
  class Server extends TCPServer {
    override handleStream(stream: IOStream): void {
      const conn = new HTTP1ServerConnection(stream, params, { remoteIp: '127.0.0.1' });
      connections.push(conn);
      conn.startServing(echoApp);
    }
  }
  const server = new Server();
  servers.push(server);
  await server.listen(0, '127.0.0.1');
  return server.port!;
}

/** A client-side delegate that collects one response. */
function collector() {
  const got = { code: 0, headers: new HTTPHeaders(), body: '', finished: false, closed: false };
  const delegate: HTTPMessageDelegate = {
    headersReceived(start, headers) {
      got.code = (start as ResponseStartLine).code;
      got.headers = headers;
    },
    dataReceived(chunk) {
      got.body += Buffer.from(chunk).toString();
    },
    finish() {
      got.finished = true;
    },
    onConnectionClose() {
      got.closed = true;
    },
  };
  return { got, delegate };
}

async function client(port: number): Promise<HTTP1Connection> {
  const stream = await IOStream.connect({ host: '127.0.0.1', port });
  streams.push(stream);
  return new HTTP1Connection(stream, true);
}

describe('HTTP1Connection, client side against HTTP1ServerConnection', () => {
  it('sends a sized request and reads the response, twice on one connection', async () => {
    const port = await startServer();
    const conn = await client(port);
    for (const path of ['/a', '/b']) {
      conn.writeHeaders(
        new RequestStartLine('POST', path, 'HTTP/1.1'),
        new HTTPHeaders({ Host: 'x', 'Content-Length': '3' }),
        Buffer.from('abc'),
      );
      conn.finish();
      const { got, delegate } = collector();
      expect(await conn.readResponse(delegate)).toBe(true);
      expect(got).toMatchObject({ code: 200, body: `POST ${path} abc`, finished: true });
    }
  });

  it('sends a chunked request body when no Content-Length is given', async () => {
    const port = await startServer();
    const conn = await client(port);
    const headers = new HTTPHeaders({ Host: 'x' });
    conn.writeHeaders(new RequestStartLine('PUT', '/c', 'HTTP/1.1'), headers);
    expect(headers.get('Transfer-Encoding')).toBe('chunked');
    conn.write(Buffer.from('one,'));
    conn.write(Buffer.from('two'));
    conn.finish();
    const { got, delegate } = collector();
    await conn.readResponse(delegate);
    expect(got.body).toBe('PUT /c one,two');
  });

  it('reads no body for the response to HEAD', async () => {
    const port = await startServer();
    const conn = await client(port);
    conn.writeHeaders(
      new RequestStartLine('HEAD', '/h', 'HTTP/1.1'),
      new HTTPHeaders({ Host: 'x' }),
    );
    conn.finish();
    const { got, delegate } = collector();
    expect(await conn.readResponse(delegate)).toBe(true);
    expect(got.code).toBe(200);
    expect(got.headers.get('Content-Length')).toBe(String('HEAD /h '.length));
    expect(got.body).toBe('');
    expect(got.finished).toBe(true);
  });

  it('reports a connection closed mid-response to the delegate', async () => {
    const port = await startServer(new HTTP1ConnectionParameters({ maxHeaderSize: 100 }));
    const conn = await client(port);
    conn.writeHeaders(
      new RequestStartLine('GET', '/', 'HTTP/1.1'),
      new HTTPHeaders({ Host: 'x', 'X-Big': 'a'.repeat(200) }),
    );
    conn.finish();
    const { got, delegate } = collector();
    const keepGoing = await expectLog(genLog, /Malformed HTTP message from 127\.0\.0\.1/, () =>
      conn.readResponse(delegate),
    );
    expect(keepGoing).toBe(false);
    expect(got.code).toBe(431);
    expect(got.finished).toBe(true);
  });
});

describe('HTTP1Connection, server side', () => {
  it('asks for a request delegate only once a request head arrived', async () => {
    let started = 0;
    const counting: HTTPServerConnectionDelegate = {
      startRequest(server, conn) {
        started += 1;
        return echoApp.startRequest(server, conn);
      },
      onClose() {},
    };
    class Server extends TCPServer {
      override handleStream(stream: IOStream): void {
        const conn = new HTTP1ServerConnection(stream);
        connections.push(conn);
        conn.startServing(counting);
      }
    }
    const server = new Server();
    servers.push(server);
    await server.listen(0, '127.0.0.1');
    const stream = await IOStream.connect({ host: '127.0.0.1', port: server.port! });
    streams.push(stream);
    for (let i = 0; i < 3; i++) await new Promise((r) => setImmediate(r));
    expect(started).toBe(0);
    await stream.write('GET /one HTTP/1.1\r\nHost: x\r\n\r\nGET /two HTTP/1.1\r\nHost: x\r\n\r\n');
    for (const path of ['/one', '/two']) {
      await stream.readUntil('\r\n\r\n');
      const body = (await stream.readBytes(`GET ${path} `.length)).toString();
      expect(body).toBe(`GET ${path} `);
    }
    expect(started).toBe(2);
    await expectLog(genLog, /Malformed HTTP message/, async () => {
      await stream.write('NOT A REQUEST\r\n\r\n');
      expect((await stream.readUntilClose()).toString()).toMatch(/^HTTP\/1\.1 400 /);
    });
    expect(started).toBe(2);
  });

  it('refuses write() after finish() and ignores a second finish()', async () => {
    let afterFinish: unknown;
    const app: HTTPServerConnectionDelegate = {
      startRequest(_s, conn) {
        return {
          headersReceived() {},
          dataReceived() {},
          finish() {
            conn.writeHeaders(new ResponseStartLine('HTTP/1.1', 200, 'OK'), new HTTPHeaders());
            conn.write(Buffer.from('body'));
            conn.finish();
            conn.finish();
            try {
              conn.write(Buffer.from('late'));
            } catch (error) {
              afterFinish = error;
            }
          },
          onConnectionClose() {},
        };
      },
      onClose() {},
    };
    class Server extends TCPServer {
      override handleStream(stream: IOStream): void {
        const conn = new HTTP1ServerConnection(stream);
        connections.push(conn);
        conn.startServing(app);
      }
    }
    const server = new Server();
    servers.push(server);
    await server.listen(0, '127.0.0.1');
    const conn = await client(server.port!);
    for (let i = 0; i < 2; i++) {
      conn.writeHeaders(
        new RequestStartLine('GET', '/', 'HTTP/1.1'),
        new HTTPHeaders({ Host: 'x' }),
      );
      conn.finish();
      const { got, delegate } = collector();
      expect(await conn.readResponse(delegate)).toBe(true);
      expect(got.body).toBe('body');
      expect(got.headers.get('Transfer-Encoding')).toBe('chunked');
    }
    expect((afterFinish as Error).name).toBe('HTTPOutputError');
  });
});

describe('HTTP1ConnectionParameters', () => {
  it('fills in safe defaults and refuses non-positive limits', () => {
    const p = new HTTP1ConnectionParameters();
    expect(p).toMatchObject({
      noKeepAlive: false,
      chunkSize: 65536,
      maxHeaderSize: 65536,
      maxBodySize: 104857600,
      idleTimeout: null,
      headerTimeout: null,
      bodyTimeout: null,
      decompress: false,
    });
    expect(() => new HTTP1ConnectionParameters({ chunkSize: 0 })).toThrow(RangeError);
  });
});
