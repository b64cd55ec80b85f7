/**
 * TCPClient over real loopback sockets (Tornado's tcpclient_test TCPClientTest): IPv4, IPv6 and
 * dual-stack connects, source address and port, refused connections, timeouts, TLS, and the
 * replaceable resolver.
 */
import { readFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import { createServer } from 'node:net';
import { Future, genLog, IOLoop, TimeoutError, VirtualClock } from '@tronada/ioloop';
import { expectLog, useTestLoop } from '@tronada/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AddressFamily, IOStream, ResolvedAddress, Resolver } from '../src/index.js';
import {
  bindSockets,
  bindUnusedPort,
  DefaultResolver,
  OverrideResolver,
  ResolveError,
  SSLIOStream,
  StreamClosedError,
  TCPClient,
  TCPServer,
} from '../src/index.js';

const cert = readFileSync(new URL('./fixtures/tls/test.crt', import.meta.url));
const key = readFileSync(new URL('./fixtures/tls/test.key', import.meta.url));

async function canBindIpv6Loopback(): Promise<boolean> {
  const probe = createServer();
  return new Promise((resolve) => {
    probe.once('error', () => resolve(false));
    probe.listen(0, '::1', () => probe.close(() => resolve(true)));
  });
}

const ipv6 = await canBindIpv6Loopback();
const localhostFamilies = new Set(
  (await new DefaultResolver().resolve('localhost', 80)).map((a) => a.family),
);

useTestLoop({ beforeEach, afterEach }, { clock: false });

/** Waits on real I/O (at most 2 s of wall time), polling every few milliseconds. */
async function waitUntil(condition: () => boolean): Promise<void> {
  const until = Date.now() + 2000;
  while (!condition()) {
    if (Date.now() > until) throw new Error('condition not met within 2 s');
    await new Promise((r) => setTimeout(r, 2));
  }
}

/** Collects the streams it accepts, so a test can read what the client sent. */
class QueueServer extends TCPServer {
  readonly accepted: IOStream[] = [];
  readonly #waiters: Array<(s: IOStream) => void> = [];
  override handleStream(stream: IOStream): void {
    const waiter = this.#waiters.shift();
    if (waiter) waiter(stream);
    else this.accepted.push(stream);
  }
  next(): Promise<IOStream> {
    const ready = this.accepted.shift();
    if (ready) return Promise.resolve(ready);
    return new Promise((resolve) => this.#waiters.push(resolve));
  }
}

const cleanups: Array<() => void> = [];
let client: TCPClient;

beforeEach(() => {
  client = new TCPClient();
});

afterEach(async () => {
  client.close();
  for (const c of cleanups.splice(0).reverse()) c();
  for (let i = 0; i < 3; i++) await new Promise((r) => setImmediate(r));
});

async function startServer(address: string | undefined, family?: AddressFamily) {
  const server = new QueueServer();
  cleanups.push(() => {
    server.stop();
    for (const s of server.accepted) s.close();
  });
  const servers = await bindSockets(0, address, family === undefined ? {} : { family });
  server.addSockets(servers);
  return { server, port: server.port! };
}

function keep<T extends IOStream>(stream: T): T {
  cleanups.push(() => stream.close());
  return stream;
}

/** Tornado's do_test_connect: connect, send hello, read it on the server side. */
async function checkConnect(
  serverAddress: string | undefined,
  serverFamily: AddressFamily | undefined,
  host: string,
  options: { sourceIp?: string; sourcePort?: number } = {},
): Promise<IOStream> {
  const { server, port } = await startServer(serverAddress, serverFamily);
  const stream = keep(await client.connect(host, port, options));
  const serverStream = keep(await server.next());
  await stream.write('hello');
  expect((await serverStream.readBytes(5)).toString()).toBe('hello');
  return serverStream;
}

/** Answers every host with fixed addresses, recording the calls. */
class FixedResolver implements Resolver {
  readonly calls: Array<[string, number, AddressFamily | undefined]> = [];
  readonly #answer: (port: number) => ResolvedAddress[];
  closed = false;
  constructor(answer: (port: number) => ResolvedAddress[]) {
    this.#answer = answer;
  }
  resolve(host: string, port: number, family?: AddressFamily): Future<ResolvedAddress[]> {
    this.calls.push([host, port, family]);
    return Future.resolved(this.#answer(port));
  }
  close(): void {
    this.closed = true;
  }
}

describe('TCPClient.connect', () => {
  it('connects to an IPv4 server by IPv4 literal', async () => {
    await checkConnect('localhost', 4, '127.0.0.1');
  });

  it('connects to an IPv4 server through the name localhost', async () => {
    await checkConnect('localhost', 4, 'localhost');
  });

  it(
    ipv6
      ? 'connects to an IPv6 server by IPv6 literal'
      : 'connects to an IPv4 server by IPv4 literal (this host cannot bind ::1, so no IPv6 server)',
    async () => {
      if (ipv6) await checkConnect('::1', 6, '::1');
      else await checkConnect('127.0.0.1', 4, '127.0.0.1');
    },
  );

  it(
    ipv6
      ? 'reaches an IPv6-only server through a name that resolves to both families'
      : 'falls back to IPv4 through a name that resolves to both families (this host cannot bind ::1)',
    async () => {
      const both = new FixedResolver((port) => [
        { family: 6, address: '::1', port },
        { family: 4, address: '127.0.0.1', port },
      ]);
      client = new TCPClient(both);
      const serverStream = await checkConnect(
        ipv6 ? '::1' : '127.0.0.1',
        ipv6 ? 6 : 4,
        'dual.test',
      );
      expect(serverStream.socket.remoteFamily).toBe(ipv6 ? 'IPv6' : 'IPv4');
    },
  );

  it('connects by IPv4 literal to a server on every interface', async () => {
    await checkConnect(undefined, undefined, '127.0.0.1');
  });

  it(
    ipv6
      ? 'connects by IPv6 literal to a server on every interface'
      : 'connects by IPv4 literal to a server on every interface (this host cannot bind ::1)',
    async () => {
      await checkConnect(undefined, undefined, ipv6 ? '::1' : '127.0.0.1');
    },
  );

  it(
    localhostFamilies.has(6)
      ? 'connects through localhost to a server on every address of localhost (IPv4 and IPv6)'
      : 'connects through localhost to a server on every address of localhost (here IPv4 only: /etc/hosts maps localhost to 127.0.0.1 alone)',
    async () => {
      await checkConnect('localhost', undefined, 'localhost');
    },
  );

  it('fails with StreamClosedError carrying ECONNREFUSED when nothing listens', async () => {
    const [sock, port] = await bindUnusedPort();
    await new Promise((r) => sock.close(r));
    const error = await client.connect('127.0.0.1', port).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(StreamClosedError);
    expect((error as StreamClosedError).realError).toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('fails when the source IP is not an address of this host', async () => {
    const { port } = await startServer('127.0.0.1', 4);
    const error = await client.connect('127.0.0.1', port, { sourceIp: '8.8.8.8' }).then(
      () => null,
      (e: unknown) => e,
    );
    expect((error as StreamClosedError).realError).toMatchObject({ code: 'EADDRNOTAVAIL' });
  });

  it('connects from the source IP it is given', async () => {
    const serverStream = await checkConnect('127.0.0.1', 4, '127.0.0.1', { sourceIp: '127.0.0.1' });
    expect(serverStream.socket.remoteAddress).toBe('127.0.0.1');
  });

  it('connects from the source port it is given (on the loopback address)', async () => {
    const [sock, sourcePort] = await bindUnusedPort();
    await new Promise((r) => sock.close(r));
    const serverStream = await checkConnect('127.0.0.1', 4, '127.0.0.1', { sourcePort });
    expect(serverStream.socket.remotePort).toBe(sourcePort);
  });

  it('fails when the source port is taken', async () => {
    // Tornado uses port 1 (privileged); a port held by a listener fails for root too.
    const { port } = await startServer('127.0.0.1', 4);
    const [holder, taken] = await bindUnusedPort();
    cleanups.push(() => holder.close());
    const error = await client.connect('127.0.0.1', port, { sourcePort: taken }).then(
      () => null,
      (e: unknown) => e,
    );
    expect((error as StreamClosedError).realError).toMatchObject({ code: 'EADDRINUSE' });
  });

  it('passes af to the resolver', async () => {
    const { port } = await startServer('127.0.0.1', 4);
    const resolver = new FixedResolver((p) => [{ family: 4, address: '127.0.0.1', port: p }]);
    client = new TCPClient(resolver);
    keep(await client.connect('some.test', port, { af: 4 }));
    expect(resolver.calls).toEqual([['some.test', port, 4]]);
  });

  it('connects through an OverrideResolver mapping a made-up name', async () => {
    const { port } = await startServer('127.0.0.1', 4);
    client = new TCPClient(
      new OverrideResolver(new DefaultResolver(), { 'made-up.test': '127.0.0.1' }),
    );
    keep(await client.connect('made-up.test', port));
  });

  it('fails with ResolveError when the resolver finds nothing', async () => {
    client = new TCPClient(new FixedResolver(() => []));
    await expect(client.connect('nothing.test', 80)).rejects.toThrow(ResolveError);
  });

  it('passes maxBufferSize to the stream', async () => {
    const { server, port } = await startServer('127.0.0.1', 4);
    const stream = keep(await client.connect('127.0.0.1', port, { maxBufferSize: 2048 }));
    keep(await server.next());
    expect(stream.maxBufferSize).toBe(2048);
  });

  it('closes a resolver it created but not one it was given', () => {
    const given = new FixedResolver(() => []);
    new TCPClient(given).close();
    expect(given.closed).toBe(false);
  });
});

describe('TCPClient.connect with TLS', () => {
  async function startTlsServer() {
    class Echo extends TCPServer {
      override *handleStream(stream: IOStream) {
        cleanups.push(() => stream.close());
        for (;;) yield* stream.write(yield* stream.readUntil('\n'));
      }
    }
    const server = new Echo({ sslOptions: { cert, key } });
    cleanups.push(() => server.stop());
    await server.listen(0, '127.0.0.1');
    return server.port!;
  }

  it('returns an SSLIOStream whose handshake is done and whose certificate was checked', async () => {
    const port = await startTlsServer();
    client = new TCPClient(new OverrideResolver(new DefaultResolver(), { localhost: '127.0.0.1' }));
    const stream = keep(await client.connect('localhost', port, { sslOptions: { ca: cert } }));
    expect(stream).toBeInstanceOf(SSLIOStream);
    expect(stream.socket.authorized).toBe(true);
    await stream.write('over tls\n');
    expect((await stream.readUntil('\n')).toString()).toBe('over tls\n');
  });

  it('fails when the server certificate is not trusted', async () => {
    const port = await startTlsServer();
    // The client stream logs the verification failure as a warning, as Tornado does.
    await expectLog(genLog, /SSL Error.*self-signed certificate/, async () => {
      await expect(client.connect('localhost', port, { sslOptions: {} })).rejects.toMatchObject({
        code: 'DEPTH_ZERO_SELF_SIGNED_CERT',
      });
    });
  });
});

describe('TCPClient timeouts', () => {
  it('fails with TimeoutError when resolving takes longer than the timeout', async () => {
    const clock = new VirtualClock();
    const loop = new IOLoop({ clock });
    const previous = IOLoop.current();
    loop.makeCurrent();
    try {
      const never: Resolver = { resolve: () => new Future<ResolvedAddress[]>() };
      const connecting = new TCPClient(never).connect('1.2.3.4', 12345, { timeout: 0.05 });
      connecting.addDoneCallback(() => {});
      await clock.advance(0.049);
      expect(connecting.done()).toBe(false);
      await clock.advance(0.001);
      expect(() => connecting.result()).toThrow(TimeoutError);
      expect(loop.pendingTimeouts).toBe(0);
    } finally {
      loop.close();
      previous.makeCurrent();
    }
  });

  it('accepts an absolute deadline as the timeout', async () => {
    const clock = new VirtualClock(100);
    const loop = new IOLoop({ clock });
    const previous = IOLoop.current();
    loop.makeCurrent();
    try {
      const never: Resolver = { resolve: () => new Future<ResolvedAddress[]>() };
      const connecting = new TCPClient(never).connect('1.2.3.4', 1, { timeout: { deadline: 101 } });
      connecting.addDoneCallback(() => {});
      await clock.advance(1);
      expect(() => connecting.result()).toThrow(TimeoutError);
    } finally {
      loop.close();
      previous.makeCurrent();
    }
  });

  it('fails with TimeoutError and closes the socket when the TLS handshake outlasts the timeout', async () => {
    // A server that accepts TCP and never answers the ClientHello.
    const silent = createServer();
    const accepted: Socket[] = [];
    silent.on('connection', (s) => {
      accepted.push(s);
      // Read and drop the ClientHello, so that the client's close is seen.
      s.resume();
    });
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as { port: number }).port;
    const clock = new VirtualClock();
    const loop = new IOLoop({ clock });
    const previous = IOLoop.current();
    loop.makeCurrent();
    try {
      const connecting = new TCPClient().connect('127.0.0.1', port, {
        sslOptions: { ca: cert },
        timeout: 5,
      });
      connecting.addDoneCallback(() => {});
      await waitUntil(() => accepted.length === 1 && accepted[0]!.bytesRead > 0);
      const closed = new Promise((r) => accepted[0]!.once('close', r));
      await clock.advance(5);
      expect(() => connecting.result()).toThrow(TimeoutError);
      await closed;
      await clock.settle();
    } finally {
      loop.close();
      previous.makeCurrent();
      for (const s of accepted) s.destroy();
      silent.close();
    }
  });

  it('connects well within a generous timeout and leaves no timer behind', async () => {
    const { server, port } = await startServer('127.0.0.1', 4);
    keep(await client.connect('127.0.0.1', port, { timeout: 5 }));
    keep(await server.next());
    expect(IOLoop.current().pendingTimeouts).toBe(0);
  });
});
