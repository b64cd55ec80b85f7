/**
 * IOStream: a BaseIOStream over a Node `net.Socket` (TCP or Unix socket), with `connect` and
 * the `startTls` upgrade.
 */
import * as net from 'node:net';
import { Future, futureSetResultUnlessCancelled } from '@tronada/ioloop';
import type { IOStreamOptions } from './base-iostream.js';
import { BaseIOStream } from './base-iostream.js';
import { StreamClosedError, StreamNotIdleError } from './errors.js';
import { HandleTransport } from './handle-transport.js';
import { tcpWrap, wantsHandles } from './internal/tcp-wrap.js';
import { SocketTransport } from './socket-transport.js';
import type { SSLIOStream, SSLIOStreamOptions, SSLOptions } from './ssl-iostream.js';

/** Where to connect: `{ host, port }` for TCP, or the path of a Unix socket. */
export type StreamAddress = { readonly host: string; readonly port: number } | string;

/** Options of {@link IOStream.connect}. */
export interface ConnectOptions {
  /** For TLS streams: the name used for SNI and to check the server's certificate. */
  serverHostname?: string | undefined;
  /** Local address to connect from. */
  localAddress?: string | undefined;
  /** Local port to connect from. */
  localPort?: number | undefined;
  /** IP family to resolve a hostname to. */
  family?: 4 | 6 | undefined;
  /**
   * For {@link IOStream.connect}: what carries the connection. `'handle'` (the default): a bare
   * libuv handle when the host is an IP address and Node offers handles (see TCPServer's
   * `transport`), else a `net.Socket`; `'socket'`: always a `net.Socket`.
   */
  transport?: 'socket' | 'handle' | undefined;
}

type SSLFactory = (socket: net.Socket, options: SSLIOStreamOptions) => SSLIOStream;

// ssl-iostream.ts registers itself here: it extends IOStream, so importing it from this module
// would be a cycle that breaks whichever module loads first.
let sslFactory: SSLFactory | null = null;

/** @internal Called once by ssl-iostream.ts so that `startTls` can build an SSLIOStream. */
export function registerSSLIOStream(factory: SSLFactory): void {
  sslFactory = factory;
}

function connectOptions(
  address: StreamAddress,
  options: ConnectOptions,
): net.NetConnectOpts & { path?: string } {
  if (typeof address === 'string') return { path: address };
  const opts: net.TcpNetConnectOpts = { host: address.host, port: address.port };
  if (options.localAddress !== undefined) opts.localAddress = options.localAddress;
  if (options.localPort !== undefined) opts.localPort = options.localPort;
  if (options.family !== undefined) opts.family = options.family;
  return opts;
}

/**
 * A stream over a `net.Socket`, connected or not yet connected (then use {@link connect}).
 * Writes issued while connecting are sent once connected.
 *
 * ```ts
 * const stream = await IOStream.connect({ host: 'example.com', port: 80 });
 * await stream.write('GET / HTTP/1.0\r\nHost: example.com\r\n\r\n');
 * const head = await stream.readUntil('\r\n\r\n');
 * ```
 *
 * @see Tornado `tornado.iostream.IOStream`
 */
export class IOStream extends BaseIOStream {
  // A HandleTransport for a stream on the 'handle' transport, which makes a socket on demand.
  readonly #socket: net.Socket | HandleTransport;
  // Set between connect() and the socket's 'connect' event (or the close that ends the attempt);
  // accepted server-side streams never have one. (No private methods either: a class with any
  // gives every instance a slot more.)
  #connecting: ConnectAttempt<this> | null = null;

  constructor(socket: net.Socket, options: IOStreamOptions = {}) {
    const carried: net.Socket | HandleTransport = socket;
    super(carried instanceof HandleTransport ? carried : new SocketTransport(socket), options);
    this.#socket = carried;
  }

  /**
   * Creates a socket, connects it to `address` and resolves with the stream once connected.
   *
   * @see Tornado `IOStream.connect`
   */
  static connect(
    address: StreamAddress,
    options: ConnectOptions & IOStreamOptions = {},
  ): Future<IOStream> {
    return newClientStream(address, options).connect(address, options);
  }

  /**
   * The socket under the stream (a `tls.TLSSocket` for an SSLIOStream). A stream accepted on the
   * `'handle'` transport makes its socket here, the first time it is asked for, and carries on
   * over it.
   */
  get socket(): net.Socket {
    const carried = this.#socket;
    return carried instanceof HandleTransport ? carried.socket : carried;
  }

  /** The socket (Node has no portable descriptor numbers). @see Tornado `IOStream.fileno` */
  fileno(): net.Socket {
    return this.socket;
  }

  /**
   * Connects the socket to `address` and resolves with this stream once connected. Host names
   * are resolved by Node (asynchronously). On failure the stream closes: the Future fails with
   * {@link StreamClosedError} and {@link error} holds the cause (e.g. `ECONNREFUSED`). Writes made
   * before the connection completes are sent after it; the connect Future resolves first. The
   * legacy `callback` (Tornado 5) runs on the IOLoop once connected, never on failure.
   *
   * @see Tornado `IOStream.connect`
   */
  connect(
    address: StreamAddress,
    options: ConnectOptions = {},
    callback?: () => void,
  ): Future<this> {
    if (this.closed()) throw new StreamClosedError({ cause: this.error ?? undefined });
    const future = new Future<this>();
    if (callback !== undefined) runOnSuccess(this, future, callback);
    const attempt: ConnectAttempt<this> = {
      future,
      onConnect: () => {
        if (this.#connecting !== attempt) return;
        this.#connecting = null;
        futureSetResultUnlessCancelled(future, this);
      },
    };
    this.#connecting = attempt;
    const carried = this.#socket;
    if (carried instanceof HandleTransport && carried.connecting && isIpAddress(address)) {
      carried.connect(address.host, address.port, options, attempt.onConnect);
      return future;
    }
    const socket = this.connectingSocket;
    socket.once('connect', attempt.onConnect);
    try {
      socket.connect(connectOptions(address, options));
    } catch (error) {
      this.close(error);
    }
    return future;
  }

  /**
   * Upgrades this stream to TLS and resolves with the new {@link SSLIOStream} once the
   * handshake completed. Only allowed when the stream is idle (no pending read or write, nothing
   * buffered, not connecting); afterwards this stream is unusable and its close callback moves to
   * the new stream. Client streams verify the server's certificate by default, against
   * `serverHostname`.
   *
   * @see Tornado `IOStream.start_tls`
   */
  startTls(
    serverSide: boolean,
    sslOptions: SSLOptions = {},
    serverHostname?: string,
  ): Future<SSLIOStream> {
    if (!this.isIdle() || this.#connecting !== null) throw new StreamNotIdleError();
    if (sslFactory === null) throw new Error('SSLIOStream is not loaded; import @tronada/iostream');
    const socket = this.socket;
    const { closeCallback } = this.detachTransport();
    const ssl = sslFactory(socket, {
      maxBufferSize: this.maxBufferSize,
      readChunkSize: this.readChunkSize,
      maxWriteBufferSize: this.maxWriteBufferSize,
      sslOptions,
      serverSide,
      serverHostname,
    });
    ssl.setCloseCallback(closeCallback);
    return ssl.waitForHandshake();
  }

  /** The socket `connect` connects (SSLIOStream: the plain socket under the TLS one). */
  protected get connectingSocket(): net.Socket {
    return this.socket;
  }

  /** True between `connect()` and the socket's 'connect' event. */
  protected get connecting(): boolean {
    return this.#connecting !== null;
  }

  protected override onClosed(): void {
    const attempt = this.#connecting;
    if (attempt === null) return;
    this.#connecting = null;
    if (!(this.#socket instanceof HandleTransport)) {
      this.connectingSocket.off('connect', attempt.onConnect);
    }
    const future = attempt.future;
    if (!future.done())
      future.setException(new StreamClosedError({ cause: this.error ?? undefined }));
    if (!future.cancelled()) future.exception();
  }

  protected override reportError(error: Error): void {
    // A failed connect is reported through the connect Future and `error`, not logged.
    if (this.#connecting !== null) return;
    super.reportError(error);
  }
}

function isIpAddress(address: StreamAddress): address is { host: string; port: number } {
  return typeof address !== 'string' && net.isIP(address.host) !== 0;
}

/**
 * @internal A new, unconnected client stream for `address`: on a bare handle when the host is an
 * IP address, handles are available and `options.transport` allows, else on a `net.Socket`.
 */
export function newClientStream(
  address: StreamAddress,
  options: ConnectOptions & IOStreamOptions,
): IOStream {
  const uv = wantsHandles(options.transport) && isIpAddress(address) ? tcpWrap() : null;
  if (uv === null) return new IOStream(new net.Socket(), options);
  return ioStreamOnHandle(HandleTransport.unconnected(uv), options);
}

/** @internal An IOStream over `transport` (a connection a server accepted as a bare handle). */
export function ioStreamOnHandle(transport: HandleTransport, options: IOStreamOptions): IOStream {
  return new IOStream(transport as unknown as net.Socket, options);
}

/** A connect() under way: its Future and the socket's 'connect' listener. */
interface ConnectAttempt<S> {
  readonly future: Future<S>;
  readonly onConnect: () => void;
}

/** Tornado 5's connect callback: runs on the stream's IOLoop once `future` succeeded. */
function runOnSuccess(stream: BaseIOStream, future: Future<unknown>, callback: () => void): void {
  future.addDoneCallback((f) => {
    if (!f.cancelled() && f.exception() === null) stream.ioLoop.addCallback(callback);
  });
}
