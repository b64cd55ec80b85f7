/**
 * The errors of the queues: `getNowait` on an empty queue, `putNowait` on a full one.
 */
import { TronadaError } from '@tronada/ioloop';

/**
 * `Queue.getNowait()` found no item. Use `get()` to wait for one.
 *
 * @see Tornado `tornado.queues.QueueEmpty`
 */
export class QueueEmpty extends TronadaError {
  override readonly name = 'QueueEmpty';
  readonly code = 'ERR_QUEUE_EMPTY';
  constructor(
    message = 'getNowait() on an empty queue; use get() to wait for an item',
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * `Queue.putNowait()` found the queue at its `maxsize`. Use `put()` to wait for room.
 *
 * @see Tornado `tornado.queues.QueueFull`
 */
export class QueueFull extends TronadaError {
  override readonly name = 'QueueFull';
  readonly code = 'ERR_QUEUE_FULL';
  constructor(
    message = 'putNowait() on a full queue; use put() to wait for room',
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
