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

  get #closed(): boolean {
    return (this.#flags & CLOSED) !== 0;
  }

  set #closed(value: boolean) {
    this.#flags = value ? this.#flags | CLOSED : this.#flags & ~CLOSED;
  }

  get #closeRequested(): boolean {
    return (this.#flags & CLOSE_REQUESTED) !== 0;
  }

  set #closeRequested(value: boolean) {
    this.#flags = value ? this.#flags | CLOSE_REQUESTED : this.#flags & ~CLOSE_REQUESTED;
  }

  get #detached(): boolean {
    return (this.#flags & DETACHED) !== 0;
  }

  set #detached(value: boolean) {
    this.#flags = value ? this.#flags | DETACHED : this.#flags & ~DETACHED;
  }

  get #upgraded(): boolean {
    return (this.#flags & UPGRADED) !== 0;
  }

  set #upgraded(value: boolean) {
    this.#flags = value ? this.#flags | UPGRADED : this.#flags & ~UPGRADED;
  }

  get #interim(): boolean {
    return (this.#flags & INTERIM) !== 0;
  }

  set #interim(value: boolean) {
    this.#flags = value ? this.#flags | INTERIM : this.#flags & ~INTERIM;
  }

  get #headersReceived(): boolean {
    return (this.#flags & HEADERS_RECEIVED) !== 0;
  }

  set #headersReceived(value: boolean) {
    this.#flags = value ? this.#flags | HEADERS_RECEIVED : this.#flags & ~HEADERS_RECEIVED;
  }

  get #readFinished(): boolean {
    return (this.#flags & READ_FINISHED) !== 0;
  }

  set #readFinished(value: boolean) {
    this.#flags = value ? this.#flags | READ_FINISHED : this.#flags & ~READ_FINISHED;
  }

  get #disconnectOnFinish(): boolean {
    return (this.#flags & DISCONNECT_ON_FINISH) !== 0;
  }

  set #disconnectOnFinish(value: boolean) {
    this.#flags = value ? this.#flags | DISCONNECT_ON_FINISH : this.#flags & ~DISCONNECT_ON_FINISH;
  }

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
      this.#connection.#onStreamClosed();
    }

    onHeaderTimeout(): void {
      this.#connection.close();
    }

    onBodyTimeout(): void {
      genLog.info(`Timeout reading body from ${this.#connection.#peer()}`);
      this.#connection.close();
    }

    onHeaders(startLine: RequestStartLine | ResponseStartLine, headers: HTTPHeaders): void {
      this.#connection.#onHeaders(startLine, headers);
    }

    onData(chunk: Buffer): void {
      this.#connection.#onData(chunk);
    }

    onMessageComplete(): void {
      this.#connection.#onMessageComplete();
    }

    inExchange(): boolean {
      return this.#connection.#waiter !== null;
    }

    closed(): boolean {
      return this.#connection.#closed;
    }

    readFailed(error: unknown): void {
      this.#connection.#readFailed(error);
    }

    parser(): HTTP1Parser {
      return this.#connection.#reader();
    }

    currentParser(): HTTP1Parser | null {
      return this.#connection.#parserWhileReading();
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

  /** The parser, made when a message starts arriving. */
  #reader(): HTTP1Parser {
    if (this.#parser !== null) return this.#parser;
    const params = this.params;
    const parser = new HTTP1Parser(this.#readLoop, {
      mode: this.isClient ? 'response' : 'request',
      maxHeaderSize: params.maxHeaderSize,
      maxBodySize: params.maxBodySize,
      chunkSize: params.chunkSize,
      autoContinue: false,
      // Only responses ask it (a server's parser reads requests), so servers skip the closure.
      ...(this.isClient && {
        // No body after HEAD, after 304, or after a 2xx to CONNECT (a tunnel; RFC 9112 §6.3).
        expectBody: (startLine: ResponseStartLine) => {
          const method = this.#requestStartLine?.method;
          if (method === 'CONNECT' && startLine.code >= 200 && startLine.code < 300) return false;
          return method !== 'HEAD' && startLine.code !== 304;
        },
      }),
    });
    this.#parser = parser;
    return parser;
  }

  /**
   * The parser before a read, or null when there is none: a server waiting for a request with
   * nothing of it received drops its parser here (the next bytes make a new one).
   */
  #parserWhileReading(): HTTP1Parser | null {
    const parser = this.#parser;
    if (
      parser !== null &&
      !this.isClient &&
      !this.#headersReceived &&
      parser.state === 'start-line' &&
      parser.bufferedBytes === 0 &&
      !parser.running &&
      !parser.paused
    ) {
      this.#parser = null;
      return null;
    }
    return parser;
  }

  /** The writing side, made when a message is written. */
  #out(): HTTP1Output {
    this.#output ??= new HTTP1Output(this.stream);
    return this.#output;
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
      !this.#headersReceived &&
      (this.#parser?.bufferedBytes ?? 0) === 0 &&
      this.stream.readBufferSize === 0
    );
  }

  /**
   * True once {@link detach} handed the stream over: the connection no longer reads, writes or
   * closes it.
   */
  get detached(): boolean {
    return this.#detached;
  }

  /**
   * True once a `101 Switching Protocols` response was read (client): the connection reads no
   * more, and the stream is the caller's to {@link detach}.
   */
  get upgraded(): boolean {
    return this.#upgraded;
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
    this.#startExchange(delegate, future);
    return future;
  }

  /**
   * `readResponse` for `HTTP1ServerConnection`: `listener.exchangeEnded(keepGoing)` is called
   * when the exchange ended (synchronously, from where it ended), instead of a Future resolved.
   */
  [readRequestInto](listener: ExchangeListener): void {
    this.#startExchange(null, listener);
  }

  /** `delegate` null: the listener names it when the head arrived. */
  #startExchange(
    delegate: HTTPMessageDelegate | null,
    waiter: Future<boolean> | ExchangeListener,
  ): void {
    if (this.#waiter !== null) {
      throw new HTTPOutputError(
        'HTTP1Connection.readResponse() while a message is in progress; wait for its Future',
      );
    }
    this.#waiter = waiter;
    this.#delegate = delegate;
    this.#decoder = null;
    this.#decodedBytes = 0;
    this.#headersReceived = false;
    this.#readFinished = false;
    this.#disconnectOnFinish = this.#closeRequested;
    this.#bodyTimeout = this.params.bodyTimeout;
    // A server's answer starts with the request; a client wrote its request before (or, with
    // `Expect: 100-continue`, while) reading the response, so its writing state stays.
    if (!this.isClient) {
      this.#output = null;
      this.#requestStartLine = null;
      this.#requestHeaders = null;
    }
    this.#readError = null;
    if (this.#closed || this.#upgraded || this.stream.closed()) {
      this.#complete(false);
      return;
    }
    // Bytes of this message may already be here (pipelining): then its headers are late from
    // now on; otherwise the connection is idle until a first byte arrives.
    if ((this.#parser?.bufferedBytes ?? 0) > 0 || this.stream.readBufferSize > 0) {
      this.#readLoop.startHeader();
    } else this.#readLoop.startIdle();
    if (this.#parser?.state === 'done') {
      try {
        this.#parser.reset();
      } catch (error) {
        this.#readFailed(error);
        return;
      }
    }
    this.#readLoop.pump();
  }

  /**
   * Sets the body limit of the current message (call it from `headersReceived`).
   *
   * @see Tornado `HTTP1Connection.set_max_body_size`
   */
  setMaxBodySize(maxBodySize: number): void {
    this.#reader().setMaxBodySize(maxBodySize);
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
    this.#closeRequested = true;
    this.#disconnectOnFinish = true;
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
    this.#checkAttached();
    if (startLine instanceof RequestStartLine) {
      this.#out().reset();
      this.#requestStartLine = startLine;
      this.#upgraded = false;
      this.#settleContinue(false);
      const framed = frameRequestHead(startLine, headers);
      if (headers.get('Expect')?.toLowerCase() === '100-continue') {
        this.#continue = new Future<boolean>();
      }
      return this.#out().writeHead(framed, chunk);
    }
    const request = this.#requestStartLine;
    const output = this.#out();
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
      this.#disconnectOnFinish,
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
    this.#checkAttached();
    return this.#out().writeBody(chunk);
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
    if (this.#detached) {
      throw new HTTPOutputError('HTTP1Connection.detach() was already called');
    }
    this.#detached = true;
    this.#closed = true;
    this.#readLoop.dispose();
    this.#readLoop.stop();
    this.stream.setCloseCallback(null);
    this.#closeCallback = null;
    this.#settleContinue(false);
    this.#complete(false);
    if (this.#parser?.running === true) {
      // The parser is calling us: what it has not parsed yet is only known once it returns.
      this.#parser.pause();
      queueMicrotask(() => this.#handOver());
    } else this.#handOver();
    return this.stream;
  }

  #handOver(): void {
    const parser = this.#parser;
    if (parser === null) return;
    const rest = parser.detach();
    if (rest.length > 0) this.stream.unshift(rest);
  }

  #checkAttached(): void {
    if (this.#detached) {
      throw new HTTPOutputError(
        'The HTTP connection was detached; write to the stream detach() returned',
      );
    }
  }

  #settleContinue(value: boolean): void {
    const pending = this.#continue;
    this.#continue = null;
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
    this.#checkAttached();
    // A second finish must not write a second last-chunk into the stream.
    const output = this.#out();
    if (output.writeFinished) return output.pending;
    output.end();
    // The application answered before the body was read: the rest of the body would have to be
    // read and thrown away, so the connection closes instead (as Tornado).
    if (!this.isClient && !this.#readFinished) this.#disconnectOnFinish = true;
    const pending = output.pending;
    if (pending.done() && !pending.cancelled() && pending.exception() === null) {
      // Flushed already (the usual case: the kernel or the round's batch took it): no Future
      // or callback of its own; the write's own, resolved, Future is the answer.
      this.#onFlushed();
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
      this.#onFlushed();
    });
    return done;
  }

  /**
   * Closes the connection (and its stream); an exchange in progress ends as closed.
   *
   * @see Tornado `HTTP1Connection.close`
   */
  close(): void {
    if (this.#detached) return;
    this.stream.close();
    this.#abort();
  }

  #onFlushed(): void {
    this.#output?.markFlushed();
    if (this.isClient || this.#detached) return;
    if (this.#disconnectOnFinish) {
      this.stream.close();
      this.#abort();
      return;
    }
    if (this.#readFinished) this.#complete(true);
  }

  #onHeaders(startLine: RequestStartLine | ResponseStartLine, headers: HTTPHeaders): void {
    this.#readLoop.headersArrived();
    if (startLine instanceof ResponseStartLine && this.isClient) {
      const code = startLine.code;
      if (code >= 100 && code < 200 && code !== 101) {
        // Interim: the delegate waits for the final response (RFC 9110 §15.2).
        this.#interim = true;
        if (code === 100) this.#settleContinue(true);
        return;
      }
      if (this.#continue !== null) {
        // A final answer before 100: the body is never sent, so the request on the wire is
        // incomplete and the connection cannot carry another one.
        this.#settleContinue(false);
        this.#disconnectOnFinish = true;
      }
      if (code === 101) this.#upgraded = true;
    }
    this.#headersReceived = true;
    if (startLine instanceof RequestStartLine) {
      this.#requestStartLine = startLine;
      this.#requestHeaders = headers;
      this.#exchange = startExchange(startLine);
    }
    if (
      !canKeepAlive(startLine, headers, this.params.noKeepAlive) ||
      this.#parser!.closeAfterMessage ||
      this.#closeRequested
    ) {
      this.#disconnectOnFinish = true;
    }
    if (this.params.decompress && headers.get('Content-Encoding')?.toLowerCase() === 'gzip') {
      headers.add('X-Consumed-Content-Encoding', 'gzip');
      headers.delete('Content-Encoding');
      this.#decoder = new GzipBodyDecoder();
    }
    // A server's delegate is made for the request once its head is here.
    if (this.#delegate === null) {
      this.#delegate = (this.#waiter as ExchangeListener)[requestArrived](this);
    }
    const result = this.#delegate.headersReceived(startLine, headers);
    if (this.#exchange !== null) this.#exchange.remoteIp = this.context?.remoteIp;
    this.#readLoop.flow(result, () => this.#afterHeaders(headers));
  }

  #afterHeaders(headers: HTTPHeaders): void {
    if (this.#parser === null || this.#parser.framing === 'none') return;
    const request = this.#requestStartLine;
    if (
      !this.isClient &&
      request?.version === 'HTTP/1.1' &&
      !this.#out().headersWritten &&
      !this.#out().writeFinished &&
      headers.get('Expect')?.toLowerCase() === '100-continue' &&
      !this.stream.closed()
    ) {
      this.stream.write(CONTINUE_RESPONSE);
    }
    if (this.#bodyTimeout !== null && !this.#readFinished) {
      this.#readLoop.startBody(this.#bodyTimeout);
    }
  }

  #onData(chunk: Buffer): void {
    const decoder = this.#decoder;
    if (decoder === null) {
      this.#readLoop.flow(this.#delegate!.dataReceived(chunk));
      return;
    }
    this.#parser!.pause();
    decoder
      .push(chunk)
      .then((pieces) => this.#deliver(pieces))
      .then(
        () => this.#readLoop.resume(),
        (error: unknown) => this.#readFailed(error),
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

  #onMessageComplete(): void {
    if (this.#interim) {
      // Called from inside the parser, which goes on with the bytes after the interim response.
      this.#interim = false;
      this.#parser!.reset();
      return;
    }
    this.#readLoop.bodyArrived();
    const decoder = this.#decoder;
    if (decoder === null) {
      this.#readDone();
      return;
    }
    decoder
      .end()
      .then((pieces) => this.#deliver(pieces))
      .then(
        () => this.#readDone(),
        (error: unknown) => this.#readFailed(error),
      );
  }

  #readDone(): void {
    if (this.#waiter === null) return;
    this.#readFinished = true;
    this.#decoder = null;
    const delegate = this.#delegate!;
    try {
      delegate.finish();
    } catch (error) {
      this.#readFailed(error);
      return;
    }
    if (this.isClient) {
      // After 101 the bytes that follow belong to another protocol: read no more, keep the
      // stream open for detach().
      if (this.#upgraded) this.#complete(false);
      else if (this.#disconnectOnFinish) this.close();
      else this.#complete(true);
      return;
    }
    if (this.#output?.flushed === true && this.#waiter !== null) this.#complete(true);
  }

  /** Input was rejected (HTTPInputError) or a delegate failed: answer if we can, and close. */
  #readFailed(error: unknown): void {
    if (this.#waiter === null && this.#closed) return;
    if (this.#detached) return;
    this.#readError = error;
    if (error instanceof HTTPInputError) {
      genLog.info(`Malformed HTTP message from ${this.#peer()}: ${error.message}`);
      if (!this.isClient && this.#output?.headersWritten !== true && !this.stream.closed()) {
        this.stream.write(rejectionResponse(error.status));
      }
    } else if (!(error instanceof StreamClosedError)) {
      appLog.error(`Uncaught exception in an HTTP message delegate (${this.#peer()})`, error);
    }
    this.close();
  }

  #peer(): string {
    return this.context?.remoteIp ?? 'unknown peer';
  }

  #onStreamClosed(): void {
    const callback = this.#closeCallback;
    this.#closeCallback = null;
    if (callback !== null && this.#waiter !== null) {
      try {
        callback();
      } catch (error) {
        appLog.error('Uncaught exception in an HTTP connection close callback', error);
      }
    }
    this.#abort();
  }

  /** The connection is gone: tell the delegate of an unfinished message, end the exchange. */
  #abort(): void {
    this.#closed = true;
    this.#readLoop.dispose();
    this.#settleContinue(false);
    if (this.#waiter === null) return;
    const delegate = this.#delegate;
    const notify = delegate !== null && this.#headersReceived && !this.#readFinished;
    this.#readFinished = true;
    this.#complete(false);
    if (notify) {
      try {
        delegate.onConnectionClose();
      } catch (error) {
        appLog.error('Uncaught exception in HTTPMessageDelegate.onConnectionClose', error);
      }
    }
  }

  #complete(keepGoing: boolean): void {
    const waiter = this.#waiter;
    if (waiter === null) return;
    this.#waiter = null;
    this.#delegate = null;
    this.#closeCallback = null;
    this.#decoder?.destroy();
    this.#decoder = null;
    if (keepGoing && !this.isClient) {
      // The answer is out: nothing reads the request's head any more. (After a close, a late
      // answer still goes to the closed stream, quietly, as Tornado's does.)
      this.#requestStartLine = null;
      this.#requestHeaders = null;
    }
    if (keepGoing) this.#readLoop.clear();
    else this.#readLoop.dispose();
    finishExchange(this.#exchange);
    if (waiter instanceof Future) waiter.setResult(keepGoing);
    else waiter[exchangeEnded](keepGoing);
  }
}
