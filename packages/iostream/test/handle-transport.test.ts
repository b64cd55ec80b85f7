/**
 * Streams on the 'handle' transport (TCPServer's default for plain TCP): which servers use it,
 * what a stream on a bare handle reports when the peer fails, and moving a live connection onto
 * a `net.Socket` when one is asked for. The read/write contract and the loopback suites also
 * run over handles (see stream-helpers.ts `socketPair`).
 */
import { spawnSync } from 'node:child_process';
import * as net from 'node:net';
import { genLog } from '@tronada/ioloop';
import { expectLog } from '@tronada/testing';
import { describe, expect, test } from 'vitest';
import { StreamClosedError } from '../src/errors.js';
import { HandleTransport } from '../src/handle-transport.js';
import type { BaseIOStream, ConnectionAddress } from '../src/index.js';
import { IOStream, TCPClient, TCPServer } from '../src/index.js';
import { tcpWrap } from '../src/internal/tcp-wrap.js';
import { newClientStream } from '../src/iostream.js';
import {
  closeAll,
  handlePair,
  listen,
  turns,
  useStreamTestLoop,
  waitFor,
} from './stream-helpers.js';
import { serverSslOptions } from './tls-certs.js';

useStreamTestLoop();

const MB = 1024 * 1024;

/** A TCPServer handing each accepted stream (and its peer) to the test. */
class Acceptor extends TCPServer {
  readonly accepted: [IOStream, ConnectionAddress][] = [];

  override handleStream(stream: IOStream, address: ConnectionAddress): void {
    this.accepted.push([stream, address]);
  }
}

/** How many TCP handles (sockets, servers and bare handles) are open in this process. */
function tcpHandles(): number {
  return process.getActiveResourcesInfo().filter((kind) => kind === 'TCPSocketWrap').length;
}

/** Whether `stream` is carried on a bare handle (peeking at the protected `transport`). */
function onHandle(stream: BaseIOStream): boolean {
  return (stream as unknown as { transport: unknown }).transport instanceof HandleTransport;
}

/** Listens on 127.0.0.1, connects a client stream, and returns both ends. */
async function connected(server: Acceptor): Promise<[IOStream, IOStream, ConnectionAddress]> {
  await server.listen(0, '127.0.0.1');
  const client = await IOStream.connect({ host: '127.0.0.1', port: server.port! });
  await waitFor(() => server.accepted.length === 1, 'the connection to be accepted');
  const [stream, address] = server.accepted[0]!;
  return [stream, client, address];
}

describe('which servers carry connections on handles', () => {
  test('this Node offers the handle interface', () => {
    expect(tcpWrap()).not.toBeNull();
  });

  test('plain TCP by default; not with transport "socket" nor with TLS', () => {
    expect(new TCPServer().carriesHandles).toBe(true);
    expect(new TCPServer({ transport: 'handle' }).carriesHandles).toBe(true);
    expect(new TCPServer({ transport: 'socket' }).carriesHandles).toBe(false);
    expect(new TCPServer({ sslOptions: serverSslOptions }).carriesHandles).toBe(false);
  });

  test('an unknown transport is a TypeError, for servers and clients alike', async () => {
    const pipe = 'pipe' as 'socket';
    expect(() => new TCPServer({ transport: pipe })).toThrow(TypeError);
    expect(() => IOStream.connect({ host: '127.0.0.1', port: 9 }, { transport: pipe })).toThrow(
      /transport must be 'socket' or 'handle'/,
    );
    await expect(new TCPClient().connect('127.0.0.1', 9, { transport: pipe })).rejects.toThrow(
      TypeError,
    );
  });

  test('an accepted connection reports its peer, as read from the handle', async () => {
    const server = new Acceptor();
    const [stream, client, address] = await connected(server);
    expect(address).toEqual({
      address: '127.0.0.1',
      port: client.socket.localPort,
      family: 4,
    });
    server.stop();
    await closeAll(stream, client);
  });

  test('a net.Server limited by maxConnections keeps Node counting its sockets', async () => {
    const listener = net.createServer();
    listener.maxConnections = 5;
    const port = await listen(listener);
    const server = new Acceptor();
    server.addSockets([listener]);
    const client = await IOStream.connect({ host: '127.0.0.1', port });
    await waitFor(() => server.accepted.length === 1, 'the connection to be accepted');
    const counted = await new Promise<number>((resolve, reject) =>
      listener.getConnections((error, count) => (error ? reject(error) : resolve(count))),
    );
    expect(counted).toBe(1);
    server.stop();
    await closeAll(server.accepted[0]![0], client);
  });

  test('under --pending-deprecation (which would warn about it) servers use sockets', () => {
    const script = `
      const { TCPServer } = await import(${JSON.stringify(new URL('../dist/index.js', import.meta.url).href)});
      process.stdout.write(String(new TCPServer().carriesHandles));
    `;
    const child = spawnSync(
      process.execPath,
      ['--pending-deprecation', '--input-type=module', '-e', script],
      { encoding: 'utf8', timeout: 20_000 },
    );
    expect(child.stderr).not.toMatch(/DEP0111|process\.binding/);
    expect(child.stdout).toBe('false');
  });
});

describe('a stream on a handle when the peer fails', () => {
  test('a peer reset fails the pending read with ECONNRESET from read, without logging', async () => {
    const [server, client] = (await handlePair()) as [IOStream, IOStream];
    const read = server.readBytes(10);
    client.socket.resetAndDestroy();
    const error = await read.then(
      () => new Error('the read should have failed'),
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(StreamClosedError);
    const cause = (error as StreamClosedError).realError as NodeJS.ErrnoException;
    expect([cause.code, cause.syscall, cause.message]).toEqual([
      'ECONNRESET',
      'read',
      'read ECONNRESET',
    ]);
    await closeAll(server, client);
  });

  test('a reset while idle closes the stream quietly; a later write fails with the cause', async () => {
    const [server, client] = (await handlePair()) as [IOStream, IOStream];
    client.socket.resetAndDestroy();
    await waitFor(() => server.closed(), 'the reset to close the stream');
    expect((server.error as NodeJS.ErrnoException).code).toBe('ECONNRESET');
    expect(() => server.write('late')).toThrow(StreamClosedError);
    await closeAll(server, client);
  });

  test('a large write to a peer that goes away fails quietly, the stream closed', async () => {
    const [server, client] = (await handlePair()) as [IOStream, IOStream];
    const write = server.write(Buffer.alloc(16 * MB, 'x'));
    client.socket.resetAndDestroy();
    await expect(write).rejects.toBeInstanceOf(StreamClosedError);
    expect(server.closed()).toBe(true);
    await closeAll(server, client);
  });

  test('after a move, an error of the socket other than a reset is logged and fails the read', async () => {
    const [server, client] = (await handlePair()) as [IOStream, IOStream];
    const read = server.readBytes(1);
    await expectLog(genLog, /Error on stream, closing it/, async () => {
      server.socket.destroy(Object.assign(new Error('disk on fire'), { code: 'EFIRE' }));
      await expect(read).rejects.toBeInstanceOf(StreamClosedError);
    });
    await closeAll(server, client);
  });
});

describe('moving a live connection onto a net.Socket', () => {
  test('asking for the socket mid-conversation loses and reorders nothing', async () => {
    const [server, client] = (await handlePair()) as [IOStream, IOStream];
    await client.write('one\n');
    expect((await server.readUntil('\n')).toString()).toBe('one\n');
    void client.write('two\nthree\n');
    const socket = server.socket;
    expect(socket).toBeInstanceOf(net.Socket);
    expect(server.socket).toBe(socket);
    expect(server.fileno()).toBe(socket);
    expect(socket.remotePort).toBe(client.socket.localPort);
    expect((await server.readUntil('\n')).toString()).toBe('two\n');
    expect((await server.readUntil('\n')).toString()).toBe('three\n');
    await server.write('back\n');
    expect((await client.readUntil('\n')).toString()).toBe('back\n');
    await closeAll(server, client);
  });

  test('writes still in flight on the handle complete before the ones after the move', async () => {
    const [server, client] = (await handlePair()) as [IOStream, IOStream];
    const first = Buffer.alloc(8 * MB, 'a');
    const second = Buffer.alloc(MB, 'b');
    const writes = [server.write(first)];
    expect(server.writing()).toBe(true);
    void server.socket;
    writes.push(server.write(second));
    const received = await client.readBytes(first.length + second.length);
    await Promise.all(writes);
    expect(received.subarray(0, first.length).equals(first)).toBe(true);
    expect(received.subarray(first.length).equals(second)).toBe(true);
    expect(server.writing()).toBe(false);
    await closeAll(server, client);
  });

  test('a connection moved while nobody reads (the handle paused) delivers everything', async () => {
    const [server, client] = (await handlePair()) as [IOStream, IOStream];
    const sent = Buffer.alloc(32 * MB);
    for (let i = 0; i < sent.length; i += 4096) sent[i] = (i / 4096) & 0xff;
    const write = client.write(sent);
    // Nobody reads on the server: it stops reading once a chunk is buffered.
    await turns(20);
    void server.socket;
    expect((await server.readBytes(sent.length)).equals(sent)).toBe(true);
    await write;
    await closeAll(server, client);
  });

  test('the socket of a closed stream is a destroyed socket', async () => {
    const [server, client] = (await handlePair()) as [IOStream, IOStream];
    server.close();
    await waitFor(() => client.closed(), 'the client to see the close');
    expect(server.socket.destroyed).toBe(true);
    await closeAll(server, client);
  });
});

describe('client streams on handles', () => {
  test('IOStream.connect to an IP address connects on a handle; a host name or "socket" does not', async () => {
    const server = new Acceptor();
    await server.listen(0, '127.0.0.1');
    const port = server.port!;
    const onIp = await IOStream.connect({ host: '127.0.0.1', port });
    const named = await IOStream.connect({ host: 'localhost', port }, { family: 4 });
    const socket = await IOStream.connect({ host: '127.0.0.1', port }, { transport: 'socket' });
    expect([onHandle(onIp), onHandle(named), onHandle(socket)]).toEqual([true, false, false]);
    await waitFor(() => server.accepted.length === 3, 'three connections');
    expect(server.accepted.every(([stream]) => onHandle(stream))).toBe(true);
    await onIp.write('ping\n');
    const [accepted] = server.accepted.find(([, a]) => a.port === onIp.socket.localPort)!;
    expect((await accepted.readUntil('\n')).toString()).toBe('ping\n');
    server.stop();
    await closeAll(onIp, named, socket, ...server.accepted.map(([stream]) => stream));
  });

  test('a refused connection fails like a socket: connect ECONNREFUSED with address and port', async () => {
    const listener = net.createServer();
    const port = await listen(listener);
    await new Promise<void>((resolve) => listener.close(() => resolve()));
    const failed = IOStream.connect({ host: '127.0.0.1', port });
    const error = await failed.then(
      () => new Error('the connect should have failed'),
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(StreamClosedError);
    const cause = (error as StreamClosedError).realError as NodeJS.ErrnoException & {
      address: string;
      port: number;
    };
    expect([cause.code, cause.syscall, cause.message, cause.address, cause.port]).toEqual([
      'ECONNREFUSED',
      'connect',
      `connect ECONNREFUSED 127.0.0.1:${port}`,
      '127.0.0.1',
      port,
    ]);
  });

  test('a local address and port are bound before connecting', async () => {
    const server = new Acceptor();
    await server.listen(0, '127.0.0.1');
    const probe = net.createServer();
    const localPort = await listen(probe);
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const stream = await IOStream.connect(
      { host: '127.0.0.1', port: server.port! },
      { localAddress: '127.0.0.1', localPort },
    );
    expect(onHandle(stream)).toBe(true);
    await waitFor(() => server.accepted.length === 1, 'the connection');
    expect(server.accepted[0]![1].port).toBe(localPort);
    server.stop();
    await closeAll(stream, server.accepted[0]![0]);
  });

  test('TCPClient connects on handles, and its TLS upgrade moves the stream onto a socket', async () => {
    const server = new Acceptor();
    await server.listen(0, '127.0.0.1');
    const client = new TCPClient();
    const stream = await client.connect('127.0.0.1', server.port!);
    expect(onHandle(stream)).toBe(true);
    await waitFor(() => server.accepted.length === 1, 'the connection');
    const [accepted] = server.accepted[0]!;
    const [upgraded, serverTls] = await Promise.all([
      stream.startTls(false, { rejectUnauthorized: false }),
      accepted.startTls(true, serverSslOptions),
    ]);
    await upgraded.write('over tls\n');
    expect((await serverTls.readUntil('\n')).toString()).toBe('over tls\n');
    server.stop();
    client.close();
    await closeAll(upgraded, serverTls);
  });

  test('writes made while connecting go out once connected, in order', async () => {
    const server = new Acceptor();
    await server.listen(0, '127.0.0.1');
    const target = { host: '127.0.0.1', port: server.port! };
    const stream = newClientStream(target, {});
    const connecting = stream.connect(target);
    const writes = [
      stream.write('one\n'),
      stream.write(Buffer.alloc(4 * MB, 'x')),
      stream.write('\n'),
    ];
    expect(stream.writing()).toBe(true);
    await connecting;
    expect(onHandle(stream)).toBe(true);
    await waitFor(() => server.accepted.length === 1, 'the connection');
    const [accepted] = server.accepted[0]!;
    expect((await accepted.readUntil('\n')).toString()).toBe('one\n');
    expect((await accepted.readUntil('\n', { maxBytes: 5 * MB })).length).toBe(4 * MB + 1);
    await Promise.all(writes);
    server.stop();
    await closeAll(stream, accepted);
  });

  test('close() while connecting fails the connect but still sends what was written', async () => {
    const server = new Acceptor();
    await server.listen(0, '127.0.0.1');
    const target = { host: '127.0.0.1', port: server.port! };
    const stream = newClientStream(target, {});
    const connecting = stream.connect(target);
    const write = stream.write('last words');
    stream.close();
    await expect(connecting).rejects.toBeInstanceOf(StreamClosedError);
    await write;
    await waitFor(() => server.accepted.length === 1, 'the connection');
    const [accepted] = server.accepted[0]!;
    expect((await accepted.readUntilClose()).toString()).toBe('last words');
    server.stop();
    await closeAll(accepted);
  });

  test('close(error) while connecting fails the connect and the writes, and frees the handle', async () => {
    const server = new Acceptor();
    await server.listen(0, '127.0.0.1');
    const target = { host: '127.0.0.1', port: server.port! };
    const before = tcpHandles();
    const stream = newClientStream(target, {});
    const connecting = stream.connect(target);
    const write = stream.write('never');
    stream.close(new Error('given up'));
    await expect(connecting).rejects.toBeInstanceOf(StreamClosedError);
    await expect(write).rejects.toBeInstanceOf(StreamClosedError);
    server.stop();
    await waitFor(() => tcpHandles() <= before, 'the handle to close');
  });
});
