/**
 * HTTP1Connection: one HTTP/1.x connection as a sequence of message exchanges, binding the push
 * parser ({@link HTTP1Parser}) to an IOStream.
 *
 * Reading. `readResponse(delegate)` starts one message: the parser is fed with what the stream
 * reads (`readBytes(n, { partial: true })`, so bytes are never copied twice) and calls the
 * delegate. A delegate callback that returns a promise pauses the parser, and a paused parser
 * reads nothing more from the stream, so the kernel pushes back on the peer (flow control).
 * The parser stops after each message (`autoContinue: false`): bytes of a pipelined request
 * stay in it until the next `readResponse`, so requests are answered one at a time, in order.
 *
 * Writing. `writeHeaders`, `write` and `finish` frame the answer by Tornado's rules (see
 * {@link planResponseBody}): chunked only for an HTTP/1.1 request without Content-Length or
 * Transfer-Encoding and a status that has a body; exactly the declared Content-Length, else
 * {@link HTTPOutputError} and the connection closes.
 *
 * Ending a message (server). The exchange ends when the request was read and the answer
 * flushed; the connection then stays open for the next request when keep-alive allows (see
 * {@link canKeepAlive}), and closes otherwise, or at once when the application finished before
 * the request body was read. Malformed input is answered `HTTP/1.1 <status> <reason>` (the
 * status of the {@link HTTPInputError}) before closing; timeouts close without an answer.
 *
 * Interim responses (client). A 1xx response other than 101 is read and dropped: the delegate
 * sees only the final response (RFC 9110 §15.2). A `100 Continue` releases a request that was
 * sent with `Expect: 100-continue` (see {@link HTTP1Connection.waitForContinue}); a final status
 * that arrives first means the body is not sent, and the connection closes after the response.
 * A `101 Switching Protocols` ends the message: the connection reads nothing more and stays
 * open, so the caller can take the stream over with {@link HTTP1Connection.detach}.
 *
 * Files. This one keeps the exchange's state and its transitions; the parts live beside it:
 * `http1-read-loop.ts` (stream → parser, flow control), `http1-output.ts` (writing one message),
 * `http1-answer-framing.ts` (heads and `Connection` header), `http1-timers.ts` (idle, header and
 * body timeouts) and `http1-exchange.ts` (the access-log record).
 *
 * @see Tornado `tornado.http1connection.HTTP1Connection`
 */
import { appLog, Future, futureAddDoneCallback, genLog, IOLoop, isThenable } from '@tronada/ioloop';
import type { BaseIOStream } from '@tronada/iostream';
import { StreamClosedError } from '@tronada/iostream';
import type { HTTPConnection, HTTPConnectionContext, HTTPMessageDelegate } from './delegates.js';
import { HTTPInputError, HTTPOutputError } from './errors.js';
import { GzipBodyDecoder } from './gzip-body-decoder.js';
import type { HTTPHeaders } from './http-headers.js';
import {
  CONTINUE_RESPONSE,
  frameRequestHead,
  frameResponseHead,
  rejectionResponse,
} from './http1-answer-framing.js';
import { HTTP1ConnectionParameters } from './http1-connection-parameters.js';
import { finishExchange, type HTTP1Exchange, startExchange } from './http1-exchange.js';
import { HTTP1Output } from './http1-output.js';
import { HTTP1Parser, type HTTP1ParserSink } from './http1-parser.js';
import { HTTP1ReadLoop } from './http1-read-loop.js';
import { canKeepAlive } from './keep-alive.js';
import { RequestStartLine, ResponseStartLine } from './start-line.js';

// The bits of HTTP1Connection's switches.
const CLOSED = 1;
const CLOSE_REQUESTED = 2;
const DETACHED = 4;
const UPGRADED = 8;
const INTERIM = 16;
const HEADERS_RECEIVED = 32;
const READ_FINISHED = 64;
const DISCONNECT_ON_FINISH = 128;
// The stream closed while a step of the message was in flight (a body decode, or a delegate's
// promise): the close is applied once the bytes already received are read.
const CLOSE_PENDING = 256;
// The decoder's last output is being delivered (after the message's last byte arrived).
const FINISHING = 512;

// The switches are read and set through these rather than private accessors, which V8 does
// not inline (a runtime call per use on every request's path).
function has(flags: number, bit: number): boolean {
  return (flags & bit) !== 0;
}

function withFlag(flags: number, bit: number, on: boolean): number {
  return on ? flags | bit : flags & ~bit;
}

/**
 * The package-internal method (not exported from the package) by which `HTTP1ServerConnection`
 * reads requests without a Future per request.
 */
export const readRequestInto: unique symbol = Symbol('HTTP1Connection.readRequestInto');
/** Package-internal: see {@link ExchangeListener}. */
export const requestArrived: unique symbol = Symbol('ExchangeListener.requestArrived');
/** Package-internal: see {@link ExchangeListener}. */
export const exchangeEnded: unique symbol = Symbol('ExchangeListener.exchangeEnded');

/**
 * What `HTTP1ServerConnection` is to the connection it reads requests from: it names the
 * delegate of each request once its head arrived, and hears when each exchange ended (methods
 * under package-internal symbols, so that they are not part of its public face).
 */
export interface ExchangeListener {
  /** A request head arrived on `connection`: the delegate to read that request into. */
  [requestArrived](connection: HTTP1Connection): HTTPMessageDelegate;
  /** The exchange ended; `keepGoing` is true when the connection can carry another one. */
  [exchangeEnded](keepGoing: boolean): void;
}

/**
 * An HTTP/1.x connection over a stream: reads messages (requests on a server, responses on a
 * client) one at a time into {@link HTTPMessageDelegate}s and writes the other side's messages.
 *
 * Guarantees: for every `readResponse`, the delegate gets `headersReceived`, then
 * `dataReceived` pieces of at most `chunkSize` bytes, then exactly one of `finish` or
 * `onConnectionClose` (nothing when the connection closed before a start line). The Future of
 * `readResponse` resolves true when the connection can carry another message, false when it
 * closed. Nothing a peer sends escapes as an exception.
 *
 * @see Tornado `tornado.http1connection.HTTP1Connection`
 */
export class HTTP1Connection implements HTTPConnection {
  /** The stream (owned: closing the connection closes it). */
  readonly stream: BaseIOStream;
  /** True on the client side (writes requests, reads responses). */
  readonly isClient: boolean;
  /** The limits and switches of this connection. */
  readonly params: HTTP1ConnectionParameters;
  /** What is known about the peer (the server's request context). */
  readonly context: HTTPConnectionContext | undefined;

  // The parser and the output exist while a message is read or written: a server connection
  // waiting for its next request with nothing of it received holds neither.
  #parser: HTTP1Parser | null = null;
  #output: HTTP1Output | null = null;
  // The hooks object: the read loop with its timers, and the sink of the parser.
  readonly #readLoop: HTTP1ReadLoop & HTTP1ParserSink<RequestStartLine | ResponseStartLine>;
  #readError: unknown = null;
  // Client: set while a request sent with `Expect: 100-continue` waits for its 100.
  #continue: Future<boolean> | null = null;

  // The current exchange.
  // Told when the exchange ends: readResponse's Future, or HTTP1ServerConnection.
  #waiter: Future<boolean> | ExchangeListener | null = null;
  #delegate: HTTPMessageDelegate | null = null;
  #decoder: GzipBodyDecoder | null = null;
  #decodedBytes = 0;
  #requestStartLine: RequestStartLine | null = null;
  #requestHeaders: HTTPHeaders | null = null;
  #bodyTimeout: number | null;
  #closeCallback: (() => void) | null = null;
  #exchange: HTTP1Exchange | null = null;

  // Eight switches in one small integer (an idle connection is one field smaller for each):
  // closed, close requested, detached, upgraded (client: a 101 was read), interim (client: the
  // message being read is a 1xx response, hidden from the delegate), and of the current
  // exchange: headers received, read finished, disconnect when finished.
  #flags = 0;

  /**
   * The callbacks the timers, the parser and the read loop make, as methods of one small object
   * per connection (nested here so that it may reach the connection's private members).
   */
  static readonly #Hooks = class Hooks
    extends HTTP1ReadLoop
    implements HTTP1ParserSink<RequestStartLine | ResponseStartLine>
  {
    readonly #connection: HTTP1Connection;

    constructor(connection: HTTP1Connection) {
      super(connection.stream, IOLoop.current(), connection.params);
      this.#connection = connection;
    }

    /** The stream closed (this object is the stream's close callback). */
    streamClosed(): void {
      HTTP1Connection.#onStreamClosed(this.#connection);
    }

    onHeaderTimeout(): void {
      this.#connection.close();
    }

    onBodyTimeout(): void {
      genLog.info(`Timeout reading body from ${HTTP1Connection.#peer(this.#connection)}`);
      this.#connection.close();
    }

    onHeaders(startLine: RequestStartLine | ResponseStartLine, headers: HTTPHeaders): void {
      HTTP1Connection.#onHeaders(this.#connection, startLine, headers);
    }

    onData(chunk: Buffer): void {
      HTTP1Connection.#onData(this.#connection, chunk);
    }

    onMessageComplete(): void {
      HTTP1Connection.#onMessageComplete(this.#connection);
    }

    inExchange(): boolean {
      return this.#connection.#waiter !== null;
    }

    closed(): boolean {
      return has(this.#connection.#flags, CLOSED);
    }

    readFailed(error: unknown): void {
      HTTP1Connection.#readFailed(this.#connection, error);
    }

    parser(): HTTP1Parser {
      return HTTP1Connection.#reader(this.#connection);
    }

    closeDeferred(): boolean {
      return has(this.#connection.#flags, CLOSE_PENDING);
    }

    applyDeferredClose(): void {
      HTTP1Connection.#applyDeferredClose(this.#connection);
    }

    currentParser(): HTTP1Parser | null {
      return HTTP1Connection.#parserWhileReading(this.#connection);
    }
  };

  constructor(
    stream: BaseIOStream,
    isClient: boolean,
    params: HTTP1ConnectionParameters = new HTTP1ConnectionParameters(),
    context?: HTTPConnectionContext,
  ) {
    this.stream = stream;
    this.isClient = isClient;
    this.params = params;
    this.context = context;
    this.#bodyTimeout = params.bodyTimeout;
    // One hooks object serves the timers, the parser and the read loop: separate closures for
    // each callback would cost every idle connection about 0.7 KB.
    const hooks = new HTTP1Connection.#Hooks(this);
    this.#readLoop = hooks;
    stream.setCloseCallback(hooks);
    // Messages are written whole (head and first chunk in one write), so Nagle's algorithm
    // would only delay the last piece of each. Tornado switches TCP_NODELAY on for the end of
    // every message and off again; once per connection saves two system calls per request.
    if (!stream.closed()) stream.setNodelay(true);
  }

  // The connection's own steps are static private methods taking the connection: a class with
  // instance private methods gives every instance a slot more (an idle keep-alive connection
  // keeps its HTTP1Connection).

  /** The parser, made when a message starts arriving. */
  static #reader(connection: HTTP1Connection): HTTP1Parser {
    if (connection.#parser !== null) return connection.#parser;
    const params = connection.params;
    const parser = new HTTP1Parser(connection.#readLoop, {
      mode: connection.isClient ? 'response' : 'request',
      maxHeaderSize: params.maxHeaderSize,
      maxBodySize: params.maxBodySize,
      chunkSize: params.chunkSize,
      autoContinue: false,
      // Only responses ask it (a server's parser reads requests), so servers skip the closure.
      ...(connection.isClient && {
        // No body after HEAD, after 304, or after a 2xx to CONNECT (a tunnel; RFC 9112 §6.3).
        expectBody: (startLine: ResponseStartLine) => {
          const method = connection.#requestStartLine?.method;
          if (method === 'CONNECT' && startLine.code >= 200 && startLine.code < 300) return false;
          return method !== 'HEAD' && startLine.code !== 304;
        },
      }),
    });
    connection.#parser = parser;
    return parser;
  }

  /**
   * The parser before a read, or null when there is none: a server waiting for a request with
   * nothing of it received drops its parser here (the next bytes make a new one).
   */
  static #parserWhileReading(connection: HTTP1Connection): HTTP1Parser | null {
    const parser = connection.#parser;
    if (
      parser !== null &&
      !connection.isClient &&
      !has(connection.#flags, HEADERS_RECEIVED) &&
      parser.state === 'start-line' &&
      parser.bufferedBytes === 0 &&
      !parser.running &&
      !parser.paused
    ) {
      connection.#parser = null;
      return null;
    }
    return parser;
  }

  /** The writing side, made when a message is written. */
  static #out(connection: HTTP1Connection): HTTP1Output {
    connection.#output ??= new HTTP1Output(connection.stream);
    return connection.#output;
  }

  /**
   * The exchange in progress or last finished (`null` before the first start line, and after
   * {@link releaseExchange}); an access log reads it when the exchange ends.
   */
  get exchange(): HTTP1Exchange | null {
    return this.#exchange;
  }

  /**
   * Forgets the finished exchange's record (once an access log read it): a connection waiting
   * for its next request then holds nothing of the last one.
   */
  releaseExchange(): void {
    if (this.#waiter === null) this.#exchange = null;
  }

  /**
   * True while the connection waits for the start of the next message with nothing of it
   * received: closing it now loses no request.
   */
  get idle(): boolean {
    return (
      this.#waiter !== null &&
      !has(this.#flags, HEADERS_RECEIVED) &&
      (this.#parser?.bufferedBytes ?? 0) === 0 &&
      this.stream.readBufferSize === 0
    );
  }

  /**
   * True once {@link detach} handed the stream over: the connection no longer reads, writes or
   * closes it.
   */
  get detached(): boolean {
    return has(this.#flags, DETACHED);
  }

  /**
   * True once a `101 Switching Protocols` response was read (client): the connection reads no
   * more, and the stream is the caller's to {@link detach}.
   */
  get upgraded(): boolean {
    return has(this.#flags, UPGRADED);
  }

  /**
   * Why the last exchange ended early: the {@link HTTPInputError} a malformed message raised, or
   * the error a delegate threw; `null` otherwise. A client reports it as the cause of its error.
   */
  get readError(): unknown {
    return this.#readError;
  }

  /**
   * Reads the next message into `delegate`. The Future resolves, once the message was read and
   * (on a server) answered, with true when the connection stays open for another message.
   *
   * @see Tornado `HTTP1Connection.read_response`
   */
  readResponse(delegate: HTTPMessageDelegate): Future<boolean> {
    const future = new Future<boolean>();
    HTTP1Connection.#startExchange(this, delegate, future);
    return future;
  }

  /**
   * `readResponse` for `HTTP1ServerConnection`: `listener.exchangeEnded(keepGoing)` is called
   * when the exchange ended (synchronously, from where it ended), instead of a Future resolved.
   */
  [readRequestInto](listener: ExchangeListener): void {
    HTTP1Connection.#startExchange(this, null, listener);
  }

  /** `delegate` null: the listener names it when the head arrived. */
  static #startExchange(
    connection: HTTP1Connection,
    delegate: HTTPMessageDelegate | null,
    waiter: Future<boolean> | ExchangeListener,
  ): void {
    if (connection.#waiter !== null) {
      throw new HTTPOutputError(
        'HTTP1Connection.readResponse() while a message is in progress; wait for its Future',
      );
    }
    connection.#waiter = waiter;
    connection.#delegate = delegate;
    connection.#decoder = null;
    connection.#decodedBytes = 0;
    connection.#flags &= ~HEADERS_RECEIVED;
    connection.#flags &= ~READ_FINISHED;
    connection.#flags = withFlag(
      connection.#flags,
      DISCONNECT_ON_FINISH,
      has(connection.#flags, CLOSE_REQUESTED),
    );
    connection.#bodyTimeout = connection.params.bodyTimeout;
    // A server's answer starts with the request; a client wrote its request before (or, with
    // `Expect: 100-continue`, while) reading the response, so its writing state stays.
    if (!connection.isClient) {
      connection.#output = null;
      connection.#requestStartLine = null;
      connection.#requestHeaders = null;
    }
    connection.#readError = null;
    if (
      has(connection.#flags, CLOSED) ||
      has(connection.#flags, UPGRADED) ||
      connection.stream.closed()
    ) {
      HTTP1Connection.#complete(connection, false);
      return;
    }
    // Bytes of connection message may already be here (pipelining): then its headers are late from
    // now on; otherwise the connection is idle until a first byte arrives.
    if ((connection.#parser?.bufferedBytes ?? 0) > 0 || connection.stream.readBufferSize > 0) {
      connection.#readLoop.startHeader();
    } else connection.#readLoop.startIdle();
    if (connection.#parser?.state === 'done') {
      try {
        connection.#parser.reset();
      } catch (error) {
        HTTP1Connection.#readFailed(connection, error);
        return;
      }
    }
    connection.#readLoop.pump();
  }

  /**
   * Sets the body limit of the current message (call it from `headersReceived`).
   *
   * @see Tornado `HTTP1Connection.set_max_body_size`
   */
  setMaxBodySize(maxBodySize: number): void {
    HTTP1Connection.#reader(this).setMaxBodySize(maxBodySize);
  }

  /**
   * Sets the body timeout of the current message in seconds (call it from `headersReceived`).
   *
   * @see Tornado `HTTP1Connection.set_body_timeout`
   */
  setBodyTimeout(timeout: number | null): void {
    this.#bodyTimeout = timeout;
  }

  /**
   * Runs `callback` once if the connection closes before the current exchange ends (an
   * application can stop work nobody waits for). Cleared when the exchange ends.
   *
   * @see Tornado `HTTP1Connection.set_close_callback`
   */
  setCloseCallback(callback: (() => void) | null): void {
    this.#closeCallback = callback;
  }

  /**
   * Asks the connection to close after the current exchange (graceful shutdown): an idle
   * connection closes now; a response not yet started carries `Connection: close`.
   */
  requestClose(): void {
    this.#flags |= CLOSE_REQUESTED;
    this.#flags |= DISCONNECT_ON_FINISH;
    if (this.idle || this.#waiter === null) this.close();
  }

  /**
   * Writes the start line and headers, and `chunk`: in the same write, or (from 64 KiB) right
   * after them without a copy, so leave such bytes unchanged until the Future resolves. On a
   * server, adds `Transfer-Encoding: chunked` when the body will be chunked and the
   * `Connection` header that tells the client whether the connection stays open; the caller's
   * headers are changed.
   *
   * @throws {@link HTTPOutputError} for what HTTP cannot carry (see `formatResponseHead`), or
   * a first chunk longer than the declared Content-Length.
   * @see Tornado `HTTP1Connection.write_headers`
   */
  writeHeaders(
    startLine: RequestStartLine | ResponseStartLine,
    headers: HTTPHeaders,
    chunk?: Uint8Array,
  ): Future<void> {
    HTTP1Connection.#checkAttached(this);
    if (startLine instanceof RequestStartLine) {
      HTTP1Connection.#out(this).reset();
      this.#requestStartLine = startLine;
      this.#flags &= ~UPGRADED;
      HTTP1Connection.#settleContinue(this, false);
      const framed = frameRequestHead(startLine, headers);
      if (headers.get('Expect')?.toLowerCase() === '100-continue') {
        this.#continue = new Future<boolean>();
      }
      return HTTP1Connection.#out(this).writeHead(framed, chunk);
    }
    const request = this.#requestStartLine;
    const output = HTTP1Connection.#out(this);
    if (request === null || output.headersWritten) {
      throw new HTTPOutputError(
        'writeHeaders() needs a request being answered and may be called once per response',
      );
    }
    const framed = frameResponseHead(
      request,
      this.#requestHeaders,
      startLine,
      headers,
      has(this.#flags, DISCONNECT_ON_FINISH),
    );
    if (this.#exchange !== null) this.#exchange.code = startLine.code;
    return output.writeHead(framed, chunk);
  }

  /**
   * Writes a body chunk (chunked when the headers chose it; empty chunks write nothing). The
   * bytes are handed to the stream without a copy (a small chunked piece excepted): leave them
   * unchanged until the Future resolves.
   *
   * @throws {@link HTTPOutputError} (and closes) when it goes past the declared Content-Length,
   * and (without closing) after `finish()`.
   * @see Tornado `HTTP1Connection.write`
   */
  write(chunk: Uint8Array): Future<void> {
    HTTP1Connection.#checkAttached(this);
    return HTTP1Connection.#out(this).writeBody(chunk);
  }

  /**
   * Client, after writing a request head with `Expect: 100-continue` and starting
   * {@link readResponse}: resolves true when the server answered `100 Continue` (write the body
   * now), false when a final response or the end of the connection came first (then do not
   * send the body; the connection closes after the response, since the request it announced
   * was never completed). Resolves true at once for a request without that header.
   *
   * @see Tornado `_HTTPConnection.headers_received` (the 100-continue branch)
   */
  waitForContinue(): Future<boolean> {
    return this.#continue ?? Future.resolved(true);
  }

  /**
   * Hands the stream over and stops using it: the connection reads, writes and closes nothing
   * any more, and its close callback is dropped. An exchange in progress ends (its
   * `readResponse` Future resolves false, the delegate hears nothing more). Bytes the
   * connection had read ahead are put back in front of the stream's unread bytes; when called
   * from a delegate callback, that happens as soon as the callback returns (before any I/O).
   *
   * Used after `101 Switching Protocols` (WebSocket clients and servers) and by
   * `RequestHandler.detach()`.
   *
   * @see Tornado `HTTP1Connection.detach`
   */
  detach(): BaseIOStream {
    if (has(this.#flags, DETACHED)) {
      throw new HTTPOutputError('HTTP1Connection.detach() was already called');
    }
    this.#flags |= DETACHED;
    this.#flags |= CLOSED;
    this.#readLoop.dispose();
    this.#readLoop.stop();
    this.stream.setCloseCallback(null);
    this.#closeCallback = null;
    HTTP1Connection.#settleContinue(this, false);
    HTTP1Connection.#complete(this, false);
    if (this.#parser?.running === true) {
      // The parser is calling us: what it has not parsed yet is only known once it returns.
      this.#parser.pause();
      queueMicrotask(() => HTTP1Connection.#handOver(this));
    } else HTTP1Connection.#handOver(this);
    return this.stream;
  }

  static #handOver(connection: HTTP1Connection): void {
    const parser = connection.#parser;
    if (parser === null) return;
    const rest = parser.detach();
    if (rest.length > 0) connection.stream.unshift(rest);
  }

  static #checkAttached(connection: HTTP1Connection): void {
    if (has(connection.#flags, DETACHED)) {
      throw new HTTPOutputError(
        'The HTTP connection was detached; write to the stream detach() returned',
      );
    }
  }

  static #settleContinue(connection: HTTP1Connection, value: boolean): void {
    const pending = connection.#continue;
    connection.#continue = null;
    pending?.setResult(value);
  }

  /**
   * Ends the outgoing message: writes the last chunk of a chunked body and resolves when all
   * was flushed; the exchange then ends (see the class comment). A second call does nothing.
   *
   * @throws {@link HTTPOutputError} (and closes) when fewer bytes than the declared
   * Content-Length were written.
   * @see Tornado `HTTP1Connection.finish`
   */
  finish(): Future<void> {
    HTTP1Connection.#checkAttached(this);
    // A second finish must not write a second last-chunk into the stream.
    const output = HTTP1Connection.#out(this);
    if (output.writeFinished) return output.pending;
    output.end();
    // The application answered before the body was read: the rest of the body would have to be
    // read and thrown away, so the connection closes instead (as Tornado).
    if (!this.isClient && !has(this.#flags, READ_FINISHED)) this.#flags |= DISCONNECT_ON_FINISH;
    const pending = output.pending;
    if (pending.done() && !pending.cancelled() && pending.exception() === null) {
      // Flushed already (the usual case: the kernel or the round's batch took it): no Future
      // or callback of its own; the write's own, resolved, Future is the answer.
      HTTP1Connection.#onFlushed(this);
      return pending;
    }
    const done = new Future<void>();
    futureAddDoneCallback(pending, (f) => {
      const error = f.exception();
      if (error === null) done.setResult(undefined);
      else {
        done.setException(error);
        // The peer left; the close is handled by the connection, so a caller that does not
        // wait for this Future loses nothing.
        done.exception();
      }
      HTTP1Connection.#onFlushed(this);
    });
    return done;
  }

  /**
   * Closes the connection (and its stream); an exchange in progress ends as closed.
   *
   * @see Tornado `HTTP1Connection.close`
   */
  close(): void {
    if (has(this.#flags, DETACHED)) return;
    this.stream.close();
    HTTP1Connection.#abort(this);
  }

  static #onFlushed(connection: HTTP1Connection): void {
    connection.#output?.markFlushed();
    if (connection.isClient || has(connection.#flags, DETACHED)) return;
    if (has(connection.#flags, DISCONNECT_ON_FINISH)) {
      connection.stream.close();
      HTTP1Connection.#abort(connection);
      return;
    }
    if (has(connection.#flags, READ_FINISHED)) HTTP1Connection.#complete(connection, true);
  }

  static #onHeaders(
    connection: HTTP1Connection,
    startLine: RequestStartLine | ResponseStartLine,
    headers: HTTPHeaders,
  ): void {
    connection.#readLoop.headersArrived();
    if (startLine instanceof ResponseStartLine && connection.isClient) {
      const code = startLine.code;
      if (code >= 100 && code < 200 && code !== 101) {
        // Interim: the delegate waits for the final response (RFC 9110 §15.2).
        connection.#flags |= INTERIM;
        if (code === 100) HTTP1Connection.#settleContinue(connection, true);
        return;
      }
      if (connection.#continue !== null) {
        // A final answer before 100: the body is never sent, so the request on the wire is
        // incomplete and the connection cannot carry another one.
        HTTP1Connection.#settleContinue(connection, false);
        connection.#flags |= DISCONNECT_ON_FINISH;
      }
      if (code === 101) connection.#flags |= UPGRADED;
    }
    connection.#flags |= HEADERS_RECEIVED;
    if (startLine instanceof RequestStartLine) {
      connection.#requestStartLine = startLine;
      connection.#requestHeaders = headers;
      connection.#exchange = startExchange(startLine);
    }
    if (
      !canKeepAlive(startLine, headers, connection.params.noKeepAlive) ||
      connection.#parser!.closeAfterMessage ||
      has(connection.#flags, CLOSE_REQUESTED)
    ) {
      connection.#flags |= DISCONNECT_ON_FINISH;
    }
    if (connection.params.decompress && headers.get('Content-Encoding')?.toLowerCase() === 'gzip') {
      headers.add('X-Consumed-Content-Encoding', 'gzip');
      headers.delete('Content-Encoding');
      connection.#decoder = new GzipBodyDecoder();
    }
    // A server's delegate is made for the request once its head is here.
    if (connection.#delegate === null) {
      connection.#delegate = (connection.#waiter as ExchangeListener)[requestArrived](connection);
    }
    const result = connection.#delegate.headersReceived(startLine, headers);
    if (connection.#exchange !== null) connection.#exchange.remoteIp = connection.context?.remoteIp;
    connection.#readLoop.flow(result, () => HTTP1Connection.#afterHeaders(connection, headers));
  }

  static #afterHeaders(connection: HTTP1Connection, headers: HTTPHeaders): void {
    if (connection.#parser === null || connection.#parser.framing === 'none') return;
    const request = connection.#requestStartLine;
    if (
      !connection.isClient &&
      request?.version === 'HTTP/1.1' &&
      !HTTP1Connection.#out(connection).headersWritten &&
      !HTTP1Connection.#out(connection).writeFinished &&
      headers.get('Expect')?.toLowerCase() === '100-continue' &&
      !connection.stream.closed()
    ) {
      connection.stream.write(CONTINUE_RESPONSE);
    }
    if (connection.#bodyTimeout !== null && !has(connection.#flags, READ_FINISHED)) {
      connection.#readLoop.startBody(connection.#bodyTimeout);
    }
  }

  static #onData(connection: HTTP1Connection, chunk: Buffer): void {
    const decoder = connection.#decoder;
    if (decoder === null) {
      connection.#readLoop.flow(connection.#delegate!.dataReceived(chunk));
      return;
    }
    connection.#parser!.pause();
    decoder
      .push(chunk)
      .then((pieces) => connection.#deliver(pieces))
      .then(
        () => connection.#readLoop.resume(),
        (error: unknown) => HTTP1Connection.#readFailed(connection, error),
      );
  }

  /** Hands decoded bytes to the delegate in pieces of at most `chunkSize`, with flow control. */
  async #deliver(pieces: Buffer[]): Promise<void> {
    const size = this.params.chunkSize;
    for (const piece of pieces) {
      this.#decodedBytes += piece.length;
      if (this.#decodedBytes > this.params.maxBodySize) {
        throw HTTPInputError.fromRule('body-too-large', 'decompressed body');
      }
      for (let at = 0; at < piece.length; at += size) {
        if (this.#delegate === null) return;
        const result = this.#delegate.dataReceived(piece.subarray(at, at + size));
        if (isThenable(result)) await result;
      }
    }
  }

  static #onMessageComplete(connection: HTTP1Connection): void {
    if (has(connection.#flags, INTERIM)) {
      // Called from inside the parser, which goes on with the bytes after the interim response.
      connection.#flags &= ~INTERIM;
      connection.#parser!.reset();
      return;
    }
    connection.#readLoop.bodyArrived();
    const decoder = connection.#decoder;
    if (decoder === null) {
      HTTP1Connection.#readDone(connection);
      return;
    }
    connection.#flags |= FINISHING;
    decoder
      .end()
      .then((pieces) => connection.#deliver(pieces))
      .then(
        () => {
          connection.#flags &= ~FINISHING;
          HTTP1Connection.#readDone(connection);
          HTTP1Connection.#applyDeferredClose(connection);
        },
        (error: unknown) => {
          connection.#flags &= ~FINISHING;
          HTTP1Connection.#readFailed(connection, error);
          HTTP1Connection.#applyDeferredClose(connection);
        },
      );
  }

  static #readDone(connection: HTTP1Connection): void {
    if (connection.#waiter === null) return;
    connection.#flags |= READ_FINISHED;
    connection.#decoder = null;
    const delegate = connection.#delegate!;
    try {
      delegate.finish();
    } catch (error) {
      HTTP1Connection.#readFailed(connection, error);
      return;
    }
    if (connection.isClient) {
      // After 101 the bytes that follow belong to another protocol: read no more, keep the
      // stream open for detach().
      if (has(connection.#flags, UPGRADED)) HTTP1Connection.#complete(connection, false);
      else if (has(connection.#flags, DISCONNECT_ON_FINISH | CLOSE_PENDING)) connection.close();
      else HTTP1Connection.#complete(connection, true);
      return;
    }
    if (connection.#output?.flushed === true && connection.#waiter !== null)
      HTTP1Connection.#complete(connection, true);
  }

  /** Input was rejected (HTTPInputError) or a delegate failed: answer if we can, and close. */
  static #readFailed(connection: HTTP1Connection, error: unknown): void {
    if (connection.#waiter === null && has(connection.#flags, CLOSED)) return;
    if (has(connection.#flags, DETACHED)) return;
    connection.#readError = error;
    if (error instanceof HTTPInputError) {
      genLog.info(
        `Malformed HTTP message from ${HTTP1Connection.#peer(connection)}: ${error.message}`,
      );
      if (
        !connection.isClient &&
        connection.#output?.headersWritten !== true &&
        !connection.stream.closed()
      ) {
        connection.stream.write(rejectionResponse(error.status));
      }
    } else if (!(error instanceof StreamClosedError)) {
      appLog.error(
        `Uncaught exception in an HTTP message delegate (${HTTP1Connection.#peer(connection)})`,
        error,
      );
    }
    connection.close();
  }

  static #peer(connection: HTTP1Connection): string {
    return connection.context?.remoteIp ?? 'unknown peer';
  }

  static #onStreamClosed(connection: HTTP1Connection): void {
    const callback = connection.#closeCallback;
    connection.#closeCallback = null;
    if (callback !== null && connection.#waiter !== null) {
      try {
        callback();
      } catch (error) {
        appLog.error('Uncaught exception in an HTTP connection close callback', error);
      }
    }
    if (HTTP1Connection.#waitsForStep(connection)) {
      // Everything the peer sent before closing is in: finish reading it (the step in flight
      // settles, the parser takes what it holds) before ending the exchange. Tornado decodes
      // and reads in one go, so a message that arrived whole is never lost to the close.
      connection.#flags |= CLOSE_PENDING;
      return;
    }
    HTTP1Connection.#abort(connection);
  }

  /** A message is being read and a step of it (a decode, a delegate's promise) is in flight. */
  static #waitsForStep(connection: HTTP1Connection): boolean {
    const flags = connection.#flags;
    if (
      connection.#waiter === null ||
      !has(flags, HEADERS_RECEIVED) ||
      has(flags, READ_FINISHED | DETACHED | CLOSED)
    ) {
      return false;
    }
    return has(flags, FINISHING) || connection.#parser?.paused === true;
  }

  /**
   * Applies a close that waited for a step of the message (see #onStreamClosed) once no step is
   * in flight: a body read until the close ends there; anything unfinished is cut off.
   */
  static #applyDeferredClose(connection: HTTP1Connection): void {
    if (!has(connection.#flags, CLOSE_PENDING) || HTTP1Connection.#waitsForStep(connection)) return;
    if (connection.#waiter !== null && !has(connection.#flags, READ_FINISHED)) {
      // Reads what the stream received before it closed (reads on a closed stream are served
      // from its buffer); at the end of it, a body read until the close is complete.
      connection.#readLoop.pump();
      if (HTTP1Connection.#waitsForStep(connection) || !has(connection.#flags, CLOSE_PENDING)) {
        return;
      }
    }
    connection.#flags &= ~CLOSE_PENDING;
    HTTP1Connection.#abort(connection);
  }

  /** The connection is gone: tell the delegate of an unfinished message, end the exchange. */
  static #abort(connection: HTTP1Connection): void {
    connection.#flags |= CLOSED;
    connection.#readLoop.dispose();
    HTTP1Connection.#settleContinue(connection, false);
    if (connection.#waiter === null) return;
    const delegate = connection.#delegate;
    const notify =
      delegate !== null &&
      has(connection.#flags, HEADERS_RECEIVED) &&
      !has(connection.#flags, READ_FINISHED);
    connection.#flags |= READ_FINISHED;
    HTTP1Connection.#complete(connection, false);
    if (notify) {
      try {
        delegate.onConnectionClose();
      } catch (error) {
        appLog.error('Uncaught exception in HTTPMessageDelegate.onConnectionClose', error);
      }
    }
  }

  static #complete(connection: HTTP1Connection, keepGoing: boolean): void {
    const waiter = connection.#waiter;
    if (waiter === null) return;
    connection.#waiter = null;
    connection.#delegate = null;
    connection.#closeCallback = null;
    connection.#decoder?.destroy();
    connection.#decoder = null;
    if (keepGoing && !connection.isClient) {
      // The answer is out: nothing reads the request's head any more. (After a close, a late
      // answer still goes to the closed stream, quietly, as Tornado's does.)
      connection.#requestStartLine = null;
      connection.#requestHeaders = null;
    }
    if (keepGoing) connection.#readLoop.clear();
    else connection.#readLoop.dispose();
    finishExchange(connection.#exchange);
    if (waiter instanceof Future) waiter.setResult(keepGoing);
    else waiter[exchangeEnded](keepGoing);
  }
}
