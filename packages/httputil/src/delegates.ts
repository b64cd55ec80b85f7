/**
 * The interfaces where Tronada's HTTP layers meet (Tornado's decoupling of `httputil`): a server
 * connection asks an {@link HTTPServerConnectionDelegate} (an application) for an
 * {@link HTTPMessageDelegate} per request, feeds it the request, and the application answers
 * through the request's {@link HTTPConnection}. The HTTP client implements the same
 * interfaces from the other side.
 */
import type { Future } from '@tronada/ioloop';
import type { BaseIOStream } from '@tronada/iostream';
import type { HTTPHeaders } from './http-headers.js';
import type { RequestStartLine, ResponseStartLine } from './start-line.js';

/**
 * What a connection knows about its peer; `HTTPServerRequest` copies `remoteIp` and `protocol`
 * from it.
 *
 * @see Tornado `tornado.httpserver._HTTPRequestContext`
 */
export interface HTTPConnectionContext {
  /** The peer's IP address (after `xheaders` processing when the server trusts a proxy). */
  readonly remoteIp?: string | undefined;
  /** `http` or `https`. */
  readonly protocol?: string | undefined;
}

/**
 * Handles one HTTP message (a request on a server, a response on a client) as it arrives, so
 * bodies can be streamed. Either `finish` or `onConnectionClose` is called once after
 * `headersReceived`, never both.
 *
 * @see Tornado `tornado.httputil.HTTPMessageDelegate`
 */
export interface HTTPMessageDelegate {
  /**
   * The start line and headers arrived. Returning a promise pauses reading the body until it
   * settles (flow control).
   */
  headersReceived(
    startLine: RequestStartLine | ResponseStartLine,
    headers: HTTPHeaders,
  ): void | PromiseLike<void>;
  /** A piece of the body arrived. Returning a promise pauses reading until it settles. */
  dataReceived(chunk: Uint8Array): void | PromiseLike<void>;
  /** The whole message has been received. */
  finish(): void;
  /** Called instead of `finish` if the connection closes mid-message. */
  onConnectionClose(): void;
}

/**
 * The writing side of one request/response exchange: what an application answers through.
 *
 * @see Tornado `tornado.httputil.HTTPConnection`
 */
export interface HTTPConnection {
  /**
   * Writes the start line and headers (and optionally a first body chunk, in the same write).
   * The start line's `version` is ignored: HTTP/1.1 is always written. The Future resolves when
   * the data is flushed (flow control).
   */
  writeHeaders(
    startLine: RequestStartLine | ResponseStartLine,
    headers: HTTPHeaders,
    chunk?: Uint8Array,
  ): Future<void>;
  /** Writes a body chunk; the Future resolves when it is flushed. */
  write(chunk: Uint8Array): Future<void>;
  /** Ends the message; the Future resolves when everything is flushed. */
  finish(): Future<void>;
  /**
   * Runs `callback` once if the connection closes before the current exchange ends, so an
   * application can stop work nobody waits for; `null` removes it. Cleared when the exchange
   * ends.
   *
   * @see Tornado `HTTP1Connection.set_close_callback`
   */
  setCloseCallback(callback: (() => void) | null): void;
  /**
   * Sets the largest body (in bytes) accepted for the current incoming message, overriding the
   * connection's default; call it from `headersReceived`. A larger body is rejected with 413.
   *
   * @see Tornado `HTTP1Connection.set_max_body_size`
   */
  setMaxBodySize(maxBodySize: number): void;
  /** What the connection knows about its peer, if anything. */
  readonly context?: HTTPConnectionContext | undefined;
  /**
   * Hands the underlying stream over (a WebSocket, `RequestHandler.detach()`): the connection
   * stops reading, writing and closing it. Present on HTTP/1 connections.
   *
   * @see Tornado `HTTP1Connection.detach`
   */
  detach?(): BaseIOStream;
}

/**
 * An application as a server sees it: called for every request a connection starts, and told
 * when the connection closes.
 *
 * @see Tornado `tornado.httputil.HTTPServerConnectionDelegate`
 */
export interface HTTPServerConnectionDelegate {
  /**
   * A request starts on `serverConn` (an opaque object standing for the long-lived connection);
   * `requestConn` is where the answer is written. Returns the delegate that receives the request.
   */
  startRequest(serverConn: object, requestConn: HTTPConnection): HTTPMessageDelegate;
  /** `serverConn`, passed to `startRequest` before, has closed. */
  onClose(serverConn: object): void;
}
