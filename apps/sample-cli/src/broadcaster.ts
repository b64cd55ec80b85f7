/**
 * Broadcaster: how a chat hands one message to every process that serves it. In one process
 * that is a function call ({@link LocalBroadcaster}); across processes or machines it is Redis
 * pub/sub (`RedisBroadcaster`).
 */

/**
 * Publishes messages to every subscriber, in the order they were published.
 *
 * A chat publishes what a client posts and updates its state only from what its subscription
 * delivers, so every process (the publishing one included) sees the same messages in the same
 * order.
 */
export interface Broadcaster<T> {
  /** Sends `message` to every subscriber; resolves once it is on its way. */
  publish(message: T): Promise<void>;
  /** Calls `onMessage` with every message published from now on. */
  subscribe(onMessage: (message: T) => void): void;
  /** Stops delivering and releases what the broadcaster holds (connections, subscribers). */
  close(): Promise<void>;
}

/**
 * The in-process broadcaster, the default: `publish` calls every subscriber before it returns,
 * so a message is in every subscriber's state as soon as it is published.
 */
export class LocalBroadcaster<T> implements Broadcaster<T> {
  #subscribers: ((message: T) => void)[] = [];

  publish(message: T): Promise<void> {
    for (const onMessage of this.#subscribers) onMessage(message);
    return Promise.resolve();
  }

  subscribe(onMessage: (message: T) => void): void {
    this.#subscribers.push(onMessage);
  }

  close(): Promise<void> {
    this.#subscribers = [];
    return Promise.resolve();
  }
}
