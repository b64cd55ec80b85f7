/**
 * openBroadcaster: the broadcaster a chat's command line asked for.
 */
import { type Broadcaster, LocalBroadcaster } from './broadcaster.js';
import { RedisBroadcaster } from './redis-broadcaster.js';

/** Options of {@link openBroadcaster}. */
export interface OpenBroadcasterOptions<T> {
  /** The Redis channel (used only with a Redis URL). */
  readonly channel: string;
  /** Whether a value received from Redis is a message. */
  readonly accept: (value: unknown) => value is T;
  /** Told about Redis connection errors and rejected values. */
  readonly onError?: (error: unknown) => void;
}

/**
 * A {@link LocalBroadcaster} when `redis` is `null` (one process), else a connected
 * {@link RedisBroadcaster} on `redis`.
 */
export async function openBroadcaster<T>(
  redis: string | null,
  options: OpenBroadcasterOptions<T>,
): Promise<Broadcaster<T>> {
  if (redis === null) return new LocalBroadcaster<T>();
  return RedisBroadcaster.connect<T>({ url: redis, ...options });
}
