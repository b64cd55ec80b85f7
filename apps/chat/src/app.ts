/**
 * The chat application: routes, templates, static files and XSRF protection.
 */
import { fileURLToPath } from 'node:url';
import { Application } from '@tronada/web';
import { type Broadcaster, LocalBroadcaster } from '@tronada-apps/sample-cli';
import { MainHandler } from './main-handler.js';
import { type ChatMessage, MessageBuffer } from './message-buffer.js';
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
  /**
   * Where posted messages go (in-process by default). The buffer is filled only from what it
   * delivers, so with a Redis broadcaster every process holds the messages posted on any of
   * them, in the same order.
   */
  readonly broadcaster?: Broadcaster<ChatMessage>;
}

/**
 * The chat as Tornado's demo builds it: `GET /`, `POST /a/message/new` and
 * `POST /a/message/updates`, with `xsrfCookies` on.
 *
 * @see Tornado `demos/chat/chatdemo.py` `main`
 */
export function makeApp(options: ChatAppOptions = {}): Application {
  const buffer = options.buffer ?? new MessageBuffer();
  const broadcaster = options.broadcaster ?? new LocalBroadcaster<ChatMessage>();
  broadcaster.subscribe((message) => buffer.addMessage(message));
  const args = { buffer, broadcaster };
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
