/**
 * The errors of `@tronada/httpclient`: {@link HTTPClientError} for every failed fetch (an HTTP
 * status, or 599 when no response arrived), and its 599 kinds for timeouts and closed streams.
 */
import { TronadaError } from '@tronada/ioloop';
import type { HTTPResponse } from './http-response.js';

/** Options of {@link HTTPClientError}. */
export interface HTTPClientErrorOptions {
  /** The response, when one arrived (never for 599). */
  response?: HTTPResponse | undefined;
  /** What went wrong underneath (a socket error, a rejected response, a TLS failure). */
  cause?: unknown;
}

const STATUS_REASONS: Record<number, string> = {
  599: 'Unknown',
};

/**
 * A fetch failed: the server answered with a status outside 2xx (and `raiseError` is on), or no
 * response arrived (`status` 599, Tornado's code for transport errors: refused or reset
 * connections, timeouts, malformed responses, TLS failures), with the underlying error as
 * `cause`. `status` is Tornado's `code` (our `code` is the stable error identifier).
 *
 * @see Tornado `tornado.httpclient.HTTPClientError`
 */
export class HTTPClientError extends TronadaError {
  override readonly name: string = 'HTTPClientError';
  readonly code: string = 'ERR_HTTP_CLIENT';
  /** The HTTP status, or 599 when no response arrived. */
  readonly status: number;
  /** The response, if one arrived (with `raiseError`, a non-2xx answer). */
  readonly response: HTTPResponse | undefined;

  constructor(status: number, message?: string, options: HTTPClientErrorOptions = {}) {
    super(
      `HTTP ${status}: ${message ?? STATUS_REASONS[status] ?? 'Unknown'}`,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.status = status;
    this.response = options.response;
  }
}

/**
 * A fetch ran out of time (599): connecting, in the request queue, or during the request.
 *
 * @see Tornado `tornado.simple_httpclient.HTTPTimeoutError`
 */
export class HTTPTimeoutError extends HTTPClientError {
  override readonly name: string = 'HTTPTimeoutError';
  override readonly code: string = 'ERR_HTTP_TIMEOUT';
  constructor(message: string) {
    super(599, message);
  }
}

/**
 * The connection closed before the response was complete (599).
 *
 * @see Tornado `tornado.simple_httpclient.HTTPStreamClosedError`
 */
export class HTTPStreamClosedError extends HTTPClientError {
  override readonly name: string = 'HTTPStreamClosedError';
  override readonly code: string = 'ERR_HTTP_STREAM_CLOSED';
  constructor(message = 'Stream closed', options: { cause?: unknown } = {}) {
    super(599, message, { cause: options.cause });
  }
}
