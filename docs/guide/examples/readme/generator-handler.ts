import { sleep } from '@tronada/gen';
import { AsyncHTTPClient } from '@tronada/httpclient';
import { Application, RequestHandler } from '@tronada/web';

// A generator method runs as a coroutine: each `yield*` waits for a Future without blocking
// the loop, and gives the result its type.
export class ProxyHandler extends RequestHandler {
  override *get() {
    const url = this.getArgument('url');
    yield* sleep(0.01); // any Future: a timer, a query, a fetch
    const response = yield* new AsyncHTTPClient().fetch(url);
    this.write({ status: response.code, bytes: response.body.length });
  }
}

export function makeApp(): Application {
  return new Application([['/proxy', ProxyHandler]]);
}
