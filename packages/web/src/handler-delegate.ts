/**
 * HandlerDelegate: feeds one request to a new handler of a class (the bridge between the HTTP
 * connection's delegate interface and `RequestHandler`).
 */
import type { HTTPConnection, HTTPMessageDelegate, HTTPServerRequest } from '@tronada/httputil';
import { HTTPHeaders, ResponseStartLine } from '@tronada/httputil';
import { appLog, type Future } from '@tronada/ioloop';
import type { Application } from './application.js';
import { errorPage } from './error-page.js';
import { pendingResult } from './handler-result.js';
import type { OutputTransform } from './output-transform.js';
import {
  beginStreaming,
  connectionClosed,
  executeHandler,
  handleRequestException,
  type RequestHandler,
  type RequestHandlerClass,
  startHandler,
} from './request-handler.js';

const NO_TRANSFORMS: readonly OutputTransform[] = [];

/**
 * Runs one request on a new handler of `handlerClass`. A buffered request runs once its body
 * has arrived; a streaming one (`streamRequestBody`) runs `prepare` when the headers arrive and
 * hands each body piece to `dataReceived`, reading on only when `prepare` (and each
 * `dataReceived`) is done.
 *
 * @see Tornado `tornado.web._HandlerDelegate`
 */
export class HandlerDelegate implements HTTPMessageDelegate {
  readonly application: Application;
  readonly request: HTTPServerRequest;
  readonly handlerClass: RequestHandlerClass;
  readonly handlerKwargs: Record<string, unknown>;
  readonly pathArgs: readonly (Uint8Array | undefined)[];
  readonly pathKwargs: Readonly<Record<string, Uint8Array | undefined>>;
  /** The handler, once created. */
  handler: RequestHandler | null = null;
  readonly #streaming: boolean;
  #chunks: Buffer[] = [];
  #body: Future<void> | null = null;

  constructor(
    application: Application,
    request: HTTPServerRequest,
    handlerClass: RequestHandlerClass,
    handlerKwargs: Record<string, unknown> = {},
    pathArgs: readonly (Uint8Array | undefined)[] = [],
    pathKwargs: Readonly<Record<string, Uint8Array | undefined>> = {},
  ) {
    this.application = application;
    this.request = request;
    this.handlerClass = handlerClass;
    this.handlerKwargs = handlerKwargs;
    this.pathArgs = pathArgs;
    this.pathKwargs = pathKwargs;
    this.#streaming = handlerClass.streamRequestBody === true;
  }

  headersReceived(): PromiseLike<void> | undefined {
    if (!this.#streaming) return undefined;
    return this.execute();
  }

  dataReceived(chunk: Uint8Array): PromiseLike<void> | undefined {
    const bytes = Buffer.isBuffer(chunk)
      ? chunk
      : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (!this.#streaming) {
      this.#chunks.push(bytes);
      return undefined;
    }
    const handler = this.handler;
    if (handler === null || handler.finished) return undefined;
    try {
      const pending = pendingResult(handler.dataReceived(bytes), 'dataReceived');
      if (pending === undefined) return undefined;
      return Promise.resolve(pending).then(
        () => undefined,
        (error: unknown) => handleRequestException(handler, error),
      );
    } catch (error) {
      handleRequestException(handler, error);
      return undefined;
    }
  }

  finish(): void {
    if (this.#streaming) {
      if (this.#body !== null && !this.#body.done()) this.#body.setResult(undefined);
      return;
    }
    const chunks = this.#chunks;
    this.#chunks = [];
    if (chunks.length === 1) this.request.body = chunks[0]!;
    else if (chunks.length > 1) this.request.body = Buffer.concat(chunks);
    void this.execute();
  }

  onConnectionClose(): void {
    if (this.#streaming && this.handler !== null) connectionClosed(this.handler);
    else this.#chunks = [];
  }

  /**
   * Creates the handler and runs the request. Returns, in streaming mode, the Future that
   * settles when `prepare` is done (reading the body waits for it).
   */
  execute(): Future<void> | undefined {
    const application = this.application;
    application.resetCachesForDebug();
    let handler: RequestHandler;
    try {
      handler = new this.handlerClass(application, this.request);
      this.handler = handler;
      startHandler(handler, this.handlerKwargs);
    } catch (error) {
      appLog.error(
        `Uncaught exception setting up ${this.handlerClass.name} for ${this.request.uri}`,
        error,
      );
      this.#answerSetupFailure();
      return undefined;
    }
    const transforms =
      application.transforms.length === 0
        ? NO_TRANSFORMS
        : application.transforms.map((Transform) => new Transform(this.request));
    let prepared: Future<void> | undefined;
    if (this.#streaming) {
      const futures = beginStreaming(handler);
      prepared = futures.prepared;
      this.#body = futures.body;
    }
    void executeHandler(handler, transforms, this.pathArgs, this.pathKwargs);
    return prepared;
  }

  // A handler that failed in its constructor or initialize cannot answer; answer for it.
  #answerSetupFailure(): void {
    const handler = this.handler;
    if (handler !== null && !handler.headersWritten && !handler.finished) {
      try {
        handler.clear();
        handler.sendError(500);
        return;
      } catch {
        // Fall through to closing the exchange by hand.
      }
    }
    const connection = this.request.connection;
    if (connection === undefined) return;
    void answer500(connection);
  }
}

function answer500(connection: HTTPConnection): Future<void> {
  const body = Buffer.from(errorPage(500, 'Internal Server Error'));
  const headers = new HTTPHeaders({
    'Content-Type': 'text/html; charset=UTF-8',
    'Content-Length': String(body.length),
  });
  void connection.writeHeaders(
    new ResponseStartLine('HTTP/1.1', 500, 'Internal Server Error'),
    headers,
    body,
  );
  return connection.finish();
}
