/**
 * MessageNewHandler: posting a message.
 */
import { randomUUID } from 'node:crypto';
import { RequestHandler } from '@tronada/web';
import type { ChatHandlerArgs } from './main-handler.js';
import type { ChatMessage, MessageBuffer } from './message-buffer.js';

const LOCAL_PATH = /^\/(?![/\\])/;

/**
 * `POST /a/message/new` with a `body` field (and the XSRF token, as every POST of this app):
 * adds the message and answers it as JSON (`id`, `body`, `html`), or redirects to `next` when
 * the form was posted without JavaScript.
 *
 * @see Tornado `demos/chat/chatdemo.py` `MessageNewHandler`
 */
export class MessageNewHandler extends RequestHandler {
  buffer!: MessageBuffer;

  override initialize(kwargs: ChatHandlerArgs): void {
    this.buffer = kwargs.buffer;
  }

  override post(): void {
    const message = { id: randomUUID(), body: this.getArgument('body') };
    const full: ChatMessage = { ...message, html: this.renderString('message.html', { message }) };
    const next = this.getArgument('next', null);
    // Only a path on this site: an absolute URL here (or `//host`, or `/\host`, which browsers
    // read the same way) would make the form an open redirect.
    if (next !== null && LOCAL_PATH.test(next)) {
      this.redirect(next);
    } else {
      this.write({ ...full });
    }
    this.buffer.addMessage(full);
  }
}
