import { Application, RequestHandler } from '@tronada/web';

export const finished: string[] = [];

class BaseHandler extends RequestHandler {
  override setDefaultHeaders() {
    this.setHeader('Server', 'Tronada');
  }

  // prepare() runs before get/post/...; finishing the request here skips the verb method.
  override prepare() {
    if (this.request.headers.get('X-Maintenance') !== undefined) {
      this.setStatus(503);
      this.finish('down for maintenance');
    }
  }

  // onFinish() runs after the response is sent: a place for logging and cleanup.
  override onFinish() {
    finished.push(`${this.request.method} ${this.request.path} ${this.getStatus()}`);
  }
}

class HomeHandler extends BaseHandler {
  override get() {
    this.write('home');
  }
}

export function makeApp(): Application {
  return new Application([['/', HomeHandler]]);
}
