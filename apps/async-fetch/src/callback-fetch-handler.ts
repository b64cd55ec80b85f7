/**
 * CallbackFetchHandler: the fetch with a bare callback, Tornado 1–2's style.
 */
import type { HTTPResponse } from '@tronada/httpclient';
import { asynchronous } from '@tronada/web';
import { FetchHandler, FetchStyle } from './fetch-handler.js';

/**
 * `GET /fetch/callback`: `asynchronous` keeps the request open after the method returns, and
 * the client's callback finishes it later. The work is split at every wait, which is what
 * generators and async methods spare you.
 *
 * @see Tornado 2 `@web.asynchronous def get(self)` with `client.fetch(url, callback=self.on_response)`
 */
export class CallbackFetchHandler extends FetchHandler {
  #url = '';

  override get: (this: CallbackFetchHandler) => unknown = asynchronous(function (
    this: CallbackFetchHandler,
  ) {
    this.#url = this.targetUrl();
    void this.client.fetch(this.#url, { raiseError: false }, (response) =>
      this.onResponse(response),
    );
  });

  /** The second half of the request: runs when the client calls back. */
  onResponse(response: HTTPResponse): void {
    if (response.code === 599) throw this.unreachable(this.#url, response.error);
    this.renderFetched(FetchStyle.CALLBACK, response);
  }
}
