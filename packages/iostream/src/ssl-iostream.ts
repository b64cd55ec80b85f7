/**
 * SSLIOStream: an IOStream over a `tls.TLSSocket`, with `waitForHandshake`. Client streams
 * verify the server's certificate (chain and host name) unless `rejectUnauthorized: false`.
 */
import * as net from 'node:net';
import * as tls from 'node:tls';
import { Future, futureSetResultUnlessCancelled, genLog } from '@tronada/ioloop';
import type { IOStreamOptions } from './base-iostream.js';
import { isConnectionReset } from './base-iostream.js';
import { HandshakeAlreadyAwaitedError, StreamClosedError } from './errors.js';
import type { ConnectOptions, StreamAddress } from './iostream.js';
import { IOStream, registerSSLIOStream } from './iostream.js';

/**
 * TLS settings: Node's `tls.connect` / `tls.TLSSocket` options (certificates, keys, `ca`,
 * `rejectUnauthorized`, `requestCert`, `ALPNProtocols`, `secureContext`, ...). Where the socket
 * comes from is decided by the stream, so `socket`, `host`, `port` and `path` are left out.
 */
export type SSLOptions = Omit<tls.ConnectionOptions, 'socket' | 'host' | 'port' | 'path'>;

/** Options of an {@link SSLIOStream}. */
export interface SSLIOStreamOptions extends IOStreamOptions {
  /** TLS settings; a server side needs at least `key` and `cert` (or `secureContext`, `pfx`). */
  sslOptions?: SSLOptions | undefined;
  /** Act as the TLS server (default: client). */
  serverSide?: boolean | undefined;
  /** Client: the name for SNI and for checking the server's certificate. */
  serverHostname?: string | undefined;
}

interface HostState {
  hostname: string | undefined;
}

type WithServername = tls.TLSSocket & { setServername?(name: string): void };
type WithVerifyError = tls.TLSSocket & { ssl?: { verifyError?(): Error | null } };

function wrapClient(socket: net.Socket, sslOptions: SSLOptions, state: HostState): tls.TLSSocket {
  const check = sslOptions.checkServerIdentity ?? tls.checkServerIdentity;
  const options: tls.ConnectionOptions = {
    ...sslOptions,
    socket,
    // Node checks against the connected host unless told otherwise; serverHostname wins.
    checkServerIdentity: (host, cert) => check(state.hostname ?? host, cert),
  };
  // RFC 6066 forbids IP addresses in SNI (and Node warns about them).
  if (options.servername === undefined && state.hostname !== undefined) {
    if (net.isIP(state.hostname) === 0) options.servername = state.hostname;
  }
  return tls.connect(options);
}

function wrapServer(socket: net.Socket, sslOptions: SSLOptions): tls.TLSSocket {
  return new tls.TLSSocket(socket, { ...(sslOptions as tls.TLSSocketOptions), isServer: true });
}

/**
 * A stream over TLS. Give it a `tls.TLSSocket`, or a plain `net.Socket` to wrap: a client
 * stream over an unconnected socket wraps it and starts the handshake once {@link connect}ed; a
 * server stream (`serverSide: true`) over an accepted socket starts the handshake at once.
 * Reads and writes may be issued before the handshake completes; they wait for it.
 *
 * @see Tornado `tornado.iostream.SSLIOStream`
 */
export class SSLIOStream extends IOStream {
  readonly #plain: net.Socket;
  readonly #serverSide: boolean;
  readonly #sslOptions: SSLOptions;
  readonly #host: HostState;
  #handshakeDone = false;
  #handshakeFuture: Future<this> | null = null;

  constructor(socket: tls.TLSSocket | net.Socket, options: SSLIOStreamOptions = {}) {
    const serverSide = options.serverSide === true;
    const sslOptions = options.sslOptions ?? {};
    const host: HostState = { hostname: options.serverHostname };
    const wrapped =
      socket instanceof tls.TLSSocket
        ? socket
        : serverSide
          ? wrapServer(socket, sslOptions)
          : wrapClient(socket, sslOptions, host);
    super(wrapped, options);
    this.#plain = socket;
    this.#serverSide = serverSide;
    this.#sslOptions = sslOptions;
    this.#host = host;
    // A socket that already finished its handshake (from tls.Server's 'secureConnection').
    if (wrapped.getFinished() !== undefined && !wrapped.destroyed) this.#handshakeDone = true;
    else wrapped.once(serverSide ? 'secure' : 'secureConnect', this.#onSecure);
  }

  /** The TLS socket (peer certificate, cipher, ALPN protocol, ...). */
  override get socket(): tls.TLSSocket {
    return super.socket as tls.TLSSocket;
  }

  /**
   * Resolves with this stream once the TLS handshake completed, at once if it already has.
   * Fails with the handshake's error (a certificate or protocol error) when it fails. Throws
   * {@link HandshakeAlreadyAwaitedError} while an earlier call is still waiting. The legacy
   * `callback` (Tornado 5) runs on the IOLoop once the handshake completed, never on failure.
   *
   * @see Tornado `SSLIOStream.wait_for_handshake`
   */
  waitForHandshake(callback?: () => void): Future<this> {
    if (this.#handshakeFuture !== null) throw new HandshakeAlreadyAwaitedError();
    const future = new Future<this>();
    if (callback !== undefined) {
      future.addDoneCallback((f) => {
        if (!f.cancelled() && f.exception() === null) this.ioLoop.addCallback(callback);
      });
    }
    if (this.#handshakeDone) future.setResult(this);
    else if (this.closed()) this.#failHandshake(future);
    else this.#handshakeFuture = future;
    return future;
  }

  /**
   * Opens a TLS client connection to `address`: a new socket, connected, then the handshake
   * (certificates verified by default); resolves with the stream once the handshake completed.
   *
   * @see Tornado `SSLIOStream(socket.socket()).connect(address, server_hostname=...)`
   */
  static override connect(
    address: StreamAddress,
    options: ConnectOptions & SSLIOStreamOptions = {},
  ): Future<SSLIOStream> {
    return new SSLIOStream(new net.Socket(), options).connect(address, options);
  }

  /**
   * Connects the plain socket under this client stream, then performs the TLS handshake;
   * resolves once the handshake completed. `serverHostname` (default: `address.host`) is
   * used for SNI and for the certificate check.
   *
   * @see Tornado `SSLIOStream.connect`
   */
  override connect(
    address: StreamAddress,
    options: ConnectOptions = {},
    callback?: () => void,
  ): Future<this> {
    const name =
      options.serverHostname ??
      this.#host.hostname ??
      (typeof address === 'string' ? undefined : address.host);
    this.#host.hostname = name;
    const tlsSocket = this.socket as WithServername;
    if (name !== undefined && net.isIP(name) === 0 && this.#sslOptions.servername === undefined) {
      tlsSocket.setServername?.(name);
    }
    const connected = super.connect(address, options);
    // Its failure is reported by the handshake Future (with the real error) instead.
    connected.addDoneCallback((f) => {
      if (!f.cancelled()) f.exception();
    });
    return this.waitForHandshake(callback);
  }

  protected override get connectingSocket(): net.Socket {
    return this.#plain;
  }

  protected override onClosed(): void {
    super.onClosed();
    const future = this.#handshakeFuture;
    if (future === null) return;
    this.#handshakeFuture = null;
    this.#failHandshake(future);
  }

  protected override reportError(error: Error): void {
    if (this.#handshakeDone || this.connecting || isConnectionReset(error)) {
      super.reportError(error);
      return;
    }
    const peer = this.#plain.remoteAddress ?? '(not connected)';
    genLog.warn(`SSL Error on ${peer}: ${error.message}`, error);
  }

  #failHandshake(future: Future<this>): void {
    const error = this.error ?? new StreamClosedError();
    if (!future.done()) future.setException(error);
    if (!future.cancelled()) future.exception();
  }

  readonly #onSecure = (): void => {
    if (this.closed()) return;
    if (this.#serverSide && this.#sslOptions.requestCert === true) {
      // A lone server-side TLSSocket accepts any client certificate; tls.Server would check it.
      const verifyError = (this.socket as WithVerifyError).ssl?.verifyError?.() ?? null;
      if (verifyError !== null && this.#sslOptions.rejectUnauthorized !== false) {
        this.reportError(verifyError);
        this.close(verifyError);
        return;
      }
    }
    this.#handshakeDone = true;
    const future = this.#handshakeFuture;
    this.#handshakeFuture = null;
    if (future !== null) futureSetResultUnlessCancelled(future, this);
  };
}

registerSSLIOStream((socket, options) => new SSLIOStream(socket, options));
