/**
 * The application: Tornado's hello world, as a Tornado user would write it.
 */
import { Application, RequestHandler } from '@tronada/web';

/** Answers `GET /` with `Hello, world`. */
export class MainHandler extends RequestHandler {
  override get(): void {
    this.write('Hello, world');
  }
}

/** The application with its one route. */
export function makeApp(): Application {
  return new Application([['/', MainHandler]]);
}
