/**
 * TCPClient: resolves a host, races its addresses (Happy Eyeballs, see `connector.ts`) and
 * returns a connected IOStream, upgraded to TLS when asked.
 */
import type { Timeout } from '@tronada/gen';
import { deadlineOf, runGenerator, withTimeout } from '@tronada/gen';
import type { Future } from '@tronada/ioloop';
import { IOLoop } from '@tronada/ioloop';
import { Connector, INITIAL_CONNECT_TIMEOUT } from './connector.js';
import { StreamClosedError } from './errors.js';
import { wantsHandles } from './internal/tcp-wrap.js';
import type { IOStream } from './iostream.js';
import { newClientStream } from './iostream.js';
import { ResolveError } from './network-errors.js';
import type { AddressFamily, ResolvedAddress, Resolver } from './resolver.js';
import { DefaultResolver } from './resolver.js';
import type { SSLIOStream, SSLOptions } from './ssl-iostream.js';

/** Options of {@link TCPClient.connect}. */
export interface TCPClientConnectOptions {
  /** Only addresses of this family; default both. */
  af?: AddressFamily;
  /** Upgrade to TLS with these options (the host is the server name checked). */
  sslOptions?: SSLOptions;
  /** The stream's `maxBufferSize`. */
  maxBufferSize?: number;
  /** Connect from this local address. */
  sourceIp?: string;
  /** Connect from this local port (from the loopback address of the family when no `sourceIp`). */
  sourcePort?: number;
  /**
   * What carries the connection: `'handle'` (the default, a bare libuv handle where Node offers
   * them) or `'socket'` (a `net.Socket`); see `IOStream.connect`.
   */
  transport?: 'socket' | 'handle';
  /**
   * Fail with `TimeoutError` if resolving, connecting and the TLS handshake take longer:
   * relative seconds, or `{ deadline }` in loop time.
   */
  timeout?: Timeout;
}

/**
 * A non-blocking TCP connection factory.
 *
 * @see Tornado `tornado.tcpclient.TCPClient`
 */
export class TCPClient {
  /** The resolver host names go through. */
  readonly resolver: Resolver;
  readonly #ownResolver: boolean;

  /** Uses `resolver`, or a {@link DefaultResolver} of its own (closed by {@link close}). */
  constructor(resolver?: Resolver) {
    this.resolver = resolver ?? new DefaultResolver();
    this.#ownResolver = resolver === undefined;
  }

  /** Closes the resolver if this client created it. @see Tornado `TCPClient.close` */
  close(): void {
    if (this.#ownResolver) this.resolver.close?.();
  }

  /**
   * Connects to `host` and `port` and resolves with the stream: an `SSLIOStream` (handshake
   * done, certificate checked) when `sslOptions` is given, an `IOStream` otherwise.
   *
   * With both IPv4 and IPv6 addresses, the family of the first one is tried first and the other
   * joins after 0.3 s, or at once when an attempt fails (RFC 6555). Fails with the last connect
   * error when every address failed, with a `ResolveError` when the host does not resolve, and
   * with `TimeoutError` after `timeout`.
   *
   * @see Tornado `TCPClient.connect`
   */
  connect(
    host: string,
    port: number,
    options?: TCPClientConnectOptions & { sslOptions?: undefined },
  ): Future<IOStream>;
  connect(
    host: string,
    port: number,
    options: TCPClientConnectOptions & { sslOptions: SSLOptions },
  ): Future<SSLIOStream>;
  connect(host: string, port: number, options?: TCPClientConnectOptions): Future<IOStream>;
  connect(host: string, port: number, options: TCPClientConnectOptions = {}): Future<IOStream> {
    return runGenerator(this.#connect(host, port, options), 'TCPClient.connect');
  }

  *#connect(
    host: string,
    port: number,
    options: TCPClientConnectOptions,
  ): Generator<unknown, IOStream, unknown> {
    // A bad option fails here, before any address is tried.
    wantsHandles(options.transport);
    const loop = IOLoop.current();
    const deadline = options.timeout === undefined ? undefined : deadlineOf(options.timeout, loop);
    const resolving = this.resolver.resolve(host, port, options.af);
    const addresses = yield* deadline === undefined
      ? resolving
      : withTimeout({ deadline }, resolving, { quietExceptions: ResolveError });
    if (addresses.length === 0) throw new ResolveError(host, 'the resolver returned no addresses');
    const connector = new Connector(addresses, (address: ResolvedAddress) =>
      this.#createStream(address, options),
    );
    const { stream } = yield* connector.start(INITIAL_CONNECT_TIMEOUT, deadline);
    if (options.sslOptions === undefined) return stream;
    let upgrading: Future<SSLIOStream>;
    try {
      upgrading = stream.startTls(false, options.sslOptions, host);
    } catch (error) {
      stream.close();
      throw error;
    }
    try {
      return yield* deadline === undefined
        ? upgrading
        : withTimeout({ deadline }, upgrading, { quietExceptions: StreamClosedError });
    } catch (error) {
      // A handshake that failed or ran out of time must not leave its socket open; the TLS
      // stream is only reachable through `upgrading`, so close the socket under it.
      stream.socket.destroy();
      throw error;
    }
  }

  #createStream(
    address: ResolvedAddress,
    options: TCPClientConnectOptions,
  ): readonly [IOStream, Future<IOStream>] {
    // Always connect in clear text; TLS starts once one connection has won the race.
    const target = { host: address.address, port: address.port };
    const stream = newClientStream(target, {
      ...(options.maxBufferSize !== undefined && { maxBufferSize: options.maxBufferSize }),
      ...(options.transport !== undefined && { transport: options.transport }),
    });
    // A source port without a source IP binds the loopback address of the family (Tornado).
    const localAddress =
      options.sourceIp ??
      (options.sourcePort !== undefined ? (address.family === 6 ? '::1' : '127.0.0.1') : undefined);
    const connected = stream.connect(target, {
      family: address.family,
      ...(localAddress !== undefined && { localAddress }),
      ...(options.sourcePort !== undefined && { localPort: options.sourcePort }),
    });
    return [stream, connected];
  }
}
