/**
 * CallableAdapter: runs a plain request callback as a message delegate.
 */

import type {
  HTTPConnection,
  HTTPHeaders,
  HTTPMessageDelegate,
  RequestStartLine,
  ResponseStartLine,
} from '@tronada/httputil';
import { HTTPInputError, HTTPServerRequest } from '@tronada/httputil';
import { appLog, genLog } from '@tronada/ioloop';

/** A request callback: gets the whole request and answers through `request.connection`. */
export type RequestCallback = (request: HTTPServerRequest) => unknown;

/**
 * Collects a request's body, then calls the callback with the complete
 * {@link HTTPServerRequest} (form arguments and files parsed). A failure of the callback (a
 * throw or a rejected promise) is logged on `appLog`.
 *
 * @see Tornado `tornado.httpserver._CallableAdapter`
 */
export class CallableAdapter implements HTTPMessageDelegate {
  readonly #callback: RequestCallback;
  readonly #connection: HTTPConnection;
  readonly #serverConnection: object;
  #request: HTTPServerRequest | null = null;
  // Made by the first body chunk: most requests have none.
  #chunks: Buffer[] | null = null;

  constructor(callback: RequestCallback, serverConnection: object, connection: HTTPConnection) {
    this.#callback = callback;
    this.#serverConnection = serverConnection;
    this.#connection = connection;
  }

  headersReceived(startLine: RequestStartLine | ResponseStartLine, headers: HTTPHeaders): void {
    this.#request = new HTTPServerRequest({
      startLine: startLine as RequestStartLine,
      headers,
      connection: this.#connection,
      serverConnection: this.#serverConnection,
    });
  }

  dataReceived(chunk: Uint8Array): void {
    this.#chunks ??= [];
    this.#chunks.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
  }

  finish(): void {
    const request = this.#request!;
    const chunks = this.#chunks;
    this.#chunks = null;
    if (chunks?.length === 1) request.body = chunks[0]!;
    else if (chunks !== null && chunks.length > 1) request.body = Buffer.concat(chunks);
    try {
      request.parseBody();
    } catch (error) {
      // As Tornado: a malformed form body is logged and the callback still runs.
      if (!(error instanceof HTTPInputError)) throw error;
      genLog.warn(`Invalid request body from ${request.remoteIp}: ${error.message}`);
    }
    const result = this.#callback(request);
    if (typeof result === 'object' && result !== null && 'then' in result) {
      Promise.resolve(result).catch((error: unknown) => {
        appLog.error(`Uncaught exception in the request callback for ${request.uri}`, error);
      });
    }
  }

  onConnectionClose(): void {
    this.#chunks = null;
  }
}
