import { fileURLToPath } from 'node:url';
import { Application, RequestHandler } from '@tronada/web';

class HomeHandler extends RequestHandler {
  override get() {
    // staticUrl adds ?v=<hash of the file>, so browsers may cache it for ten years.
    this.write(`<link rel="stylesheet" href="${this.staticUrl('site.css')}">`);
  }
}

export function makeApp(): Application {
  return new Application([['/', HomeHandler]], {
    // Serves /static/..., /favicon.ico and /robots.txt from this directory.
    staticPath: fileURLToPath(new URL('./static', import.meta.url)),
  });
}
