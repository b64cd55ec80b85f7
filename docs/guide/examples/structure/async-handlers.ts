import { coroutine, sleep } from '@tronada/gen';
import { AsyncHTTPClient } from '@tronada/httpclient';
import { Application, RequestHandler } from '@tronada/web';

// A generator method is run as a coroutine; yield* gives each result its type.
class GeneratorHandler extends RequestHandler {
  override *get() {
    const response = yield* new AsyncHTTPClient().fetch(this.getArgument('url'));
    this.write(`fetched ${response.body.length} bytes`);
  }
}

// An async method works the same way: the response finishes when its promise settles.
class AsyncHandler extends RequestHandler {
  override async get() {
    const response = await new AsyncHTTPClient().fetch(this.getArgument('url'));
    this.write(`fetched ${response.body.length} bytes`);
  }
}

// Coroutines compose: a handler can yield* any coroutine's Future.
const slowSquare = coroutine(function* (n: number) {
  yield* sleep(0.01);
  return n * n;
});

class SquareHandler extends RequestHandler {
  override *get(n: string) {
    this.write({ square: yield* slowSquare(Number(n)) });
  }
}

export function makeApp(): Application {
  return new Application([
    ['/generator', GeneratorHandler],
    ['/async', AsyncHandler],
    ['/square/([0-9]+)', SquareHandler],
  ]);
}
