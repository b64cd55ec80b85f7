import { Application, HTTPError, RequestHandler, type SendErrorOptions } from '@tronada/web';

class BaseHandler extends RequestHandler {
  // Override writeError for your own error pages; the status is already set.
  override writeError(status: number, _options: SendErrorOptions) {
    this.write({ error: status, reason: this.reason });
  }
}

class TeapotHandler extends BaseHandler {
  override get() {
    throw new HTTPError(418, 'logged, never shown to the client', { reason: "I'm a teapot" });
  }
}

class BrokenHandler extends BaseHandler {
  override get() {
    throw new Error('a bug'); // a 500; the stack goes to the application log
  }
}

export function makeApp(): Application {
  return new Application([
    ['/teapot', TeapotHandler],
    ['/broken', BrokenHandler],
  ]);
}
