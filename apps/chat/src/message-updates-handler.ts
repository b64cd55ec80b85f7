/**
 * MessageUpdatesHandler: the long poll.
 */
import type { Future } from '@tronada/ioloop';
import { CancelledError } from '@tronada/ioloop';
import { RequestHandler } from '@tronada/web';
import type { ChatHandlerArgs } from './main-handler.js';
import type { MessageBuffer } from './message-buffer.js';

/**
 * `POST /a/message/updates` with an optional `cursor` (the id of the last message the client
 * has): answers `{ messages }` with what came after it, waiting as long as it takes for there to
 * be something. When the client goes away while waiting, {@link onConnectionClose} cancels the
 * wait, so the buffer holds no waiter for a request nobody will read.
 *
 * @see Tornado `demos/chat/chatdemo.py` `MessageUpdatesHandler`
 */
export class MessageUpdatesHandler extends RequestHandler {
  buffer!: MessageBuffer;
  #waiting: Future<boolean> | null = null;

  override initialize(kwargs: ChatHandlerArgs): void {
    this.buffer = kwargs.buffer;
  }

  override async post(): Promise<void> {
    const cursor = this.getArgument('cursor', null);
    let messages = this.buffer.getMessagesSince(cursor);
    while (messages.length === 0) {
      this.#waiting = this.buffer.waitForMessages();
      try {
        await this.#waiting;
      } catch (error) {
        // Cancelled by onConnectionClose: nobody is left to answer.
        if (error instanceof CancelledError) return;
        throw error;
      } finally {
        this.#waiting = null;
      }
      messages = this.buffer.getMessagesSince(cursor);
    }
    this.write({ messages });
  }

  override onConnectionClose(): void {
    super.onConnectionClose();
    this.#waiting?.cancel();
  }
}
