/**
 * HTTP1ServerConnection: serves the requests of one HTTP/1.x connection, one at a time.
 */
import { appLog, Future } from '@tronada/ioloop';
import type { BaseIOStream } from '@tronada/iostream';
import type {
  HTTPConnectionContext,
  HTTPMessageDelegate,
  HTTPServerConnectionDelegate,
} from './delegates.js';
import {
  type ExchangeListener,
  exchangeEnded,
  HTTP1Connection,
  readRequestInto,
  requestArrived,
} from './http1-connection.js';
import { HTTP1ConnectionParameters } from './http1-connection-parameters.js';

// Where #serve is: not starting an exchange, or starting one and how it ended meanwhile.
const NOT_STARTING = 0;
const NOT_ENDED = 1;
const ENDED_OPEN = 2;
const ENDED_CLOSED = 3;

/** Options of {@link HTTP1ServerConnection}. */
export interface HTTP1ServerConnectionOptions {
  /** Called after each exchange that had a start line (an access log). */
  onExchangeDone?: ((connection: HTTP1Connection) => void) | undefined;
}

/**
 * The server side of an HTTP/1.x connection: asks the delegate for a message delegate per
 * request (when its head has arrived) and answers requests in the order they came (pipelined
 * requests wait their turn), until the connection closes or keep-alive ends. The delegate's
 * `onClose` is called once, at the end.
 *
 * @see Tornado `tornado.http1connection.HTTP1ServerConnection`
 */
export class HTTP1ServerConnection implements ExchangeListener {
  /** The stream served. */
  readonly stream: BaseIOStream;
  /** The limits and switches of this connection. */
  readonly params: HTTP1ConnectionParameters;
  /** What is known about the peer. */
  readonly context: HTTPConnectionContext | undefined;
  readonly #onExchangeDone: ((connection: HTTP1Connection) => void) | undefined;
  #connection: HTTP1Connection | null = null;
  #ended = false;
  // Made only when close() asks for it: an idle connection needs no Future of its own.
  #serving: Future<void> | null = null;
  #delegate: HTTPServerConnectionDelegate | null = null;
  // One of NOT_STARTING, NOT_ENDED, ENDED_OPEN, ENDED_CLOSED.
  #ending = NOT_STARTING;

  constructor(
    stream: BaseIOStream,
    params: HTTP1ConnectionParameters = new HTTP1ConnectionParameters(),
    context?: HTTPConnectionContext,
    options: HTTP1ServerConnectionOptions = {},
  ) {
    this.stream = stream;
    this.params = params;
    this.context = context;
    this.#onExchangeDone = options.onExchangeDone;
  }

  /**
   * True while waiting for a request with nothing of it received (closing loses nothing).
   */
  get idle(): boolean {
    return this.#connection?.idle ?? false;
  }

  /**
   * Starts serving with `delegate`. Returns at once; {@link close} (or the end of the
   * connection) ends serving.
   *
   * @see Tornado `HTTP1ServerConnection.start_serving`
   */
  startServing(delegate: HTTPServerConnectionDelegate): void {
    if (this.#connection !== null) {
      throw new TypeError('HTTP1ServerConnection.startServing() was already called');
    }
    this.#connection = new HTTP1Connection(this.stream, false, this.params, this.context);
    this.#delegate = delegate;
    this.#serve();
  }

  /**
   * Closes the connection now; resolves once serving has ended.
   *
   * @see Tornado `HTTP1ServerConnection.close`
   */
  close(): Future<void> {
    // A detached connection ignores close(): its stream is no longer ours.
    if (this.#connection !== null) this.#connection.close();
    else this.stream.close();
    if (this.#connection === null || this.#ended) return Future.resolved(undefined);
    this.#serving ??= new Future<void>();
    return this.#serving;
  }

  /**
   * Graceful close: an idle connection closes now, one answering a request closes after the
   * response (which carries `Connection: close` when not yet started).
   */
  closeWhenIdle(): void {
    if (this.#connection === null) this.stream.close();
    else this.#connection.requestClose();
  }

  #serve(): void {
    const connection = this.#connection!;
    // A loop rather than recursion: pipelined requests answered at once end their exchange
    // inside readRequestInto, and exchangeEnded then only records the outcome for this loop.
    for (;;) {
      this.#ending = NOT_ENDED;
      try {
        connection[readRequestInto](this);
      } catch (error) {
        this.#ending = NOT_STARTING;
        appLog.error('Uncaught exception starting an HTTP request', error);
        connection.close();
        this.#end();
        return;
      }
      const ending = this.#ending;
      this.#ending = NOT_STARTING;
      if (ending === NOT_ENDED) return;
      this.#exchangeDone(connection);
      if (ending === ENDED_CLOSED) {
        this.#end();
        return;
      }
    }
  }

  /**
   * A request head arrived: the server's delegate makes the request's own delegate (so a
   * connection waiting for its next request holds none). Package-internal.
   */
  [requestArrived](connection: HTTP1Connection): HTTPMessageDelegate {
    return this.#delegate!.startRequest(this, connection);
  }

  /**
   * An exchange ended (called by the connection, possibly from inside #serve's loop).
   * Package-internal.
   */
  [exchangeEnded](keepGoing: boolean): void {
    if (this.#ending !== NOT_STARTING) {
      this.#ending = keepGoing ? ENDED_OPEN : ENDED_CLOSED;
      return;
    }
    // Not from inside the call that ended it (the application's finish(), say): what that
    // caller does next still belongs to the exchange that ended.
    queueMicrotask(() => {
      this.#exchangeDone(this.#connection!);
      if (keepGoing) this.#serve();
      else this.#end();
    });
  }

  #exchangeDone(connection: HTTP1Connection): void {
    const exchange = connection.exchange;
    if (this.#onExchangeDone !== undefined && exchange !== null && exchange.code !== undefined) {
      try {
        this.#onExchangeDone(connection);
      } catch (error) {
        appLog.error('Uncaught exception in an HTTP access log', error);
      }
    }
    connection.releaseExchange();
  }

  #end(): void {
    // A detached stream belongs to whoever took it (a WebSocket, a tunnel): leave it open.
    if (this.#connection?.detached !== true) this.stream.close();
    try {
      this.#delegate!.onClose(this);
    } catch (error) {
      appLog.error('Uncaught exception in HTTPServerConnectionDelegate.onClose', error);
    }
    this.#ended = true;
    this.#serving?.setResult(undefined);
  }
}
