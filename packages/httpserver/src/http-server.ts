/**
 * HTTPServer: a TCPServer that speaks HTTP/1.x to an application.
 */
import type { Timeout } from '@tronada/gen';
import { deadlineOf } from '@tronada/gen';
import type {
  HTTP1Connection,
  HTTPConnection,
  HTTPMessageDelegate,
  HTTPServerConnectionDelegate,
} from '@tronada/httputil';
import { HTTP1ConnectionParameters, HTTP1ServerConnection } from '@tronada/httputil';
import type { TimeoutHandle } from '@tronada/ioloop';
import { accessLog, Future, IOLoop } from '@tronada/ioloop';
import type { ConnectionAddress, IOStream, TCPServerOptions } from '@tronada/iostream';
import { TCPServer } from '@tronada/iostream';
import { CallableAdapter, type RequestCallback } from './callable-adapter.js';
import { HTTPRequestContext } from './http-request-context.js';
import { ProxyHeadersDelegate } from './proxy-headers-delegate.js';

/** One line of the access log: what {@link HTTPServerOptions.logRequest} receives. */
export interface AccessLogEntry {
  readonly method: string;
  readonly uri: string;
  /** The status written. */
  readonly status: number;
  /** The client's address (after `xheaders`). */
  readonly remoteIp: string | undefined;
  /** Seconds from the end of the request headers to the end of the response. */
  readonly requestTime: number;
}

/** Options of {@link HTTPServer}; see the README for the defaults. */
export interface HTTPServerOptions extends TCPServerOptions {
  /** Trust `X-Real-Ip`/`X-Forwarded-For` and `X-Scheme`/`X-Forwarded-Proto`. Default false. */
  xheaders?: boolean;
  /** Proxies skipped in `X-Forwarded-For` (with `xheaders`). */
  trustedDownstream?: Iterable<string>;
  /** `http` or `https` as the application sees it (default: `https` with `sslOptions`). */
  protocol?: string;
  /** Close every connection after one request. Default false. */
  noKeepAlive?: boolean;
  /** Gunzip request bodies sent with `Content-Encoding: gzip`. Default false. */
  decompressRequest?: boolean;
  /** Largest body piece given to a streaming delegate. Default 64 KiB. */
  chunkSize?: number;
  /** Most bytes of a request line plus headers; more is a 431. Default 64 KiB. */
  maxHeaderSize?: number;
  /** Most bytes of a request body; more is a 413. Default 100 MiB. */
  maxBodySize?: number;
  /** Seconds an idle connection is kept waiting for a request. Default 3600. */
  idleConnectionTimeout?: number | null;
  /** Seconds from a request's first byte to the end of its headers. Default 60. */
  headerTimeout?: number | null;
  /** Seconds to receive a request body once its headers arrived. Default none. */
  bodyTimeout?: number | null;
  /**
   * Called once per answered request; default: a line on `accessLog` at info
   * (`200 GET /path (127.0.0.1) 0.52ms`), unless the delegate logs requests itself (a web
   * `Application` does: it declares `logsRequests`). `null` turns logging off.
   */
  logRequest?: ((entry: AccessLogEntry) => void) | null;
}

/** Options of {@link HTTPServer.shutdown}. */
export interface ShutdownOptions {
  /** How long in-flight requests may take before their connections are closed; default 30 s. */
  timeout?: Timeout;
}

function defaultLogRequest(entry: AccessLogEntry): void {
  if (!accessLog.isEnabledFor('info')) return;
  accessLog.info(
    `${entry.status} ${entry.method} ${entry.uri} (${entry.remoteIp}) ${(entry.requestTime * 1000).toFixed(2)}ms`,
  );
}

// An application that writes its own access log (a web Application) says so with this flag.
function logsItsOwnRequests(callback: unknown): boolean {
  return (callback as { logsRequests?: unknown }).logsRequests === true;
}

function isDelegate(value: unknown): value is HTTPServerConnectionDelegate {
  return typeof (value as HTTPServerConnectionDelegate).startRequest === 'function';
}

/**
 * A non-blocking, single-threaded HTTP/1.1 server. Give it an
 * {@link HTTPServerConnectionDelegate} (such as a web application) or a request callback
 * `(request) => ...` that answers through `request.connection`, then `listen(port)`.
 *
 * ```ts
 * const server = new HTTPServer((request) => {
 *   const body = Buffer.from('Hello, world');
 *   const headers = new HTTPHeaders({ 'Content-Length': String(body.length) });
 *   request.connection!.writeHeaders(new ResponseStartLine('HTTP/1.1', 200, 'OK'), headers, body);
 *   request.connection!.finish();
 * });
 * await server.listen(8888);
 * ```
 *
 * Bad input never disturbs other connections: it is answered with its 4xx/5xx status and that
 * connection is closed. `shutdown()` drains gracefully; `closeAllConnections()` does not wait.
 *
 * @see Tornado `tornado.httpserver.HTTPServer`
 */
export class HTTPServer extends TCPServer implements HTTPServerConnectionDelegate {
  /** The parameters every connection gets. */
  readonly params: HTTP1ConnectionParameters;
  /** Whether proxy headers are trusted. */
  readonly xheaders: boolean;
  /** The protocol given in the options, if any. */
  readonly protocol: string | undefined;
  /** Proxies skipped in `X-Forwarded-For`. */
  readonly trustedDownstream: readonly string[];
  readonly #callback: HTTPServerConnectionDelegate | RequestCallback;
  readonly #logRequest: ((entry: AccessLogEntry) => void) | null;
  readonly #connections = new Set<HTTP1ServerConnection>();
  #drained: Future<void> | null = null;
  #shutdownTimer: TimeoutHandle | null = null;
  #shuttingDown = false;

  constructor(
    requestCallback: HTTPServerConnectionDelegate | RequestCallback,
    options: HTTPServerOptions = {},
  ) {
    super({
      ...(options.sslOptions !== undefined && { sslOptions: options.sslOptions }),
      ...(options.maxBufferSize !== undefined && { maxBufferSize: options.maxBufferSize }),
      ...(options.readChunkSize !== undefined && { readChunkSize: options.readChunkSize }),
      ...(options.transport !== undefined && { transport: options.transport }),
    });
    this.#callback = requestCallback;
    this.xheaders = options.xheaders ?? false;
    this.protocol = options.protocol;
    this.trustedDownstream = [...(options.trustedDownstream ?? [])];
    this.#logRequest =
      options.logRequest !== undefined
        ? options.logRequest
        : logsItsOwnRequests(requestCallback)
          ? null
          : defaultLogRequest;
    this.params = new HTTP1ConnectionParameters({
      noKeepAlive: options.noKeepAlive,
      decompress: options.decompressRequest,
      chunkSize: options.chunkSize,
      maxHeaderSize: options.maxHeaderSize,
      maxBodySize: options.maxBodySize ?? options.maxBufferSize,
      idleTimeout:
        options.idleConnectionTimeout === undefined ? 3600 : options.idleConnectionTimeout,
      headerTimeout: options.headerTimeout === undefined ? 60 : options.headerTimeout,
      bodyTimeout: options.bodyTimeout,
    });
  }

  /** How many connections are open. */
  get connectionCount(): number {
    return this.#connections.size;
  }

  /**
   * Serves a new connection (called by TCPServer); during a shutdown it is closed at once.
   *
   * @see Tornado `HTTPServer.handle_stream`
   */
  override handleStream(stream: IOStream, address: ConnectionAddress): void {
    if (this.#shuttingDown) {
      stream.close();
      return;
    }
    const context = new HTTPRequestContext({
      // A Unix socket peer has no IP address; the context reports 0.0.0.0 then, as Tornado.
      address: address.family === 'unix' ? undefined : address.address,
      protocol: this.protocol ?? (this.sslOptions === null ? 'http' : 'https'),
      trustedDownstream: this.trustedDownstream,
    });
    const connection = new HTTP1ServerConnection(
      stream,
      this.params,
      context,
      this.#logRequest === null ? {} : { onExchangeDone: this.#onExchangeDone },
    );
    this.#connections.add(connection);
    connection.startServing(this);
  }

  /**
   * Returns the message delegate of a new request: the application's, or a
   * {@link CallableAdapter} around the request callback, wrapped for `xheaders`.
   *
   * @see Tornado `HTTPServer.start_request`
   */
  startRequest(serverConn: object, requestConn: HTTPConnection): HTTPMessageDelegate {
    const callback = this.#callback;
    const delegate = isDelegate(callback)
      ? callback.startRequest(serverConn, requestConn)
      : new CallableAdapter(callback, serverConn, requestConn);
    if (!this.xheaders) return delegate;
    return new ProxyHeadersDelegate(delegate, requestConn.context as HTTPRequestContext);
  }

  /**
   * A connection ended.
   *
   * @see Tornado `HTTPServer.on_close`
   */
  onClose(serverConn: object): void {
    this.#connections.delete(serverConn as HTTP1ServerConnection);
    if (this.#connections.size === 0 && this.#drained !== null) this.#finishShutdown();
  }

  /**
   * Closes every open connection now (requests in progress are cut off); resolves when all
   * have ended. Usually after {@link stop}.
   *
   * @see Tornado `HTTPServer.close_all_connections`
   */
  closeAllConnections(): Future<void> {
    const all = [...this.#connections].map((c) => c.close());
    const done = new Future<void>();
    if (all.length === 0) {
      done.setResult(undefined);
      return done;
    }
    let left = all.length;
    for (const f of all) {
      f.addDoneCallback(() => {
        left -= 1;
        if (left === 0) done.setResult(undefined);
      });
    }
    return done;
  }

  /**
   * Graceful shutdown: stops accepting at once, closes idle keep-alive connections, lets
   * requests in progress finish (their responses carry `Connection: close` when not yet
   * started), and resolves when the last connection ended, or at `timeout` (default 30 s),
   * when the remaining connections are closed. Calling it again returns the same Future.
   */
  shutdown(options: ShutdownOptions = {}): Future<void> {
    if (this.#drained !== null) return this.#drained;
    const drained = new Future<void>();
    this.#drained = drained;
    this.#shuttingDown = true;
    this.stop();
    for (const connection of [...this.#connections]) connection.closeWhenIdle();
    if (this.#connections.size === 0) {
      this.#finishShutdown();
      return drained;
    }
    const loop = IOLoop.current();
    this.#shutdownTimer = loop.callAt(deadlineOf(options.timeout ?? 30, loop), () => {
      this.#shutdownTimer = null;
      void this.closeAllConnections();
    });
    return drained;
  }

  #finishShutdown(): void {
    IOLoop.current().removeTimeout(this.#shutdownTimer);
    this.#shutdownTimer = null;
    const drained = this.#drained;
    if (drained !== null && !drained.done()) drained.setResult(undefined);
  }

  readonly #onExchangeDone = (connection: HTTP1Connection): void => {
    const exchange = connection.exchange!;
    this.#logRequest?.({
      method: exchange.method,
      uri: exchange.uri,
      status: exchange.code!,
      remoteIp: exchange.remoteIp,
      requestTime: (exchange.finishTime ?? exchange.startTime) - exchange.startTime,
    });
  };
}
