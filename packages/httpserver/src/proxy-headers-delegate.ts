/**
 * ProxyHeadersDelegate: applies `xheaders` for the duration of one request.
 */
import type {
  HTTPHeaders,
  HTTPMessageDelegate,
  RequestStartLine,
  ResponseStartLine,
} from '@tronada/httputil';
import type { HTTPRequestContext } from './http-request-context.js';

/**
 * Wraps a message delegate: rewrites the context from the request's proxy headers when they
 * arrive and restores it when the request ends, so a keep-alive connection's next request
 * starts from the real peer again.
 *
 * @see Tornado `tornado.httpserver._ProxyAdapter`
 */
export class ProxyHeadersDelegate implements HTTPMessageDelegate {
  readonly #delegate: HTTPMessageDelegate;
  readonly #context: HTTPRequestContext;

  constructor(delegate: HTTPMessageDelegate, context: HTTPRequestContext) {
    this.#delegate = delegate;
    this.#context = context;
  }

  headersReceived(
    startLine: RequestStartLine | ResponseStartLine,
    headers: HTTPHeaders,
  ): void | PromiseLike<void> {
    this.#context.applyXheaders(headers);
    return this.#delegate.headersReceived(startLine, headers);
  }

  dataReceived(chunk: Uint8Array): void | PromiseLike<void> {
    return this.#delegate.dataReceived(chunk);
  }

  finish(): void {
    try {
      this.#delegate.finish();
    } finally {
      this.#context.unapplyXheaders();
    }
  }

  onConnectionClose(): void {
    try {
      this.#delegate.onConnectionClose();
    } finally {
      this.#context.unapplyXheaders();
    }
  }
}
