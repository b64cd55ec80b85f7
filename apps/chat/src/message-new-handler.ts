/**
 * MessageNewHandler: posting a message.
 */
import { randomUUID } from 'node:crypto';
import { RequestHandler } from '@tronada/web';
import type { Broadcaster } from '@tronada-apps/sample-cli';
import type { ChatHandlerArgs } from './main-handler.js';
import type { ChatMessage } from './message-buffer.js';

const LOCAL_PATH = /^\/(?![/\\])/;

/**
 * `POST /a/message/new` with a `body` field (and the XSRF token, as every POST of this app):
 * publishes the message (every process's buffer gets it from the broadcaster) and answers it
 * as JSON (`id`, `body`, `html`), or redirects to `next` when
 * the form was posted without JavaScript.
 *
 * @see Tornado `demos/chat/chatdemo.py` `MessageNewHandler`
 */
export class MessageNewHandler extends RequestHandler {
  broadcaster!: Broadcaster<ChatMessage>;

  override initialize(kwargs: ChatHandlerArgs): void {
    this.broadcaster = kwargs.broadcaster;
  }

  override async post(): Promise<void> {
    const message = { id: randomUUID(), body: this.getArgument('body') };
    const full: ChatMessage = { ...message, html: this.renderString('message.html', { message }) };
    // Published before answering: a failed publish (Redis away) is a 500, not a lost message
    // the poster believes was sent.
    await this.broadcaster.publish(full);
    const next = this.getArgument('next', null);
    // Only a path on this site: an absolute URL here (or `//host`, or `/\host`, which browsers
    // read the same way) would make the form an open redirect.
    if (next !== null && LOCAL_PATH.test(next)) {
      this.redirect(next);
    } else {
      this.write({ ...full });
    }
  }
}
