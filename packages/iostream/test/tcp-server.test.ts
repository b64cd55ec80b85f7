/**
 * TCPServer over real loopback sockets (Tornado's tcpserver_test TCPServerTest, plus the
 * start/stop life cycle, TLS and stream options).
 */
import { readFileSync } from 'node:fs';
import type { Server } from 'node:net';
import { connect, Socket } from 'node:net';
import * as tls from 'node:tls';
import { appLog, genLog, TimeoutError } from '@tronada/ioloop';
import { expectLog, useTestLoop } from '@tronada/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConnectionAddress, HandleStreamResult, IOStream } from '../src/index.js';
import {
  bindSockets,
  bindUnusedPort,
  IOStream as IOStreamClass,
  ServerStateError,
  SSLIOStream,
  StreamClosedError,
  TCPServer,
} from '../src/index.js';

/** As in stream-helpers.ts: the suite runs again with servers on the socket transport. */
const serverTransport = process.env.TRONADA_TEST_TRANSPORT === 'socket' ? 'socket' : 'handle';

const cert = readFileSync(new URL('./fixtures/tls/test.crt', import.meta.url));
const key = readFileSync(new URL('./fixtures/tls/test.key', import.meta.url));

useTestLoop({ beforeEach, afterEach }, { clock: false });

const servers: TCPServer[] = [];
const streams: IOStream[] = [];
const sockets: Socket[] = [];

afterEach(async () => {
  for (const s of servers.splice(0)) s.stop();
  for (const s of streams.splice(0)) s.close();
  for (const s of sockets.splice(0)) s.destroy();
  // Close callbacks run on the loop; let them run before the loop is checked for leaks.
  await turns(3);
});

async function turns(n: number): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
}

async function waitFor(condition: () => boolean, what: string): Promise<void> {
  const until = Date.now() + 2000;
  while (!condition()) {
    if (Date.now() > until) throw new TimeoutError(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

type Handler = (stream: IOStream, address: ConnectionAddress) => HandleStreamResult;

/** A server whose handleStream is `handler`, listening on 127.0.0.1 on a free port. */
async function serve(
  handler: Handler,
  options: ConstructorParameters<typeof TCPServer>[0] = {},
): Promise<{ server: TCPServer; port: number }> {
  class TestServer extends TCPServer {
    override handleStream(stream: IOStream, address: ConnectionAddress): HandleStreamResult {
      streams.push(stream);
      return handler.call(this, stream, address);
    }
  }
  const server = new TestServer({ transport: serverTransport, ...options });
  servers.push(server);
  await server.listen(0, '127.0.0.1');
  return { server, port: server.port! };
}

async function client(port: number): Promise<IOStream> {
  const stream = await IOStreamClass.connect({ host: '127.0.0.1', port });
  streams.push(stream);
  return stream;
}

describe('TCPServer.handleStream', () => {
  it('logs an exception a generator handleStream throws, and closes the connection', async () => {
    const { port } = await serve(function* (stream) {
      yield* stream.readBytes(5);
      stream.close();
      throw new Error('boom in handler');
    });
    const c = await client(port);
    await expectLog(appLog, /Exception in handleStream.*boom in handler/, async () => {
      await c.write('hello');
      await c.readUntilClose();
      await turns(2);
    });
  });

  it('runs an async handleStream and delivers what it writes', async () => {
    const { port } = await serve(async (stream) => {
      await stream.write('data');
      stream.close();
    });
    const c = await client(port);
    expect((await c.readUntilClose()).toString()).toBe('data');
  });

  it('runs a generator handleStream as a coroutine, with typed yield* results', async () => {
    const { port } = await serve(function* (stream) {
      const line: Buffer = yield* stream.readUntil('\n');
      yield* stream.write(`echo: ${line.toString()}`);
      stream.close();
    });
    const c = await client(port);
    await c.write('ping\n');
    expect((await c.readUntilClose()).toString()).toBe('echo: ping\n');
  });

  it('logs a synchronous exception of a plain handleStream and closes the connection', async () => {
    const { port } = await serve(() => {
      throw new Error('sync failure');
    });
    await expectLog(appLog, /Exception in handleStream.*sync failure/, async () => {
      const c = await client(port);
      expect((await c.readUntilClose()).length).toBe(0);
    });
  });

  it('logs and closes connections on a TCPServer whose handleStream was not overridden', async () => {
    const server = new TCPServer();
    servers.push(server);
    await server.listen(0, '127.0.0.1');
    await expectLog(appLog, /Exception in handleStream.*not implemented/, async () => {
      const c = await client(server.port!);
      await c.readUntilClose();
    });
  });

  it('treats a StreamClosedError out of handleStream as the peer hanging up, not an error', async () => {
    let ended = false;
    const { port } = await serve(function* (stream) {
      try {
        for (;;) yield* stream.write(yield* stream.readUntil('\n'));
      } finally {
        ended = true;
      }
    });
    const c = await client(port);
    await c.write('one\n');
    expect((await c.readUntil('\n')).toString()).toBe('one\n');
    c.close();
    await waitFor(() => ended, 'the handler to end');
  });

  it('gives handleStream the peer address', async () => {
    const seen: ConnectionAddress[] = [];
    const { port } = await serve((_stream, address) => {
      seen.push(address);
    });
    const c = await client(port);
    await waitFor(() => seen.length === 1, 'the connection');
    expect(seen[0]).toEqual({
      address: '127.0.0.1',
      port: c.socket.localPort,
      family: 4,
    });
  });

  it('keeps accepting while an earlier handleStream is still running', async () => {
    let running = 0;
    const { port } = await serve(function* (stream) {
      running++;
      yield* stream.readUntilClose();
    });
    await client(port);
    await client(port);
    await client(port);
    await waitFor(() => running === 3, 'three handlers running at once');
  });

  it('passes maxBufferSize and readChunkSize to every stream', async () => {
    const seen: IOStream[] = [];
    const { port } = await serve((stream) => void seen.push(stream), {
      maxBufferSize: 4096,
      readChunkSize: 512,
    });
    await client(port);
    await waitFor(() => seen.length === 1, 'the connection');
    expect(seen[0]!.maxBufferSize).toBe(4096);
    expect(seen[0]!.readChunkSize).toBe(512);
  });
});

describe('TCPServer life cycle', () => {
  it('may be stopped twice', async () => {
    const [sock] = await bindUnusedPort();
    const server = new TCPServer();
    server.addSocket(sock);
    server.stop();
    server.stop();
    expect(sock.listening).toBe(false);
  });

  it('refuses new connections after stop while accepted ones go on', async () => {
    const { server, port } = await serve(function* (stream) {
      for (;;) yield* stream.write(yield* stream.readUntil('\n'));
    });
    const first = await client(port);
    await first.write('before\n');
    expect((await first.readUntil('\n')).toString()).toBe('before\n');
    server.stop();
    await expect(IOStreamClass.connect({ host: '127.0.0.1', port })).rejects.toMatchObject({
      realError: { code: 'ECONNREFUSED' },
    });
    await first.write('after\n');
    expect((await first.readUntil('\n')).toString()).toBe('after\n');
  });

  it('survives stop() called from handleStream while more clients connect', async () => {
    const { server, port } = await serve(function* (stream) {
      server.stop();
      yield* stream.readUntilClose();
    });
    const attempts = Array.from({ length: 40 }, () =>
      IOStreamClass.connect({ host: '127.0.0.1', port }).then(
        (s) => {
          streams.push(s);
          return true;
        },
        (e: unknown) => {
          expect(e).toBeInstanceOf(StreamClosedError);
          return false;
        },
      ),
    );
    const connected = (await Promise.all(attempts)).filter(Boolean).length;
    expect(connected).toBeGreaterThan(0);
  });

  it('serves connections that arrived between bindSockets and addSockets', async () => {
    const bound = await bindSockets(0, '127.0.0.1');
    const port = (bound[0]!.address() as { port: number }).port;
    const early = connect(port, '127.0.0.1');
    sockets.push(early);
    await new Promise((r) => early.once('connect', r));
    early.write('early\n');
    class Echo extends TCPServer {
      override *handleStream(stream: IOStream) {
        streams.push(stream);
        yield* stream.write(yield* stream.readUntil('\n'));
      }
    }
    const server = new Echo();
    servers.push(server);
    server.addSockets(bound);
    const reply = await new Promise<string>((r) => early.once('data', (d) => r(d.toString())));
    expect(reply).toBe('early\n');
  });

  it('listens through bind() and start() in this process with numProcesses 1', async () => {
    const server = new TCPServer();
    servers.push(server);
    server.bind(0, '127.0.0.1');
    expect(server.port).toBeNull();
    await server.start();
    expect(server.port).toBeGreaterThan(0);
    expect(server.addresses()).toEqual([
      { address: '127.0.0.1', family: 'IPv4', port: server.port },
    ]);
  });

  it('binds every address recorded by bind() when start() runs', async () => {
    const server = new TCPServer();
    servers.push(server);
    server.bind(0, '127.0.0.1');
    server.bind(0, '127.0.0.1');
    await server.start();
    expect(new Set(server.addresses().map((a) => a.port)).size).toBe(2);
  });

  it('refuses bind() after start(), pointing to listen()', async () => {
    const server = new TCPServer();
    servers.push(server);
    await server.start(1);
    expect(() => server.bind(0, '127.0.0.1')).toThrow(/use listen\(\)/);
  });

  it('reports a bind error recorded by bind() from start()', async () => {
    const [taken, port] = await bindUnusedPort();
    const server = new TCPServer();
    servers.push(server);
    server.bind(port, '127.0.0.1');
    await expect(server.start()).rejects.toMatchObject({ code: 'EADDRINUSE' });
    taken.close();
  });

  it('refuses a second start()', async () => {
    const server = new TCPServer();
    servers.push(server);
    await server.start();
    expect(() => server.start()).toThrow(ServerStateError);
  });

  it('does not start listening when stop() comes while listen() is binding', async () => {
    const server = new TCPServer();
    const listening = server.listen(0, '127.0.0.1');
    server.stop();
    await listening;
    expect(server.addresses()).toEqual([]);
  });

  it('refuses listen() after stop()', async () => {
    const server = new TCPServer();
    server.stop();
    await expect(server.listen(0, '127.0.0.1')).rejects.toThrow(ServerStateError);
  });

  it('listens on several ports when listen() is called more than once', async () => {
    const server = new TCPServer();
    servers.push(server);
    await server.listen(0, '127.0.0.1');
    await server.listen(0, '127.0.0.1');
    const ports = server.addresses().map((a) => a.port);
    expect(new Set(ports).size).toBe(2);
  });

  it('ignores a server added twice', async () => {
    const [sock] = await bindUnusedPort();
    const server = new TCPServer();
    servers.push(server);
    server.addSockets([sock, sock]);
    expect(server.addresses()).toHaveLength(1);
  });
});

describe('TCPServer with TLS', () => {
  it('finishes the handshake before calling handleStream', async () => {
    const handshakes: boolean[] = [];
    const { port } = await serve(
      function* (stream) {
        handshakes.push(stream instanceof SSLIOStream && stream.socket.getFinished() !== undefined);
        const line = yield* stream.readUntil('\n');
        yield* stream.write(line);
      },
      { sslOptions: { cert, key } },
    );
    const c = new SSLIOStream(new Socket(), {
      sslOptions: { ca: cert },
      serverHostname: 'localhost',
    });
    streams.push(c);
    await c.connect({ host: '127.0.0.1', port });
    await c.write('secret\n');
    expect((await c.readUntil('\n')).toString()).toBe('secret\n');
    expect(handshakes).toEqual([true]);
  });

  it('SSLIOStream.connect opens a verified TLS client stream in one call', async () => {
    const { port } = await serve(
      function* (stream) {
        const line = yield* stream.readUntil('\n');
        yield* stream.write(line);
      },
      { sslOptions: { cert, key } },
    );
    const c = await SSLIOStream.connect(
      { host: '127.0.0.1', port },
      { sslOptions: { ca: cert }, serverHostname: 'localhost' },
    );
    streams.push(c);
    expect(c).toBeInstanceOf(SSLIOStream);
    await c.write('over tls\n');
    expect((await c.readUntil('\n')).toString()).toBe('over tls\n');
  });

  it('closes a connection whose handshake fails without calling handleStream', async () => {
    let called = 0;
    const { port } = await serve(() => void called++, { sslOptions: { cert, key } });
    const raw = connect(port, '127.0.0.1');
    sockets.push(raw);
    await new Promise((r) => raw.once('connect', r));
    await expectLog(genLog, /SSL Error/, async () => {
      raw.write('this is not a TLS client hello\r\n\r\n');
      await new Promise((r) => raw.once('close', r));
    });
    expect(called).toBe(0);
  });

  it('closes quietly when the peer hangs up before the handshake', async () => {
    let called = 0;
    const { port } = await serve(() => void called++, { sslOptions: { cert, key } });
    const raw = connect(port, '127.0.0.1');
    sockets.push(raw);
    await new Promise((r) => raw.once('connect', r));
    raw.end();
    await new Promise((r) => raw.once('close', r));
    await turns(3);
    expect(called).toBe(0);
  });

  it('serves a client that uses Node tls directly', async () => {
    const { port } = await serve(
      function* (stream) {
        yield* stream.write('hi\n');
        stream.close();
      },
      { sslOptions: { cert, key } },
    );
    const socket = tls.connect({ host: '127.0.0.1', port, ca: cert, servername: 'localhost' });
    sockets.push(socket);
    let text = '';
    socket.on('data', (d) => {
      text += d.toString();
    });
    await new Promise((r) => socket.once('end', r));
    expect(text).toBe('hi\n');
  });

  it('refuses sslOptions without a certificate', () => {
    expect(() => new TCPServer({ sslOptions: { ca: cert } })).toThrow(/no certificate/);
  });
});

// Server typed use: a subclass with a plain void method type-checks against the base.
export class VoidHandlerServer extends TCPServer {
  override handleStream(stream: IOStream): void {
    stream.close();
  }
}

export type { Server };
