/**
 * RoutingDelegate: finds the delegate of a request once its headers have arrived, then
 * forwards the rest of the request to it.
 */
import type {
  HTTPConnection,
  HTTPHeaders,
  HTTPMessageDelegate,
  RequestStartLine,
  ResponseStartLine,
} from '@tronada/httputil';
import { HTTPServerRequest } from '@tronada/httputil';

/** What a {@link RoutingDelegate} asks for the delegate of a request. */
export interface DelegateFinder {
  findHandler(request: HTTPServerRequest): HTTPMessageDelegate;
}

/**
 * The message delegate an application gives the server for each request: on
 * `headersReceived` it builds the {@link HTTPServerRequest}, asks the application which
 * delegate serves it, and forwards every later event to that delegate.
 *
 * @see Tornado `tornado.routing._RoutingDelegate`
 */
export class RoutingDelegate implements HTTPMessageDelegate {
  readonly #finder: DelegateFinder;
  readonly #serverConnection: object;
  readonly #connection: HTTPConnection;
  #delegate: HTTPMessageDelegate | null = null;

  constructor(finder: DelegateFinder, serverConnection: object, connection: HTTPConnection) {
    this.#finder = finder;
    this.#serverConnection = serverConnection;
    this.#connection = connection;
  }

  headersReceived(
    startLine: RequestStartLine | ResponseStartLine,
    headers: HTTPHeaders,
  ): void | PromiseLike<void> {
    const request = new HTTPServerRequest({
      startLine: startLine as RequestStartLine,
      headers,
      connection: this.#connection,
      serverConnection: this.#serverConnection,
    });
    this.#delegate = this.#finder.findHandler(request);
    return this.#delegate.headersReceived(startLine, headers);
  }

  dataReceived(chunk: Uint8Array): void | PromiseLike<void> {
    return this.#delegate!.dataReceived(chunk) as void | PromiseLike<void>;
  }

  finish(): void {
    this.#delegate!.finish();
  }

  onConnectionClose(): void {
    this.#delegate?.onConnectionClose();
  }
}
