/**
 * GeneratorFetchHandler: the fetch as a generator method, Tornado's `@gen.coroutine` style.
 */
import { HTTPClientError } from '@tronada/httpclient';
import { FetchHandler, FetchStyle } from './fetch-handler.js';

/**
 * `GET /fetch/generator`: a generator verb method runs as a coroutine; `yield*` waits for the
 * client's Future without blocking the loop, and gives a typed response.
 *
 * @see Tornado `@gen.coroutine` handlers (`response = yield client.fetch(url)`)
 */
export class GeneratorFetchHandler extends FetchHandler {
  override *get() {
    const url = this.targetUrl();
    try {
      const response = yield* this.client.fetch(url, { raiseError: false });
      this.renderFetched(FetchStyle.GENERATOR, response);
    } catch (error) {
      if (error instanceof HTTPClientError) throw this.unreachable(url, error);
      throw error;
    }
  }
}
