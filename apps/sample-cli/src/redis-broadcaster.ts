/**
 * RedisBroadcaster: a {@link Broadcaster} over Redis pub/sub, so several processes (on one
 * machine or many, behind a load balancer) serve one chat.
 */
import { createClient } from 'redis';
import type { Broadcaster } from './broadcaster.js';

// What this class uses of a connection (the client's own type is too generic to name here).
interface RedisConnection {
  publish(channel: string, message: string): Promise<unknown>;
  close(): Promise<void>;
}

/** Options of {@link RedisBroadcaster.connect}. */
export interface RedisBroadcasterOptions<T> {
  /** The Redis URL, e.g. `redis://127.0.0.1:6379`. */
  readonly url: string;
  /** The pub/sub channel; processes that share it share the messages. */
  readonly channel: string;
  /**
   * Whether a received value is a message. Anyone who can reach Redis can publish on the
   * channel, so values that fail the check go to `onError` instead of the subscribers.
   */
  readonly accept: (value: unknown) => value is T;
  /** Told about connection errors and rejected values (the client reconnects by itself). */
  readonly onError?: (error: unknown) => void;
}

/**
 * Publishes JSON on a Redis channel and delivers every message on that channel, its own
 * included, to the subscribers. Redis keeps the order of one channel, so every process sees the
 * messages in the same order.
 *
 * It holds two connections, as Redis requires: a connection that has subscribed can only
 * (un)subscribe, so publishing needs its own.
 */
export class RedisBroadcaster<T> implements Broadcaster<T> {
  readonly #publisher: RedisConnection;
  readonly #subscriber: RedisConnection;
  readonly #channel: string;
  #subscribers: ((message: T) => void)[] = [];

  private constructor(publisher: RedisConnection, subscriber: RedisConnection, channel: string) {
    this.#publisher = publisher;
    this.#subscriber = subscriber;
    this.#channel = channel;
  }

  /**
   * Connects to Redis and subscribes to the channel before resolving, so nothing published
   * after it resolves is missed.
   */
  static async connect<T>(options: RedisBroadcasterOptions<T>): Promise<RedisBroadcaster<T>> {
    const onError = options.onError ?? (() => {});
    // A first connection that fails is an error for the caller (a wrong URL should not hang);
    // a connection lost later is retried, backing off up to 5 s, as Redis may restart.
    let connected = false;
    const reconnectStrategy = (retries: number, cause: Error): number | Error =>
      connected ? Math.min(50 * 2 ** retries, 5_000) : cause;
    const publisher = createClient({ url: options.url, socket: { reconnectStrategy } });
    // Without a listener, a client's 'error' event would end the process.
    publisher.on('error', onError);
    const subscriber = publisher.duplicate();
    subscriber.on('error', onError);
    try {
      await publisher.connect();
      await subscriber.connect();
      connected = true;
    } catch (error) {
      publisher.destroy();
      subscriber.destroy();
      throw error;
    }
    const broadcaster = new RedisBroadcaster<T>(publisher, subscriber, options.channel);
    await subscriber.subscribe(options.channel, (text) => {
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (error) {
        onError(error);
        return;
      }
      if (!options.accept(value)) {
        onError(new TypeError(`ignored a value on ${options.channel} that is not a message`));
        return;
      }
      for (const onMessage of broadcaster.#subscribers) onMessage(value);
    });
    return broadcaster;
  }

  async publish(message: T): Promise<void> {
    await this.#publisher.publish(this.#channel, JSON.stringify(message));
  }

  subscribe(onMessage: (message: T) => void): void {
    this.#subscribers.push(onMessage);
  }

  async close(): Promise<void> {
    this.#subscribers = [];
    await Promise.allSettled([this.#subscriber.close(), this.#publisher.close()]);
  }
}
