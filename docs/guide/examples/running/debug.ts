import { Application, RequestHandler } from '@tronada/web';

class BrokenHandler extends RequestHandler {
  override get() {
    throw new Error('something broke');
  }
}

// debug: true turns on autoreload (restart when a source file or template changes),
// serveTraceback (a 500 page shows the stack), and turns off the template and static-file
// caches. Each can be set on its own; never use debug in production.
export function makeApp(debug: boolean): Application {
  return new Application([['/broken', BrokenHandler]], { debug });
}
