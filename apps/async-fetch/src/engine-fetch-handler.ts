/**
 * EngineFetchHandler: the fetch in Tornado 3's legacy style, `@asynchronous` + `@gen.engine`
 * + `gen.Task`.
 */

import { engine, Task } from '@tronada/gen';
import type { HTTPResponse } from '@tronada/httpclient';
import { asynchronous } from '@tronada/web';
import { FetchHandler, FetchStyle } from './fetch-handler.js';

/**
 * `GET /fetch/engine`: `asynchronous` keeps the request open after the method returns;
 * `engine` runs the generator, and `Task` turns the client's callback argument into something
 * to yield. The method finishes the request itself (`render` does).
 *
 * @see Tornado 3 `@web.asynchronous @gen.engine def get(self)` with `yield gen.Task(client.fetch, url)`
 */
export class EngineFetchHandler extends FetchHandler {
  override get: (this: EngineFetchHandler) => unknown = asynchronous(
    engine(function* (this: EngineFetchHandler) {
      const url = this.targetUrl();
      const client = this.client;
      // With a callback, the client reports every outcome as a response (599: none arrived).
      const response = yield* Task((callback: (response: HTTPResponse) => void) => {
        void client.fetch(url, { raiseError: false }, callback);
      });
      if (response.code === 599) throw this.unreachable(url, response.error);
      this.renderFetched(FetchStyle.ENGINE, response);
    }),
  );
}
