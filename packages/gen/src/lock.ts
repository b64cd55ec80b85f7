/**
 * Lock: mutual exclusion for coroutines. Releasing with waiters in line hands the lock straight
 * to the first of them (FIFO), so it never becomes free in between and no newcomer overtakes.
 */
import { Future, InvalidStateError, TimeoutError } from '@tronada/ioloop';
import { holding, Releaser } from './releaser.js';
import { WaiterList } from './waiter-list.js';
import type { Timeout } from './with-timeout.js';

/**
 * A lock for coroutines: it starts unlocked; `acquire` locks it, or waits (FIFO) while another
 * holder has it; `release` unlocks it or passes it to the next waiter.
 *
 * ```ts
 * await lock.use(async () => { ... });            // Tornado: async with lock: ...
 * { using _held = await lock.acquire(); ... }      // released at the end of the block
 * const held = await lock.acquire(); try { ... } finally { held.release(); }
 * ```
 *
 * @see Tornado `tornado.locks.Lock`
 */
export class Lock {
  /** The current acquisition; null while unlocked. */
  #holder: Releaser | null = null;
  readonly #waiters = new WaiterList<Releaser>();

  /**
   * Locks. The Future resolves with a {@link Releaser} at once (already done) if the lock is
   * free, else when the holders before this caller have released it. With `timeout` (relative
   * seconds, or `{ deadline }` in loop time), it fails with `TimeoutError` if the lock did not
   * come in time; the waiter then leaves the line.
   *
   * @see Tornado `Lock.acquire`
   */
  acquire(timeout?: Timeout): Future<Releaser> {
    if (this.#holder === null) return Future.resolved(this.#grant());
    const waiter = new Future<Releaser>();
    this.#waiters.push(waiter, undefined, timeout, (f) => {
      f.setException(new TimeoutError('Timed out waiting to acquire the Lock'));
    });
    return waiter;
  }

  /**
   * Unlocks, or hands the lock to the first waiter in line. Throws `InvalidStateError` if the
   * lock is not locked.
   *
   * @see Tornado `Lock.release`
   */
  release(): void {
    if (this.#holder === null) {
      throw new InvalidStateError(
        'Lock.release() called on an unlocked Lock; release only a Lock you acquired',
      );
    }
    // Through the holder's Releaser, so that releasing it again later (a `using` block after an
    // explicit release) cannot release the next holder's acquisition.
    this.#holder.release();
  }

  /**
   * Acquires (waiting up to `timeout`), runs `fn`, and releases when `fn` is done, also when it
   * throws or its Future fails. `fn` may be a plain, async or generator function (a generator
   * function runs as a coroutine). Resolves with what `fn` returns; fails with `TimeoutError`
   * (and `fn` never runs) if the lock did not come in time.
   *
   * Tronada's spelling of Tornado's `async with lock:`.
   */
  use<R>(fn: () => Generator<unknown, R, unknown>, timeout?: Timeout): Future<R>;
  use<R>(fn: () => R | PromiseLike<R>, timeout?: Timeout): Future<R>;
  use<R>(fn: () => unknown, timeout?: Timeout): Future<R> {
    return holding<R>(this.acquire(timeout), fn);
  }

  /** `<Lock unlocked>`, `<Lock locked>`, `<Lock locked waiters[2]>`. */
  toString(): string {
    const waiters = this.#waiters.size > 0 ? ` waiters[${this.#waiters.size}]` : '';
    return `<Lock ${this.#holder === null ? 'unlocked' : 'locked'}${waiters}>`;
  }

  #grant(): Releaser {
    const holder = new Releaser(() => this.#handOver());
    this.#holder = holder;
    return holder;
  }

  #handOver(): void {
    this.#holder = null;
    const next = this.#waiters.shift();
    if (next !== undefined) next.future.setResult(this.#grant());
  }
}
