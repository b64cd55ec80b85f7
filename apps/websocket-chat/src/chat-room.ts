/**
 * The chat's shared state: the recent messages (shown to newcomers) and the open sockets
 * (every new message goes to all of them). Tornado's demo keeps both as class attributes of
 * its handler; one object per application keeps tests (and two apps in one process) apart.
 */
import { appLog } from '@tronada/ioloop';

/** One chat message as broadcast: its id, the text, and the HTML the page shows. */
export type ChatMessage = {
  readonly id: string;
  readonly body: string;
  readonly html: string;
};

/** Whether `value` has a {@link ChatMessage}'s shape (three strings), as Redis must deliver. */
export function isChatMessage(value: unknown): value is ChatMessage {
  if (typeof value !== 'object' || value === null) return false;
  const { id, body, html } = value as Record<string, unknown>;
  return typeof id === 'string' && typeof body === 'string' && typeof html === 'string';
}

/** Something that can be sent a message: an open chat socket. */
export interface ChatWaiter {
  writeMessage(message: ChatMessage): PromiseLike<unknown>;
}

/** How many recent messages are kept for newcomers by default, as in Tornado's demo. */
export const DEFAULT_CACHE_SIZE = 200;

/** The recent messages and the open sockets of one chat. */
export class ChatRoom {
  /** The most messages kept in {@link cache}. */
  readonly cacheSize: number;
  readonly #waiters = new Set<ChatWaiter>();
  #cache: ChatMessage[] = [];

  constructor(options: { cacheSize?: number } = {}) {
    this.cacheSize = options.cacheSize ?? DEFAULT_CACHE_SIZE;
  }

  /** The recent messages, oldest first (at most {@link cacheSize}). */
  get cache(): readonly ChatMessage[] {
    return this.#cache;
  }

  /** How many sockets are open. */
  get waiterCount(): number {
    return this.#waiters.size;
  }

  /** Starts sending new messages to `waiter`. */
  join(waiter: ChatWaiter): void {
    this.#waiters.add(waiter);
  }

  /** Stops sending to `waiter`. */
  leave(waiter: ChatWaiter): void {
    this.#waiters.delete(waiter);
  }

  /** Keeps `message` for newcomers, dropping the oldest past {@link cacheSize}. */
  updateCache(message: ChatMessage): void {
    this.#cache.push(message);
    if (this.#cache.length > this.cacheSize) this.#cache = this.#cache.slice(-this.cacheSize);
  }

  /** Sends `message` to every open socket; one failing socket does not stop the others. */
  sendUpdates(message: ChatMessage): void {
    appLog.info(`sending message to ${this.#waiters.size} waiters`);
    for (const waiter of this.#waiters) {
      try {
        // A socket that closes while its message is on the way fails its Future; that is
        // expected (it leaves the room on close), not an unhandled rejection.
        waiter.writeMessage(message).then(undefined, () => {});
      } catch (error) {
        appLog.error('Error sending message', error);
      }
    }
  }
}
