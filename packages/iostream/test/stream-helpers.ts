/**
 * Helpers shared by the stream tests: pairs of connected streams of every kind (in memory,
 * TCP on 127.0.0.1, TLS, pipes), a loop per test, and ways to wait for the event loop without
 * sleeping.
 */
import * as net from 'node:net';
import * as tls from 'node:tls';
import { Event } from '@tronada/gen';
import { useTestLoop } from '@tronada/testing';
import { afterEach, beforeEach } from 'vitest';
import type { BaseIOStream, IOStreamOptions } from '../src/base-iostream.js';
import { openFifoPair } from '../src/fifo-pair.js';
import { HandleTransport } from '../src/handle-transport.js';
import { acceptHandles } from '../src/internal/handle-accept.js';
import { tcpWrap } from '../src/internal/tcp-wrap.js';
import { IOStream, ioStreamOnHandle } from '../src/iostream.js';
import { memoryStreamPair } from '../src/memory-stream.js';
import { PipeIOStream } from '../src/pipe-iostream.js';
import { SSLIOStream } from '../src/ssl-iostream.js';
import { insecureClientSslOptions, serverSslOptions, testCert, testKey } from './tls-certs.js';

/** Two connected streams: `[reader, writer]` (Tornado's `rs, ws`; the server side first). */
export type StreamPair = [BaseIOStream, BaseIOStream];
/** Makes a fresh pair with the given options on both sides. */
export type MakePair = (options?: IOStreamOptions) => Promise<StreamPair>;

/** Gives each test of the file a fresh current IOLoop (virtual clock), checked for leaks. */
export function useStreamTestLoop(): ReturnType<typeof useTestLoop> {
  return useTestLoop({ beforeEach, afterEach });
}

/** Waits for `n` turns of Node's event loop. */
export async function turns(n = 1): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/**
 * Waits, turn by turn, until `condition()` holds; fails after `seconds` of real time (data
 * crossing a real socket may take many turns on a busy machine).
 */
export async function waitFor(condition: () => boolean, what: string, seconds = 4): Promise<void> {
  const deadline = performance.now() + seconds * 1000;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await turns();
  }
}

/** An Event set by `stream`'s close callback. */
export function closeEvent(stream: BaseIOStream): Event {
  const closed = new Event();
  stream.setCloseCallback(() => closed.set());
  return closed;
}

/** Closes the streams and lets their close callbacks run, so the test loop ends clean. */
export async function closeAll(...streams: BaseIOStream[]): Promise<void> {
  for (const s of streams) s.close();
  await turns(2);
}

/** A listening TCP server on 127.0.0.1 and a random port. */
export async function listen(server: net.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as net.AddressInfo).port;
}

/** Stops `server` and waits until it has closed (its connections too). */
export async function stop(server: net.Server): Promise<void> {
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

/** The in-memory pair. */
export const memoryPair: MakePair = async (options = {}) => memoryStreamPair(options);

/**
 * A TCP pair over 127.0.0.1: `wrapServer` makes the accepted side's stream, `makeClient` the
 * connecting side's (Tornado's `_make_server_iostream` / `_make_client_iostream`).
 */
export async function tcpPair(
  wrapServer: (socket: net.Socket) => BaseIOStream,
  makeClient: () => IOStream,
): Promise<StreamPair> {
  let accepted: (stream: BaseIOStream) => void = () => {};
  const serverStream = new Promise<BaseIOStream>((resolve) => {
    accepted = resolve;
  });
  const server = net.createServer((socket) => accepted(wrapServer(socket)));
  const port = await listen(server);
  const client = makeClient();
  const [serverSide] = await Promise.all([
    serverStream,
    client.connect({ host: '127.0.0.1', port }),
  ]);
  // Stop listening; close() would wait for the accepted connection to end.
  server.close();
  if (serverSide instanceof SSLIOStream) await serverSide.waitForHandshake();
  return [serverSide, client];
}

/**
 * What the accepted side of the TCP pairs (and the servers) of these tests is carried on:
 * `'handle'`, as TCPServer does by default, or `'socket'` when the suite runs again for the
 * socket transport (`TRONADA_TEST_TRANSPORT=socket`).
 */
export const serverTransport: 'socket' | 'handle' =
  process.env.TRONADA_TEST_TRANSPORT === 'socket' ? 'socket' : 'handle';

/**
 * A TCP pair over 127.0.0.1 whose accepted side is an IOStream on the bare libuv handle (the
 * `'handle'` transport), the connecting side an IOStream on a socket.
 */
export async function handlePair(options: IOStreamOptions = {}): Promise<StreamPair> {
  const uv = tcpWrap();
  if (uv === null) throw new Error('this Node offers no TCP handles to carry streams on');
  let accepted: (stream: BaseIOStream) => void = () => {};
  const serverStream = new Promise<BaseIOStream>((resolve) => {
    accepted = resolve;
  });
  const server = net.createServer(() => {
    throw new Error('a connection reached net.Server instead of the handle acceptor');
  });
  const port = await listen(server);
  acceptHandles(server, uv, (handle) =>
    accepted(ioStreamOnHandle(new HandleTransport(uv, handle), options)),
  );
  const client = new IOStream(new net.Socket(), options);
  const [serverSide] = await Promise.all([
    serverStream,
    client.connect({ host: '127.0.0.1', port }),
  ]);
  server.close();
  return [serverSide, client];
}

/** IOStream on both sides, the accepted side carried as {@link serverTransport} says. */
export const socketPair: MakePair = (options = {}) =>
  serverTransport === 'handle'
    ? handlePair(options)
    : tcpPair(
        (socket) => new IOStream(socket, options),
        () => new IOStream(new net.Socket(), options),
      );

/** SSLIOStream on both sides, configured with option objects. */
export const sslPair: MakePair = (options = {}) =>
  tcpPair(
    (socket) =>
      new SSLIOStream(socket, { ...options, serverSide: true, sslOptions: serverSslOptions }),
    () => new SSLIOStream(new net.Socket(), { ...options, sslOptions: insecureClientSslOptions }),
  );

/** SSLIOStream on both sides, configured with SecureContexts (Tornado's TestIOStreamSSLContext). */
export const sslContextPair: MakePair = (options = {}) => {
  const serverContext = tls.createSecureContext({ key: testKey, cert: testCert });
  const clientContext = tls.createSecureContext({ ca: testCert });
  return tcpPair(
    (socket) =>
      new SSLIOStream(socket, {
        ...options,
        serverSide: true,
        sslOptions: { secureContext: serverContext },
      }),
    () =>
      new SSLIOStream(new net.Socket(), {
        ...options,
        sslOptions: { secureContext: clientContext },
        serverHostname: 'localhost',
      }),
  );
};

/** A pipe (a FIFO, see `openFifoPair`): `[read end, write end]`. */
export const pipePair: MakePair = async (options = {}) => {
  const { readFd, writeFd } = openFifoPair();
  return [new PipeIOStream(readFd, options), new PipeIOStream(writeFd, options)];
};

/** A small deterministic PRNG (mulberry32), for tests that want "random" but repeatable data. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
