/**
 * MainHandler: the chat page.
 */

import { RequestHandler } from '@tronada/web';
import type { Broadcaster } from '@tronada-apps/sample-cli';
import type { ChatMessage, MessageBuffer } from './message-buffer.js';

/**
 * What the chat's handlers are constructed with (a type alias, not an interface, so that it fits
 * `initialize`'s `Record<string, unknown>`).
 */
export type ChatHandlerArgs = {
  readonly buffer: MessageBuffer;
  readonly broadcaster: Broadcaster<ChatMessage>;
};

/**
 * `GET /`: the page with the kept messages, the form, and the script that long-polls.
 *
 * @see Tornado `demos/chat/chatdemo.py` `MainHandler`
 */
export class MainHandler extends RequestHandler {
  buffer!: MessageBuffer;

  override initialize(kwargs: ChatHandlerArgs): void {
    this.buffer = kwargs.buffer;
  }

  override get(): void {
    void this.render('index.html', { messages: this.buffer.cache });
  }
}
