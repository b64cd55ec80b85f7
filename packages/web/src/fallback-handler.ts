/**
 * FallbackHandler: hands requests to another HTTP callback (a Tornado-style request callback or
 * a plain Node `(req, res)` handler such as an Express app).
 */
import type { HTTPServerRequest } from '@tronada/httputil';
import { appLog } from '@tronada/ioloop';
import { type NodeRequestHandler, serveWithNodeHandler } from './node-fallback.js';
import { markFinished, RequestHandler } from './request-handler.js';

/**
 * What a FallbackHandler delegates to: a request callback taking the
 * {@link HTTPServerRequest} (it answers through `request.connection`), or a Node handler taking
 * `(req, res)` or `(req, res, next)` (told apart by their parameter count).
 */
export type Fallback = ((request: HTTPServerRequest) => unknown) | NodeRequestHandler;

/**
 * Serves every request with the `fallback` initialize argument, so other HTTP applications
 * can share a server with Tronada handlers:
 *
 * ```ts
 * new Application([
 *   ['/api/.*', ApiHandler],
 *   ['.*', FallbackHandler, { fallback: expressApp }],
 * ]);
 * ```
 *
 * @see Tornado `tornado.web.FallbackHandler`
 */
export class FallbackHandler extends RequestHandler {
  #fallback: Fallback | null = null;

  override initialize(kwargs: { fallback: Fallback }): void {
    if (typeof kwargs.fallback !== 'function') {
      throw new TypeError(
        'FallbackHandler needs a `fallback` function in its initialize arguments',
      );
    }
    this.#fallback = kwargs.fallback;
  }

  override prepare(): void {
    const fallback = this.#fallback!;
    markFinished(this);
    if (fallback.length >= 2) {
      serveWithNodeHandler(fallback as NodeRequestHandler, this.request).addDoneCallback((f) => {
        const error = f.exception();
        if (error !== null && error !== undefined) {
          appLog.error(`Uncaught exception in the fallback for ${this.request.uri}`, error);
        }
        this.onFinish();
      });
      return;
    }
    (fallback as (request: HTTPServerRequest) => unknown)(this.request);
    this.onFinish();
  }
}
