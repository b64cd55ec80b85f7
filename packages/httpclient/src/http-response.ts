/**
 * HTTPResponse: what a fetch produced, a response or a transport error.
 */
import type { HTTPHeaders } from '@tronada/httputil';
import { HTTPHeaders as Headers } from '@tronada/httputil';
import { HTTPClientError } from './errors.js';
import type { HTTPRequest } from './http-request.js';

/** How long the phases of a request took, in seconds (present when measured). */
export interface TimeInfo {
  /** Waiting for a free slot (`maxClients`). */
  queue?: number;
  /** Connecting (resolve, TCP, TLS), or 0 for a reused connection. */
  connect?: number;
  /** From the response head to the end of the body. */
  transfer?: number;
}

/** What {@link HTTPResponse} is made from. */
export interface HTTPResponseInit {
  /** The request as the caller made it (`originalRequest` of a redirect chain). */
  request: HTTPRequest;
  /** The HTTP status, or 599 when no response arrived. */
  code: number;
  /** The reason phrase (defaults to a standard one for the code). */
  reason?: string | undefined;
  headers?: HTTPHeaders | undefined;
  body?: Buffer | undefined;
  /** The URL of the last request of a redirect chain. */
  effectiveUrl?: string | undefined;
  /** The error; by default one for a status outside 2xx. `null`: none whatever the status. */
  error?: Error | null | undefined;
  requestTime?: number | undefined;
  startTime?: number | undefined;
  timeInfo?: TimeInfo | undefined;
}

const REASONS: Record<number, string> = {
  100: 'Continue',
  101: 'Switching Protocols',
  200: 'OK',
  201: 'Created',
  202: 'Accepted',
  204: 'No Content',
  206: 'Partial Content',
  301: 'Moved Permanently',
  302: 'Found',
  303: 'See Other',
  304: 'Not Modified',
  307: 'Temporary Redirect',
  308: 'Permanent Redirect',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  413: 'Content Too Large',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  599: 'Unknown',
};

/**
 * The result of a fetch. A response with an `error` (a non-2xx status, or a 599 transport
 * error) is only returned when `raiseError` is false; `rethrow()` throws that error.
 *
 * @see Tornado `tornado.httpclient.HTTPResponse`
 */
export class HTTPResponse {
  /** The request (the first of a redirect chain). */
  readonly request: HTTPRequest;
  /** The HTTP status, or 599 when no response arrived. */
  readonly code: number;
  /** The reason phrase. */
  readonly reason: string;
  /** The response headers (empty for a 599). */
  readonly headers: HTTPHeaders;
  /** The body (empty with a `streamingCallback`, for HEAD, and for 599). */
  readonly body: Buffer;
  /** The URL of the last request made (after redirects). */
  readonly effectiveUrl: string;
  /** The error of this response, if any: an {@link HTTPClientError}. */
  readonly error: Error | undefined;
  /** Seconds from the start of the fetch to its end. */
  readonly requestTime: number | undefined;
  /** When the fetch started, in seconds since the epoch. */
  readonly startTime: number | undefined;
  /** The phases of the request, in seconds. */
  readonly timeInfo: TimeInfo;

  constructor(init: HTTPResponseInit) {
    this.request = init.request;
    this.code = init.code;
    this.reason = init.reason ?? REASONS[init.code] ?? 'Unknown';
    this.headers = init.headers ?? new Headers();
    this.body = init.body ?? Buffer.alloc(0);
    this.effectiveUrl = init.effectiveUrl ?? init.request.url;
    this.requestTime = init.requestTime;
    this.startTime = init.startTime;
    this.timeInfo = init.timeInfo ?? {};
    if (init.error !== undefined) this.error = init.error ?? undefined;
    else if (this.code < 200 || this.code >= 300) {
      this.error = new HTTPClientError(this.code, this.reason, { response: this });
    } else this.error = undefined;
  }

  /** The body decoded as UTF-8. */
  get text(): string {
    return this.body.toString('utf8');
  }

  /** The body parsed as JSON. */
  json<T = unknown>(): T {
    return JSON.parse(this.text) as T;
  }

  /**
   * Throws {@link error} if there is one.
   *
   * @see Tornado `HTTPResponse.rethrow`
   */
  rethrow(): void {
    if (this.error !== undefined) throw this.error;
  }

  toString(): string {
    return `HTTPResponse(${this.code} ${this.reason}, ${this.effectiveUrl})`;
  }
}
