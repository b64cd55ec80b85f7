import { Application, RedirectHandler, RequestHandler } from '@tronada/web';

class OldPageHandler extends RequestHandler {
  override get() {
    this.redirect('/new-page'); // 302; { permanent: true } gives 301
  }
}

class NewPageHandler extends RequestHandler {
  override get() {
    this.write('the new page');
  }
}

export function makeApp(): Application {
  return new Application([
    ['/old-page', OldPageHandler],
    ['/new-page', NewPageHandler],
    // Groups of the pattern fill {0}, {1}, ... of the target.
    ['/pictures/(.*)', RedirectHandler, { url: '/photos/{0}', permanent: true }],
  ]);
}
