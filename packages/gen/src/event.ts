/**
 * Event: a flag that coroutines can wait on until it is set.
 */
import { Future, TimeoutError } from '@tronada/ioloop';
import { WaiterList } from './waiter-list.js';
import type { Timeout } from './with-timeout.js';

/**
 * A flag, initially clear. `wait()` returns a done Future while it is set, and otherwise a
 * Future that resolves when {@link set} is called; `set` wakes every waiter at once.
 *
 * ```ts
 * const ready = new Event();
 * const waiter = coroutine(function* () {
 *   yield* ready.wait(); // returns at once from now on, until ready.clear()
 * });
 * ready.set();
 * ```
 *
 * @see Tornado `tornado.locks.Event`
 */
export class Event {
  #value = false;
  readonly #waiters = new WaiterList<void>();

  /**
   * True while the flag is set.
   *
   * @see Tornado `Event.is_set`
   */
  isSet(): boolean {
    return this.#value;
  }

  /**
   * Sets the flag and wakes every waiter (in the order they started waiting). `wait()` no
   * longer blocks until {@link clear}. Setting a set Event does nothing.
   *
   * @see Tornado `Event.set`
   */
  set(): void {
    if (this.#value) return;
    this.#value = true;
    for (let next = this.#waiters.shift(); next !== undefined; next = this.#waiters.shift()) {
      next.future.setResult(undefined);
    }
  }

  /**
   * Clears the flag: `wait()` blocks again until the next {@link set}. Waiters already woken
   * stay woken.
   *
   * @see Tornado `Event.clear`
   */
  clear(): void {
    this.#value = false;
  }

  /**
   * Resolves once the flag is set (at once, already done, if it is set now). With `timeout`
   * (relative seconds, or `{ deadline }` in loop time), fails with `TimeoutError` if the flag
   * was not set in time; the waiter then leaves the line.
   *
   * @see Tornado `Event.wait`
   */
  wait(timeout?: Timeout): Future<void> {
    if (this.#value) return Future.resolved(undefined);
    const waiter = new Future<void>();
    this.#waiters.push(waiter, undefined, timeout, (f) => {
      f.setException(new TimeoutError('Timed out waiting for the Event to be set'));
    });
    return waiter;
  }

  /** Like Tornado's repr: `<Event set>`, `<Event clear>`. */
  toString(): string {
    return `<Event ${this.#value ? 'set' : 'clear'}>`;
  }
}
