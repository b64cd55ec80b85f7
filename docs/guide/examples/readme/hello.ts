import { Application, RequestHandler } from '@tronada/web';

export class MainHandler extends RequestHandler {
  override get() {
    this.write('Hello, world');
  }
}

export function makeApp(): Application {
  return new Application([['/', MainHandler]]);
}

// In your program: `await makeApp().listen(8888);` then open http://127.0.0.1:8888/
