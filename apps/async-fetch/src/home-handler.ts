/**
 * HomeHandler: the lessons' index page.
 */
import { RequestHandler } from '@tronada/web';
import { FetchStyle } from './fetch-handler.js';

/** `GET /`: links to every lesson. */
export class HomeHandler extends RequestHandler {
  override get(): void {
    void this.render('index.html', { styles: Object.values(FetchStyle) });
  }
}
