/**
 * ErrorHandler: answers every request with a fixed error status.
 */
import { HTTPError } from './errors.js';
import { RequestHandler } from './request-handler.js';

/**
 * Answers every request with `statusCode` (given as an initialize argument); the default
 * handler for paths no rule matches is an ErrorHandler with 404.
 *
 * @see Tornado `tornado.web.ErrorHandler`
 */
export class ErrorHandler extends RequestHandler {
  #statusCode = 404;

  override initialize(kwargs: { statusCode?: number; status_code?: number }): void {
    this.#statusCode = kwargs.statusCode ?? kwargs.status_code ?? 404;
  }

  override prepare(): void {
    throw new HTTPError(this.#statusCode);
  }

  /** XSRF checks are skipped: the request is refused whatever it carries. */
  override checkXsrfCookie(): void {}
}
