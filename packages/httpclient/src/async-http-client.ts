/**
 * AsyncHTTPClient: Tornado's non-blocking HTTP client on Tronada's IOStream and HTTP/1 codec,
 * with connection reuse (which Tornado's simple client lacks).
 *
 * A fetch waits for one of `maxClients` slots (queued in order, at most
 * `min(connectTimeout, requestTimeout)` seconds), then runs under `requestTimeout`: a reused
 * or new connection, the exchange, redirects and authentication (see `fetch-operation.ts`).
 * Connections that may carry another request go back to the pool (see `connection-pool.ts`).
 */

import { HTTP1ConnectionParameters } from '@tronada/httputil';
import {
  appLog,
  Future,
  futureSetExceptionUnlessCancelled,
  futureSetResultUnlessCancelled,
  IOLoop,
  type TimeoutHandle,
  wrap,
} from '@tronada/ioloop';
import {
  DefaultResolver,
  type OverrideMapping,
  OverrideResolver,
  type Resolver,
  TCPClient,
} from '@tronada/iostream';
import { openConnection } from './connect.js';
import { ConnectionPool } from './connection-pool.js';
import { HTTPClientError, HTTPTimeoutError } from './errors.js';
import { type FetchContext, FetchControl, performFetch } from './fetch-operation.js';
import { HTTPRequest, type HTTPRequestOptions } from './http-request.js';
import { HTTPResponse } from './http-response.js';
import { RequestSlots } from './request-slots.js';
import { checkRequest } from './request-target.js';
import { TargetCache } from './target-cache.js';

/** Options of an {@link AsyncHTTPClient}. */
export interface AsyncHTTPClientOptions {
  /** Make a new client instead of the loop's shared one. */
  forceInstance?: boolean | undefined;
  /** Request options used when a request leaves them unset. */
  defaults?: HTTPRequestOptions | undefined;
  /** Most requests in progress at once; the others wait in a queue. Default 10. */
  maxClients?: number | undefined;
  /** The stream read buffer limit. Default 100 MiB. */
  maxBufferSize?: number | undefined;
  /** Most bytes in a response head. Default 64 KiB. */
  maxHeaderSize?: number | undefined;
  /** Most bytes in a response body (after decoding too). Default 100 MiB. */
  maxBodySize?: number | undefined;
  /** The resolver for host names (e.g. an `OverrideResolver` for tests). */
  resolver?: Resolver | undefined;
  /**
   * Host (or host and port) overrides applied before resolving, as Tornado's
   * `hostname_mapping` (e.g. `{ 'example.com': '127.0.0.1' }`).
   */
  hostnameMapping?: OverrideMapping | undefined;
  /** Seconds an idle keep-alive connection is kept for reuse; `null`: until `close()`. Default 60. */
  idleTimeout?: number | null | undefined;
  /** Most idle connections kept per destination. Default 10. */
  maxIdlePerKey?: number | undefined;
}

/** Options of {@link AsyncHTTPClient.fetch}: the request's options and how to answer. */
export interface FetchOptions extends HTTPRequestOptions {
  /**
   * Fail the fetch with {@link HTTPClientError} for a status outside 2xx (default true). With
   * false such responses resolve normally; transport errors (599) still fail, as in Tornado 6.
   */
  raiseError?: boolean | undefined;
}

/** The legacy completion callback: gets every response, errors included (never throws). */
export type FetchCallback = (response: HTTPResponse) => void;

/**
 * Binds a legacy callback to the caller's stack context, as Tornado 5 did: an exception it
 * throws reaches the caller's handlers (an `asynchronous` request answers it with an error
 * page), and is logged as a loop callback's would be otherwise. It never escapes into the
 * client, so the fetch's Future still resolves.
 */
function bindLegacyCallback(callback: FetchCallback): FetchCallback {
  const bound = wrap(callback);
  return (response) => {
    try {
      bound(response);
    } catch (error) {
      appLog.error(`Exception in callback ${callback.name || 'anonymous'}`, error);
    }
  };
}

const instances = new WeakMap<IOLoop, AsyncHTTPClient>();
let configured: AsyncHTTPClientOptions = {};

/**
 * A non-blocking HTTP client. `new AsyncHTTPClient()` returns the current IOLoop's shared client
 * (made on first use; later options are ignored) unless `forceInstance` is set. There is no
 * blocking `HTTPClient`: JavaScript cannot block, so `await client.fetch(url)` is the way.
 *
 * ```ts
 * const client = new AsyncHTTPClient();
 * const response = await client.fetch('http://example.com/');
 * console.log(response.code, response.text);
 * ```
 *
 * @see Tornado `tornado.httpclient.AsyncHTTPClient` (with `simple_httpclient`)
 */
export class AsyncHTTPClient {
  /** The loop this client runs on (current at construction). */
  readonly ioLoop!: IOLoop;
  /** Request options used when a request leaves them unset. */
  readonly defaults!: Readonly<HTTPRequestOptions>;
  /** Most requests in progress at once. */
  readonly maxClients!: number;
  /** Most bytes in a response head. */
  readonly maxHeaderSize!: number;
  /** Most bytes in a response body. */
  readonly maxBodySize!: number;
  readonly #shared!: boolean;
  readonly #slots!: RequestSlots;
  readonly #pool!: ConnectionPool;
  readonly #tcpClient!: TCPClient;
  readonly #context!: FetchContext;
  readonly #controls = new Set<FetchControl>();
  readonly #targets = new TargetCache(256);
  #hasDefaults = false;
  #closed = false;

  // The fields are definitely assigned: the constructor either returns the shared instance or
  // fills them all (TypeScript cannot see that a constructor's early return skips them).
  constructor(options: AsyncHTTPClientOptions = {}) {
    const loop = IOLoop.current();
    const shared = options.forceInstance !== true;
    if (shared) {
      const existing = instances.get(loop);
      // biome-ignore lint/correctness/noConstructorReturn: Tornado's AsyncHTTPClient() returns the loop's shared instance.
      if (existing !== undefined) return existing;
    }
    const o = { ...configured, ...options };
    this.ioLoop = loop;
    this.#shared = shared;
    this.defaults = Object.freeze({ ...configured.defaults, ...options.defaults });
    this.#hasDefaults = Object.values(this.defaults).some((v) => v !== undefined);
    this.maxClients = o.maxClients ?? 10;
    this.maxHeaderSize = o.maxHeaderSize ?? 64 * 1024;
    this.maxBodySize = o.maxBodySize ?? 100 * 1024 * 1024;
    const maxBufferSize = o.maxBufferSize ?? 100 * 1024 * 1024;
    this.#slots = new RequestSlots(loop, this.maxClients);
    this.#pool = new ConnectionPool(loop, {
      idleTimeout: o.idleTimeout === undefined ? 60 : o.idleTimeout,
      maxIdlePerKey: o.maxIdlePerKey ?? 10,
    });
    const resolver = o.resolver ?? new DefaultResolver();
    this.#tcpClient = new TCPClient(
      o.hostnameMapping === undefined
        ? resolver
        : new OverrideResolver(resolver, o.hostnameMapping),
    );
    const settings = {
      tcpClient: this.#tcpClient,
      params: new HTTP1ConnectionParameters({
        maxHeaderSize: this.maxHeaderSize,
        maxBodySize: this.maxBodySize,
      }),
      maxBufferSize,
    };
    this.#context = {
      pool: this.#pool,
      maxBodySize: this.maxBodySize,
      target: (url) => this.#targets.get(url),
      connect: (request, target, control) => openConnection(settings, request, target, control),
    };
    if (shared) instances.set(loop, this);
  }

  /**
   * Sets the options of clients made from now on (`null` resets them); the loop's existing
   * shared client is not changed.
   *
   * @see Tornado `AsyncHTTPClient.configure`
   */
  static configure(options: AsyncHTTPClientOptions | null): void {
    configured = { ...options };
    delete configured.forceInstance;
  }

  /** Idle keep-alive connections held for reuse. */
  get idleConnections(): number {
    return this.#pool.size;
  }

  /**
   * Fetches `request` (a URL, or an {@link HTTPRequest} when `options` gives no request
   * options) and resolves with the {@link HTTPResponse}. Fails with {@link HTTPClientError}:
   * the response's status when it is outside 2xx and `raiseError` is on (the default), 599 when
   * no response arrived (an {@link HTTPTimeoutError} for timeouts). With a legacy `callback`,
   * the Future resolves and the callback is called with every response, errors as
   * `response.error`.
   *
   * @throws TypeError (in the Future) for a malformed request: bad URL, a body for GET, options
   * beside an HTTPRequest.
   * @see Tornado `AsyncHTTPClient.fetch`
   */
  fetch(
    request: string | HTTPRequest,
    options: FetchOptions = {},
    callback?: FetchCallback,
  ): Future<HTTPResponse> {
    const future = new Future<HTTPResponse>();
    const raiseError = options.raiseError ?? true;
    const report = callback === undefined ? undefined : bindLegacyCallback(callback);
    let prepared: HTTPRequest;
    try {
      if (this.#closed) {
        throw new HTTPClientError(599, 'fetch() called on a closed AsyncHTTPClient');
      }
      const requestOptions =
        options.raiseError === undefined ? options : withoutRaiseError(options);
      if (typeof request === 'string') prepared = new HTTPRequest(request, requestOptions);
      else {
        if (Object.values(requestOptions).some((v) => v !== undefined)) {
          throw new TypeError("Request options can't be used with an HTTPRequest object");
        }
        prepared = request;
      }
      if (this.#hasDefaults) prepared = prepared.withDefaults(this.defaults);
      // Mistakes in the request fail now, before it waits for a slot or a connection.
      checkRequest(prepared, this.#targets.get(prepared.url));
    } catch (error) {
      future.setException(error);
      return future;
    }
    // A cancelled Future only stops the caller from waiting (as in Tornado); the outcome that
    // arrives later is dropped quietly.
    this.#run(
      prepared,
      (response) => {
        if (report !== undefined) {
          report(response);
          futureSetResultUnlessCancelled(future, response);
        } else if (response.error !== undefined && raiseError) {
          futureSetExceptionUnlessCancelled(future, response.error);
        } else futureSetResultUnlessCancelled(future, response);
      },
      (error) => {
        if (report !== undefined && error instanceof HTTPClientError) {
          const response = new HTTPResponse({
            request: prepared.originalRequest,
            code: 599,
            error,
          });
          report(response);
          futureSetResultUnlessCancelled(future, response);
        } else futureSetExceptionUnlessCancelled(future, error);
      },
    );
    return future;
  }

  /**
   * Closes the client: idle connections close, queued fetches fail, fetches in progress end
   * with an error, and the loop's shared client is forgotten (the next `new AsyncHTTPClient()`
   * makes a new one). Idempotent.
   *
   * @see Tornado `AsyncHTTPClient.close`
   */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    const error = new HTTPClientError(599, 'The AsyncHTTPClient was closed');
    this.#slots.failAll(error);
    for (const control of this.#controls) control.stop(error);
    this.#pool.close();
    this.#tcpClient.close();
    if (this.#shared && instances.get(this.ioLoop) === this) instances.delete(this.ioLoop);
  }

  /** Runs `request` in a slot (waiting for one when all are taken); reports once. */
  #run(request: HTTPRequest, done: (r: HTTPResponse) => void, fail: (e: unknown) => void): void {
    const signal = request.signal;
    if (signal?.aborted) {
      queueMicrotask(() => fail(aborted(signal)));
      return;
    }
    if (this.#slots.tryAcquire()) {
      this.#start(request, 0, done, fail);
      return;
    }
    const queued = performance.now();
    this.#slots.acquire(queueTimeout(request), signal).then(
      () => {
        if (!this.#closed) this.#start(request, (performance.now() - queued) / 1000, done, fail);
        else {
          // The slot was granted just before close(), which no longer saw this fetch.
          this.#slots.release();
          fail(new HTTPClientError(599, 'The AsyncHTTPClient was closed'));
        }
      },
      (error: unknown) => fail(signal?.aborted === true ? aborted(signal) : error),
    );
  }

  /**
   * Runs `request` in the slot it holds, under `requestTimeout` and its abort signal; gives the
   * slot back and reports the outcome (or the stop reason) exactly once.
   */
  #start(
    request: HTTPRequest,
    queueSeconds: number,
    done: (r: HTTPResponse) => void,
    fail: (e: unknown) => void,
  ): void {
    const loop = this.ioLoop;
    const signal = request.signal;
    const controls = this.#controls;
    let timer: TimeoutHandle | null = null;
    const onAbort = signal === undefined ? undefined : () => control.stop(aborted(signal));
    // True for the first outcome only: it frees the slot, the timer and the listener.
    const settle = (): boolean => {
      if (!controls.delete(control)) return false;
      loop.removeTimeout(timer);
      if (onAbort !== undefined) signal!.removeEventListener('abort', onAbort);
      this.#slots.release();
      return true;
    };
    // A stop (timeout, abort, close) reports on a microtask, never inside the caller's frame.
    const control = new FetchControl(queueSeconds, (reason) =>
      queueMicrotask(() => {
        if (settle()) fail(reason);
      }),
    );
    controls.add(control);
    if (request.requestTimeout > 0) {
      timer = loop.callLater(request.requestTimeout, () =>
        control.stop(new HTTPTimeoutError('Timeout during request')),
      );
    }
    if (onAbort !== undefined) {
      signal!.addEventListener('abort', onAbort, { once: true });
      if (signal!.aborted) onAbort();
    }
    performFetch(this.#context, request, control).then(
      (response) => {
        if (settle()) done(response);
      },
      (error: unknown) => {
        if (settle()) fail(control.stopped ? control.reason : error);
      },
    );
  }
}

/** The fetch options without `raiseError`, which is not a request option. */
function withoutRaiseError(options: FetchOptions): HTTPRequestOptions {
  const { raiseError: _, ...requestOptions } = options;
  return requestOptions;
}

/** Tornado's queue timeout: the smaller of the two timeouts that are set (0 means unset). */
function queueTimeout(request: HTTPRequest): number | null {
  const set = [request.connectTimeout, request.requestTimeout].filter((x) => x > 0);
  return set.length === 0 ? null : Math.min(...set);
}

function aborted(signal: AbortSignal): HTTPClientError {
  return new HTTPClientError(599, 'The request was aborted', { cause: signal.reason });
}
