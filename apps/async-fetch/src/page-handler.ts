/**
 * PageHandler: the page the fetch lessons fetch by default.
 */
import { RequestHandler } from '@tronada/web';

/** `GET /page`: a small, fixed page served by this same app, so fetching works offline. */
export class PageHandler extends RequestHandler {
  override get(): void {
    void this.render('page.html');
  }
}
