/**
 * StreamCloseListener: a close callback in the form of an object.
 */

/**
 * Told once when a stream closes, like a close callback: `setCloseCallback` takes either. A
 * protocol that already has an object per connection passes that object, and no function has
 * to be kept per connection for it.
 */
export interface StreamCloseListener {
  /** The stream closed (called on the stream's IOLoop, after pending reads and writes failed). */
  streamClosed(): void;
}
