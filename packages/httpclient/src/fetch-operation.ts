/**
 * performFetch: one fetch from the first request to the final response: a connection (reused
 * from the pool or made), the exchange, then what the response asks for: a Digest challenge
 * answered once, redirects followed, a `101 Switching Protocols` handed to `onUpgrade`.
 *
 * Retry. A reused connection may have been closed by the server just before the request went
 * out (its idle timeout). When that connection ends before any response head, an idempotent
 * request without a streamed body is sent once more on a new connection (RFC 9110 §9.2.2).
 *
 * Stopping. A timeout or an abort calls {@link FetchControl.stop}: the connection in use is
 * closed, and every step checks the control after each wait, so nothing continues.
 */
import type { HTTP1Connection } from '@tronada/httputil';
import { HTTPHeaders, RequestStartLine } from '@tronada/httputil';
import type { ConnectionPool } from './connection-pool.js';
import { digestAuthorization, parseDigestChallenge } from './digest-auth.js';
import { FetchExchange, type RawResponse } from './fetch-exchange.js';
import type { HTTPRequest } from './http-request.js';
import { HTTPResponse } from './http-response.js';
import { redirectRequest, shouldFollow } from './redirect.js';
import {
  completeHeaders,
  digestCredentials,
  poolKey,
  type RequestTarget,
} from './request-target.js';

const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'TRACE']);

/** What a fetch needs from its client. */
export interface FetchContext {
  readonly pool: ConnectionPool;
  /** The body limit of a response. */
  readonly maxBodySize: number;
  /** The parsed target of `url` (as `parseTarget` gives it). */
  target(url: string): RequestTarget;
  /** Opens a connection for `request` to `target` (through its proxy, if any). */
  connect(request: HTTPRequest, target: RequestTarget, control: FetchControl): Promise<Connected>;
}

/** A new connection, and how the request must name its target on it. */
export interface Connected {
  readonly connection: HTTP1Connection;
  /** The request target to write (an absolute URL through a plain HTTP proxy). */
  readonly path?: string | undefined;
  /** Headers every request on this connection carries (Proxy-Authorization). */
  readonly extraHeaders?: HTTPHeaders | undefined;
}

/**
 * Lets a timeout or an abort stop a fetch in progress: {@link stop} closes the connection in
 * use and calls the `onStop` given at construction, once.
 */
export class FetchControl {
  #connection: HTTP1Connection | null = null;
  #reason: unknown = undefined;
  #stopped = false;
  readonly #onStop: (reason: unknown) => void;
  /** Seconds the fetch waited for a `maxClients` slot, for `timeInfo`. */
  readonly queueSeconds: number;

  constructor(queueSeconds: number, onStop: (reason: unknown) => void) {
    this.queueSeconds = queueSeconds;
    this.#onStop = onStop;
  }

  /** True once stopped. */
  get stopped(): boolean {
    return this.#stopped;
  }

  /** Why the fetch was stopped. */
  get reason(): unknown {
    return this.#reason;
  }

  /** The connection in use (closed by {@link stop}). */
  use(connection: HTTP1Connection | null): void {
    this.#connection = connection;
    if (this.#stopped) connection?.close();
  }

  /** Stops the fetch: closes its connection and calls `onStop` with `reason`. Once. */
  stop(reason: unknown): void {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#reason = reason;
    this.#connection?.close();
    this.#onStop(reason);
  }

  /** Throws the stop reason when stopped. */
  check(): void {
    if (this.#stopped) throw this.#reason;
  }
}

function now(): number {
  return performance.now() / 1000;
}

/** Runs the fetch of `first` to its final response; see the file comment. */
export async function performFetch(
  ctx: FetchContext,
  first: HTTPRequest,
  control: FetchControl,
): Promise<HTTPResponse> {
  const started = now();
  let request = first;
  let digest: string | undefined;
  let digestTried = false;
  for (;;) {
    const target = ctx.target(request.url);
    const credentials = digestCredentials(request, target);
    const isFinal = (code: number, headers: HTTPHeaders): boolean =>
      !shouldFollow(request, code, headers) &&
      !(code === 401 && credentials !== undefined && !digestTried);
    const key = poolKey(request, target);
    let answer: RawResponse | undefined;
    let connection: HTTP1Connection | undefined;
    let connectSeconds = 0;
    for (let attempt = 0; answer === undefined; attempt++) {
      control.check();
      let connected: Connected | null = null;
      const pooled = ctx.pool.take(key);
      if (pooled === null) {
        const before = now();
        connected = await ctx.connect(request, target, control);
        connectSeconds = now() - before;
      }
      connection = pooled ?? connected!.connection;
      control.use(connection);
      const headers = request.headers.size === 0 ? new HTTPHeaders() : request.headers.copy();
      completeHeaders(request, target, headers);
      if (digest !== undefined) headers.set('Authorization', digest);
      const extra = connected?.extraHeaders;
      if (extra !== undefined) for (const [name, value] of extra) headers.add(name, value);
      const path = connected?.path ?? target.path;
      const startLine = new RequestStartLine(request.method, path, 'HTTP/1.1');
      const exchange = new FetchExchange(
        connection,
        request,
        startLine,
        headers,
        isFinal,
        ctx.maxBodySize,
      );
      try {
        answer = await exchange.run();
      } catch (error) {
        connection.close();
        control.check();
        const retry =
          pooled !== null &&
          attempt === 0 &&
          !exchange.responseStarted &&
          IDEMPOTENT.has(request.method) &&
          request.bodyProducer === undefined;
        if (!retry) throw error;
      }
    }
    control.use(null);
    control.check();
    const conn = connection!;
    const raw = answer!;
    if (raw.code !== 101) {
      if (raw.reusable) ctx.pool.put(key, conn);
      else conn.close();
    }
    if (raw.code === 401 && credentials !== undefined && !digestTried) {
      const challenge = parseDigestChallenge(raw.headers.get('WWW-Authenticate') ?? '');
      digestTried = true;
      if (challenge !== undefined) {
        digest = digestAuthorization(challenge, {
          method: request.method,
          uri: target.path,
          ...credentials,
        });
        continue;
      }
    }
    if (shouldFollow(request, raw.code, raw.headers)) {
      request = redirectRequest(request, raw.code, raw.headers.get('Location')!);
      digest = undefined;
      digestTried = false;
      continue;
    }
    const end = now();
    const response = new HTTPResponse({
      request: first.originalRequest,
      code: raw.code,
      reason: raw.reason,
      headers: raw.headers,
      body: raw.body,
      effectiveUrl: request.url,
      requestTime: end - started,
      // A 101 taken over by onUpgrade is what the caller asked for, not an error.
      error: raw.code === 101 && request.onUpgrade !== undefined ? null : undefined,
      startTime: first.startTime,
      timeInfo: {
        queue: control.queueSeconds,
        connect: connectSeconds,
        transfer: end - raw.headTime,
      },
    });
    if (raw.code === 101) {
      const onUpgrade = request.onUpgrade;
      if (onUpgrade === undefined) conn.close();
      else onUpgrade(conn.detach(), response);
    }
    return response;
  }
}
