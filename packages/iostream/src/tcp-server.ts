/**
 * TCPServer: accepts connections and hands each one, as an IOStream, to `handleStream`.
 *
 * Three ways to start, as in Tornado:
 * 1. `listen(port)`: bind and serve in this process.
 * 2. `addSockets(await bindSockets(port))`: serve servers bound some other way.
 * 3. `bind(port)` then `start(n)`: with n other than 1, start n worker processes through
 *    `node:cluster` (see `forkProcesses`) and listen in each of them on the shared port.
 */
import type { AddressInfo, Server, Socket } from 'node:net';
import { runGenerator } from '@tronada/gen';
import {
  appLog,
  Future,
  futureAddDoneCallback,
  genLog,
  isGeneratorObject,
  isThenable,
  toFuture,
} from '@tronada/ioloop';
import type { IOStreamOptions } from './base-iostream.js';
import { StreamClosedError } from './errors.js';
import { HandleTransport } from './handle-transport.js';
import { acceptHandles, handlePeer } from './internal/handle-accept.js';
import type { TcpHandle, TcpWrap } from './internal/tcp-wrap.js';
import { tcpWrap, wantsHandles } from './internal/tcp-wrap.js';
import { IOStream, ioStreamOnHandle } from './iostream.js';
import type { BindSocketsOptions } from './netutil.js';
import { addAcceptHandler, bindSockets, closeServer } from './netutil.js';
import { ServerStateError } from './network-errors.js';
import { forkProcesses } from './process.js';
import type { AddressFamily } from './resolver.js';
import type { SSLOptions } from './ssl-iostream.js';
import { SSLIOStream } from './ssl-iostream.js';

/**
 * Where a connection came from. A connection over a Unix domain socket has no peer address:
 * `address` is `''`, `port` 0 and `family` `'unix'`.
 */
export interface ConnectionAddress {
  readonly address: string;
  readonly port: number;
  readonly family: AddressFamily | 'unix';
}

const UNIX_PEER: ConnectionAddress = { address: '', port: 0, family: 'unix' };

/** What `handleStream` may return: nothing, a Promise or Future, or (as a generator method) a generator. */
export type HandleStreamResult =
  | undefined
  // biome-ignore lint/suspicious/noConfusingVoidType: lets a subclass declare a plain `void` method.
  | void
  | PromiseLike<unknown>
  | Generator<unknown, unknown, unknown>;

/** Options of {@link TCPServer}. */
export interface TCPServerOptions {
  /** Serve TLS with these options (`cert` and `key`, or `pfx`, or a `secureContext`). */
  sslOptions?: SSLOptions;
  /** Passed to every stream: the most bytes buffered for reading (default 100 MiB). */
  maxBufferSize?: number;
  /** Passed to every stream: the preferred read size (default 64 KiB). */
  readChunkSize?: number;
  /**
   * What carries accepted TCP connections. `'handle'` (the default): the bare libuv handle that
   * Node would wrap in a `net.Socket`, driven the way `net.Socket` drives it, at about half the
   * CPU per connection and less memory (see the README). It uses an interface Node keeps for
   * its own modules (`process.binding`), so it applies only where that interface is present in
   * the expected shape; TLS, Unix sockets, servers with `maxConnections`, and a Node without
   * the interface (or run with `--pending-deprecation`) get sockets. A stream asked for its
   * `socket` (or `fileno()`, or `startTls`) moves onto one then. `'socket'`: a `net.Socket`
   * for every connection, as any Node server has.
   */
  transport?: 'socket' | 'handle';
}

/** Options of {@link TCPServer.listen} and {@link TCPServer.bind}: those of `bindSockets`. */
export type ListenOptions = BindSocketsOptions;

interface BindRequest {
  readonly port: number;
  readonly address: string | null | undefined;
  readonly options: ListenOptions;
}

function describe(address: ConnectionAddress): string {
  if (address.family === 'unix') return 'a Unix socket peer';
  return address.family === 6
    ? `[${address.address}]:${address.port}`
    : `${address.address}:${address.port}`;
}

function remoteAddress(socket: Socket): ConnectionAddress | null {
  const { remoteAddress: address, remotePort: port, remoteFamily } = socket;
  // A connection reset before we saw it has no peer any more (Tornado's ECONNABORTED case).
  if (address === undefined || port === undefined) return null;
  return { address, port, family: remoteFamily === 'IPv6' ? 6 : 4 };
}

// A server listening on a path (not a port) serves a Unix domain socket.
function isUnixServer(server: Server): boolean {
  return typeof server.address() === 'string';
}

function hasCertificate(options: SSLOptions): boolean {
  const o = options as Record<string, unknown>;
  return (
    o.cert !== undefined ||
    o.pfx !== undefined ||
    o.secureContext !== undefined ||
    o.SNICallback !== undefined
  );
}

/**
 * A non-blocking TCP server: subclass it and override {@link handleStream}.
 *
 * ```ts
 * class EchoServer extends TCPServer {
 *   override *handleStream(stream: IOStream) {
 *     for (;;) {
 *       const line = yield* stream.readUntil('\n');
 *       yield* stream.write(line);
 *     }
 *   }
 * }
 * await new EchoServer().listen(8888);
 * ```
 *
 * @see Tornado `tornado.tcpserver.TCPServer`
 */
export class TCPServer {
  /** The TLS options, or `null` for plain TCP. */
  readonly sslOptions: SSLOptions | null;
  /** The `maxBufferSize` given to each stream, if set. */
  readonly maxBufferSize: number | undefined;
  /** The `readChunkSize` given to each stream, if set. */
  readonly readChunkSize: number | undefined;
  readonly #servers = new Map<Server, () => void>();
  // Node's handle interface when accepted TCP connections stay bare handles, else null.
  readonly #handles: TcpWrap | null;
  #pending: BindRequest[] = [];
  #started = false;
  #stopped = false;
  // The options of every stream made (the same object each time).
  readonly #streamOptions: IOStreamOptions;

  /** Throws a `TypeError` when `sslOptions` has no certificate to serve. */
  constructor(options: TCPServerOptions = {}) {
    const ssl = options.sslOptions ?? null;
    if (ssl !== null && !hasCertificate(ssl)) {
      throw new TypeError(
        'sslOptions has no certificate: give cert and key (PEM), pfx, or a secureContext',
      );
    }
    this.sslOptions = ssl;
    this.maxBufferSize = options.maxBufferSize;
    this.readChunkSize = options.readChunkSize;
    this.#streamOptions = {
      ...(this.maxBufferSize !== undefined && { maxBufferSize: this.maxBufferSize }),
      ...(this.readChunkSize !== undefined && { readChunkSize: this.readChunkSize }),
    };
    this.#handles = wantsHandles(options.transport) && ssl === null ? tcpWrap() : null;
  }

  /** Whether accepted TCP connections are carried as bare handles (see `transport`). */
  get carriesHandles(): boolean {
    return this.#handles !== null;
  }

  /**
   * Binds `port` on `address` (all interfaces by default) and starts accepting. May be called
   * more than once to listen on several ports. Resolves once listening; fails with the bind
   * error, or with `ServerStateError` after {@link stop}.
   *
   * @see Tornado `TCPServer.listen`
   */
  listen(port: number, address?: string | null, options: ListenOptions = {}): Future<void> {
    if (this.#stopped) {
      return Future.rejected(
        new ServerStateError('TCPServer.listen() after stop(): create a new server instead'),
      );
    }
    return toFuture(this.#bindNow({ port, address, options }));
  }

  /**
   * Starts accepting connections on listening servers (from `bindSockets`, or any
   * `net.Server`). Connections that waited since `bindSockets` are served first.
   *
   * @see Tornado `TCPServer.add_sockets`
   */
  addSockets(servers: Iterable<Server>): void {
    for (const server of servers) {
      if (this.#servers.has(server)) continue;
      // Asked once, at the first connection (the server listens by then): server.address()
      // is a system call.
      let unix: boolean | null = null;
      const removeSockets = addAcceptHandler(server, (socket) => {
        unix ??= isUnixServer(server);
        this.#handleConnection(socket, unix);
      });
      const uv = this.#handles;
      const removeHandles =
        uv === null
          ? null
          : acceptHandles(server, uv, (handle) => this.#handleAccepted(uv, handle));
      this.#servers.set(
        server,
        removeHandles === null
          ? removeSockets
          : () => {
              removeHandles();
              removeSockets();
            },
      );
    }
  }

  /** One server: the singular of {@link addSockets}. @see Tornado `TCPServer.add_socket` */
  addSocket(server: Server): void {
    this.addSockets([server]);
  }

  /**
   * Records `port` and `address` to listen on when {@link start} runs: the binding happens
   * there (after the workers are started, since each worker binds for itself), and its errors
   * surface from `start`'s Future. May be called several times before `start`; after it, use
   * {@link listen} (this throws `ServerStateError`).
   *
   * @see Tornado `TCPServer.bind`
   */
  bind(port: number, address?: string | null, options: ListenOptions = {}): void {
    if (this.#started) {
      throw new ServerStateError(
        'TCPServer.bind() after start(): use listen() to add a port to a started server',
      );
    }
    this.#pending.push({ port, address, options });
  }

  /**
   * Starts serving what {@link bind} recorded. With `numProcesses` 1 (the default), in this
   * process. Otherwise (0 or `null` for one per CPU) through `forkProcesses`: each worker
   * listens on the shared port and its Future resolves once listening; in the primary the
   * Future never resolves, as the primary only supervises (and exits when every worker exited
   * cleanly). Code before `start` runs in every process (see `forkProcesses`).
   *
   * @see Tornado `TCPServer.start`
   */
  start(numProcesses: number | null = 1, maxRestarts?: number): Future<void> {
    if (this.#started) throw new ServerStateError('TCPServer.start() was already called');
    this.#started = true;
    const requests = this.#pending;
    this.#pending = [];
    const bindAll = async (): Promise<void> => {
      for (const request of requests) await this.#bindNow(request);
    };
    if (numProcesses === 1) return toFuture(bindAll());
    return toFuture(forkProcesses(numProcesses, maxRestarts).then(() => bindAll()));
  }

  /**
   * Stops listening. Connections already accepted go on. Calling it again does nothing.
   *
   * @see Tornado `TCPServer.stop`
   */
  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    for (const [server, removeHandler] of this.#servers) {
      removeHandler();
      closeServer(server);
    }
    this.#servers.clear();
  }

  /** The addresses this server listens on. */
  addresses(): AddressInfo[] {
    const found: AddressInfo[] = [];
    for (const server of this.#servers.keys()) {
      const address = server.address();
      if (address !== null && typeof address === 'object') found.push(address);
    }
    return found;
  }

  /** The port of the first listening socket, or `null` when not listening. */
  get port(): number | null {
    return this.addresses()[0]?.port ?? null;
  }

  /**
   * Called with each new connection. Override it: a plain method, an `async` one, or a
   * generator method (run as a coroutine, so `yield*` works on the stream's Futures). An
   * exception it throws or a Future it fails is logged on `appLog` and the connection is
   * closed; a `StreamClosedError` (the peer hung up) only closes it. Accepting goes on while it
   * runs. With TLS, it is called after the handshake.
   *
   * @see Tornado `TCPServer.handle_stream`
   */
  handleStream(_stream: IOStream, _address: ConnectionAddress): HandleStreamResult {
    throw new TypeError('TCPServer.handleStream() is not implemented: override it in a subclass');
  }

  async #bindNow(request: BindRequest): Promise<void> {
    const servers = await bindSockets(request.port, request.address, request.options);
    if (this.#stopped) {
      // stop() came while binding: do not start serving behind the caller's back.
      for (const server of servers) closeServer(server);
      return;
    }
    this.addSockets(servers);
  }

  #handleConnection(socket: Socket, unix: boolean): void {
    const address = unix ? UNIX_PEER : remoteAddress(socket);
    if (address === null) {
      socket.destroy();
      return;
    }
    if (this.sslOptions === null) {
      this.#dispatch(new IOStream(socket, this.#streamOptions), address);
      return;
    }
    const stream = new SSLIOStream(socket, {
      ...this.#streamOptions,
      sslOptions: this.sslOptions,
      serverSide: true,
    });
    futureAddDoneCallback(stream.waitForHandshake(), (f) => {
      const error = f.exception();
      if (error === null) {
        this.#dispatch(stream, address);
        return;
      }
      this.#handshakeFailed(stream, address, error);
    });
  }

  #handleAccepted(uv: TcpWrap, handle: TcpHandle): void {
    const address = handlePeer(handle);
    if (address === null) {
      handle.close();
      return;
    }
    this.#dispatch(ioStreamOnHandle(new HandleTransport(uv, handle), this.#streamOptions), address);
  }

  #handshakeFailed(stream: IOStream, address: ConnectionAddress, error: unknown): void {
    stream.close();
    // The stream already logged a protocol or certificate failure as a warning ("SSL Error",
    // as Tornado does); a peer that hung up mid-handshake (a port scanner, a health check) is
    // routine and only noted at debug level.
    const cause = error instanceof StreamClosedError ? error.realError : error;
    const reason = cause instanceof Error ? cause.message : 'the peer closed the connection';
    genLog.debug(`TLS handshake with ${describe(address)} failed: ${reason}`);
  }

  #dispatch(stream: IOStream, address: ConnectionAddress): void {
    let result: HandleStreamResult;
    try {
      result = this.handleStream(stream, address);
    } catch (error) {
      this.#handlerFailed(stream, address, error);
      return;
    }
    let future: Future<unknown> | null = null;
    if (isGeneratorObject(result)) future = runGenerator(result, 'handleStream');
    else if (isThenable(result)) future = toFuture(result);
    if (future === null) return;
    futureAddDoneCallback(future, (f) => {
      if (f.cancelled()) return;
      const error = f.exception();
      if (error !== null) this.#handlerFailed(stream, address, error);
    });
  }

  #handlerFailed(stream: IOStream, address: ConnectionAddress, error: unknown): void {
    stream.close();
    if (error instanceof StreamClosedError) {
      // The peer hung up while the handler was reading or writing: the normal end of many
      // protocols, not an application error (Tornado would log it; its examples catch it).
      genLog.debug(`Connection from ${describe(address)} closed during handleStream`);
      return;
    }
    appLog.error(`Exception in handleStream (connection from ${describe(address)})`, error);
  }
}
