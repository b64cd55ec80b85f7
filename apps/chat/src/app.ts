/**
 * The chat application: routes, templates, static files and XSRF protection.
 */
import { fileURLToPath } from 'node:url';
import { Application } from '@tronada/web';
import { MainHandler } from './main-handler.js';
import { MessageBuffer } from './message-buffer.js';
import { MessageNewHandler } from './message-new-handler.js';
import { MessageUpdatesHandler } from './message-updates-handler.js';

/** The app's `templates/` directory (beside `src/` and `dist/`, so both find it). */
export const TEMPLATE_PATH = fileURLToPath(new URL('../templates', import.meta.url));
/** The app's `static/` directory. */
export const STATIC_PATH = fileURLToPath(new URL('../static', import.meta.url));

/** Options of {@link makeApp}. */
export interface ChatAppOptions {
  /** The buffer the handlers share (a new one by default); tests pass theirs to watch it. */
  readonly buffer?: MessageBuffer;
}

/**
 * The chat as Tornado's demo builds it: `GET /`, `POST /a/message/new` and
 * `POST /a/message/updates`, with `xsrfCookies` on.
 *
 * @see Tornado `demos/chat/chatdemo.py` `main`
 */
export function makeApp(options: ChatAppOptions = {}): Application {
  const args = { buffer: options.buffer ?? new MessageBuffer() };
  return new Application(
    [
      ['/', MainHandler, args],
      ['/a/message/new', MessageNewHandler, args],
      ['/a/message/updates', MessageUpdatesHandler, args],
    ],
    {
      templatePath: TEMPLATE_PATH,
      staticPath: STATIC_PATH,
      xsrfCookies: true,
    },
  );
}
