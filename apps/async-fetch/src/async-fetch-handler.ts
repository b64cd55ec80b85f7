/**
 * AsyncFetchHandler: the fetch as an async method, Tornado 6's native coroutine style.
 */
import { HTTPClientError } from '@tronada/httpclient';
import { FetchHandler, FetchStyle } from './fetch-handler.js';

/**
 * `GET /fetch/async`: an async verb method awaits the client's Future (a thenable); the
 * request finishes when the method's promise settles.
 *
 * @see Tornado `async def get(self)` handlers (`response = await client.fetch(url)`)
 */
export class AsyncFetchHandler extends FetchHandler {
  override async get(): Promise<void> {
    const url = this.targetUrl();
    try {
      const response = await this.client.fetch(url, { raiseError: false });
      this.renderFetched(FetchStyle.ASYNC, response);
    } catch (error) {
      if (error instanceof HTTPClientError) throw this.unreachable(url, error);
      throw error;
    }
  }
}
