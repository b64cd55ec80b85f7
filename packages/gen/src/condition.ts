/**
 * Condition: coroutines wait until another one notifies them. No lock is attached (unlike
 * `threading.Condition`), since coroutines switch only where they yield.
 */
import { Future } from '@tronada/ioloop';
import { WaiterList } from './waiter-list.js';
import type { Timeout } from './with-timeout.js';

/**
 * Lets coroutines wait for a notification. Waiters are woken in the order they started
 * waiting; a waiter whose timeout expired resolves `false`, leaves the line at once, and never
 * counts against a later `notify(n)`.
 *
 * ```ts
 * const condition = new Condition();
 * const waiter = coroutine(function* () {
 *   const notified = yield* condition.wait(5); // true when notified, false after 5 s
 * });
 * condition.notify();
 * ```
 *
 * @see Tornado `tornado.locks.Condition`
 */
export class Condition {
  readonly #waiters = new WaiterList<boolean>();

  /**
   * Waits for {@link notify} or {@link notifyAll}. The Future resolves `true` when notified, or
   * `false` once `timeout` (relative seconds, or `{ deadline }` in loop time) has passed; it
   * never fails. The waiter learns of a notification when the Future's callbacks run (a
   * microtask later), not inside `notify`.
   *
   * @see Tornado `Condition.wait`
   */
  wait(timeout?: Timeout): Future<boolean> {
    const waiter = new Future<boolean>();
    this.#waiters.push(waiter, undefined, timeout, (f) => f.setResult(false));
    return waiter;
  }

  /**
   * Wakes the first `n` waiters still waiting (default 1); with fewer waiting, wakes them all.
   *
   * @see Tornado `Condition.notify`
   */
  notify(n = 1): void {
    // Take the waiters off the line first, then resolve them, as Tornado does.
    const woken: Future<boolean>[] = [];
    while (woken.length < n) {
      const next = this.#waiters.shift();
      if (next === undefined) break;
      woken.push(next.future);
    }
    for (const future of woken) future.setResult(true);
  }

  /**
   * Wakes every waiter.
   *
   * @see Tornado `Condition.notify_all`
   */
  notifyAll(): void {
    this.notify(Number.POSITIVE_INFINITY);
  }

  /** Like Tornado's repr: `<Condition>`, `<Condition waiters[2]>`. */
  toString(): string {
    return this.#waiters.size > 0 ? `<Condition waiters[${this.#waiters.size}]>` : '<Condition>';
  }
}
