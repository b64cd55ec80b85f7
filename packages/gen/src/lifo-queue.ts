/**
 * LifoQueue: a Queue that hands out the most recently put item first.
 */
import { Queue } from './queue.js';

/**
 * A {@link Queue} that retrieves the most recently put item first (a stack). Everything else
 * (bounds, waiting, `taskDone`/`join`, timeouts) is as in `Queue`.
 *
 * ```ts
 * const q = new LifoQueue<number>();
 * q.putNowait(3); q.putNowait(2); q.putNowait(1);
 * q.getNowait(); // 1
 * ```
 *
 * @see Tornado `tornado.queues.LifoQueue`
 */
export class LifoQueue<T = unknown> extends Queue<T> {
  readonly #stack: T[] = [];

  /** Items stored now. @see Tornado `Queue.qsize` */
  override qsize(): number {
    return this.#stack.length;
  }

  /** Pushes `item` on the stack. @see Tornado `LifoQueue._put` */
  protected override putItem(item: T): void {
    this.#stack.push(item);
  }

  /** Pops the most recent item. @see Tornado `LifoQueue._get` */
  protected override getItem(): T {
    return this.#stack.pop()!;
  }
}
