/**
 * Semaphore and BoundedSemaphore: a counter of free slots that coroutines take with `acquire`
 * and give back with `release`. A release with waiters in line hands the slot straight to the
 * first of them (FIFO), so a newcomer can never overtake a waiter.
 */
import { Future, TimeoutError } from '@tronada/ioloop';
import { holding, Releaser } from './releaser.js';
import { WaiterList } from './waiter-list.js';
import type { Timeout } from './with-timeout.js';

/**
 * A lock that `value` holders may hold at once. It counts free slots: `acquire` takes one (and
 * waits, FIFO, while none is free), `release` gives one back. A plain Semaphore accepts more
 * releases than acquires and then has more slots than it started with; use
 * {@link BoundedSemaphore} to treat that as a bug.
 *
 * ```ts
 * const sem = new Semaphore(2);
 * await sem.use(async () => fetchSomething());     // at most two at a time
 * { using _slot = await sem.acquire(); ... }       // released at the end of the block
 * ```
 *
 * @see Tornado `tornado.locks.Semaphore`
 */
export class Semaphore {
  #value: number;
  readonly #waiters = new WaiterList<Releaser>();

  /** Starts with `value` free slots (default 1); a negative or fractional value is a RangeError. */
  constructor(value = 1) {
    if (!Number.isInteger(value) || value < 0) {
      throw new RangeError(`A Semaphore's initial value must be an integer >= 0, got ${value}`);
    }
    this.#value = value;
  }

  /** Free slots right now (0 while every slot is held, whether or not anyone waits). */
  protected get value(): number {
    return this.#value;
  }

  /**
   * Takes a slot. The Future resolves with a {@link Releaser} at once (already done) if a slot
   * is free, else when a release reaches this caller in line. With `timeout` (relative seconds,
   * or `{ deadline }` in loop time), it fails with `TimeoutError` if no slot came in time; the
   * waiter then leaves the line and no slot is taken.
   *
   * @see Tornado `Semaphore.acquire`
   */
  acquire(timeout?: Timeout): Future<Releaser> {
    if (this.#value > 0) {
      this.#value--;
      return Future.resolved(this.#releaser());
    }
    const waiter = new Future<Releaser>();
    this.#waiters.push(waiter, undefined, timeout, (f) => {
      f.setException(new TimeoutError(`Timed out waiting to acquire the ${this.constructor.name}`));
    });
    return waiter;
  }

  /**
   * Gives a slot back: to the first waiter in line if there is one, otherwise to the counter.
   *
   * @see Tornado `Semaphore.release`
   */
  release(): void {
    const next = this.#waiters.shift();
    if (next === undefined) this.#value++;
    else next.future.setResult(this.#releaser());
  }

  /**
   * Acquires (waiting up to `timeout`), runs `fn`, and releases when `fn` is done, also when it
   * throws or its Future fails. `fn` may be a plain, async or generator function (a generator
   * function runs as a coroutine). Resolves with what `fn` returns; fails with `TimeoutError`
   * (and `fn` never runs) if no slot came in time.
   *
   * Tronada's spelling of Tornado's `async with semaphore:`.
   */
  use<R>(fn: () => Generator<unknown, R, unknown>, timeout?: Timeout): Future<R>;
  use<R>(fn: () => R | PromiseLike<R>, timeout?: Timeout): Future<R>;
  use<R>(fn: () => unknown, timeout?: Timeout): Future<R> {
    return holding<R>(this.acquire(timeout), fn);
  }

  /** Like Tornado's repr: `<Semaphore [unlocked,value:2]>`, `<Semaphore [locked,waiters:3]>`. */
  toString(): string {
    let state = this.#value === 0 ? 'locked' : `unlocked,value:${this.#value}`;
    if (this.#waiters.size > 0) state += `,waiters:${this.#waiters.size}`;
    return `<${this.constructor.name} [${state}]>`;
  }

  #releaser(): Releaser {
    return new Releaser(() => this.release());
  }
}

/**
 * A {@link Semaphore} that refuses to be released more often than it was acquired: a release
 * that would raise the count of free slots above the initial value throws a RangeError, since
 * a semaphore guarding a fixed number of resources released too often is a bug.
 *
 * @see Tornado `tornado.locks.BoundedSemaphore`
 */
export class BoundedSemaphore extends Semaphore {
  readonly #initial: number;

  /** Starts with `value` free slots (default 1), which is also the most it can ever have. */
  constructor(value = 1) {
    super(value);
    this.#initial = value;
  }

  /**
   * Gives a slot back; throws a RangeError (changing nothing) if every slot is already free.
   *
   * @see Tornado `BoundedSemaphore.release`
   */
  override release(): void {
    if (this.value >= this.#initial) {
      throw new RangeError(
        `Semaphore released too many times: all ${this.#initial} slots are already free; release only what acquire() gave you`,
      );
    }
    super.release();
  }
}
