/**
 * MessageBuffer: the chat's memory. It keeps the last messages and lets long-polling requests
 * wait for the next one on a `Condition`, as Tornado's chat demo does.
 */
import { Condition } from '@tronada/gen';
import type { Future } from '@tronada/ioloop';

/** One chat message: an id (the clients' cursor), the text, and its rendered HTML. */
export interface ChatMessage {
  readonly id: string;
  readonly body: string;
  readonly html: string;
}

/** Whether `value` has a {@link ChatMessage}'s shape (three strings), as Redis must deliver. */
export function isChatMessage(value: unknown): value is ChatMessage {
  if (typeof value !== 'object' || value === null) return false;
  const { id, body, html } = value as Record<string, unknown>;
  return typeof id === 'string' && typeof body === 'string' && typeof html === 'string';
}

/** Options of a {@link MessageBuffer}. */
export interface MessageBufferOptions {
  /** How many recent messages to keep (default 200, as in Tornado's demo). */
  readonly cacheSize?: number;
}

/**
 * The last `cacheSize` messages and the requests waiting for new ones.
 *
 * `waitForMessages()` returns a Future that resolves when a message is added. A waiter leaves
 * {@link waiterCount} as soon as its Future is done, whether it was woken or cancelled (a client
 * that went away), so a count that returns to zero proves nothing is left waiting.
 *
 * @see Tornado `demos/chat/chatdemo.py` `MessageBuffer`
 */
export class MessageBuffer {
  /** How many messages the buffer keeps. */
  readonly cacheSize: number;
  #cache: ChatMessage[] = [];
  // Notified whenever the cache changes; a Condition because every waiter wants every change.
  readonly #condition = new Condition();
  #waiters = 0;

  constructor(options: MessageBufferOptions = {}) {
    const cacheSize = options.cacheSize ?? 200;
    if (!Number.isInteger(cacheSize) || cacheSize < 1) {
      throw new RangeError(`cacheSize must be a whole number of at least 1, got ${cacheSize}`);
    }
    this.cacheSize = cacheSize;
  }

  /** The kept messages, oldest first. */
  get cache(): readonly ChatMessage[] {
    return this.#cache;
  }

  /** Requests waiting for a new message right now. */
  get waiterCount(): number {
    return this.#waiters;
  }

  /**
   * The messages after the one whose id is `cursor`, oldest first. A cursor that is `null` or
   * no longer in the cache (too old, or from before a restart) gives every kept message, so a
   * client never misses what the buffer still has.
   */
  getMessagesSince(cursor: string | null): ChatMessage[] {
    const cache = this.#cache;
    let start = cache.length;
    while (start > 0 && cache[start - 1]!.id !== cursor) start--;
    return cache.slice(start);
  }

  /** Adds a message, drops the oldest beyond `cacheSize`, and wakes every waiter. */
  addMessage(message: ChatMessage): void {
    this.#cache.push(message);
    if (this.#cache.length > this.cacheSize) {
      this.#cache = this.#cache.slice(-this.cacheSize);
    }
    this.#condition.notifyAll();
  }

  /**
   * A Future that resolves `true` when the next message is added. Cancel it when the waiting
   * client goes away: the Condition drops a cancelled waiter at once.
   */
  waitForMessages(): Future<boolean> {
    const waiter = this.#condition.wait();
    this.#waiters++;
    waiter.addDoneCallback(() => {
      this.#waiters--;
    });
    return waiter;
  }
}
