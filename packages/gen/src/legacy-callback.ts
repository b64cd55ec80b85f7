/**
 * The legacy keyed yield points (Tornado 3/4): `Callback` hands the generator a function and
 * registers its key with the runner; `Wait` and `WaitMany` later take the value(s) that
 * function was called with. The bookkeeping (pending keys, stored results, key errors) is the
 * runner's: these classes only connect the generator to it.
 */

import type { Runner } from './runner.js';
import { YieldPoint } from './yield-point.js';

/** The function a {@link Callback} yields: call it to store a result under the key. */
export type ResultCallback = (...args: unknown[]) => void;

function started(runner: Runner<unknown> | null, what: string): Runner<unknown> {
  if (runner === null) {
    throw new TypeError(
      `${what} was not started by a runner; yield it from an engine or coroutine generator`,
    );
  }
  return runner;
}

/**
 * Yields a callback that stores its arguments under `key` for a later {@link Wait}: no
 * argument gives `undefined`, one gives it, several give an `Arguments`. Registering a key that
 * is still pending throws `KeyReuseError` into the generator; a key may be reused once its
 * `Wait` is done. Keys are any value; arrays compare by value (Python tuples), anything else by
 * identity. A generator that finishes without waiting for a key fails with
 * `LeakedCallbackError`; calling the callback after that is harmless.
 *
 * The callback is bound to the stack context of the generator, so it resumes the generator
 * there wherever it is called from. `const cb = yield* new Callback('k')` is typed.
 *
 * @see Tornado `tornado.gen.Callback` (removed in Tornado 6)
 */
export class Callback extends YieldPoint {
  /** The key the callback's result is stored under. */
  readonly key: unknown;
  #runner: Runner<unknown> | null = null;

  constructor(key: unknown) {
    super();
    this.key = key;
  }

  start(runner: Runner<unknown>): void {
    this.#runner = runner;
    runner.registerCallback(this.key);
  }

  isReady(): boolean {
    return true;
  }

  getResult(): ResultCallback {
    return started(this.#runner, 'Callback').resultCallback(this.key);
  }

  /** `yield*` support: `const cb = yield* new Callback(key)` is typed {@link ResultCallback}. */
  *[Symbol.iterator](): Generator<this, ResultCallback, unknown> {
    return (yield this) as ResultCallback;
  }
}

/**
 * Waits until the callback registered under `key` has been called and yields its value (see
 * {@link Callback}). A key no `Callback` registered throws `UnknownKeyError` into the
 * generator, where it can be caught.
 *
 * @see Tornado `tornado.gen.Wait` (removed in Tornado 6)
 */
export class Wait extends YieldPoint {
  /** The key waited for. */
  readonly key: unknown;
  #runner: Runner<unknown> | null = null;

  constructor(key: unknown) {
    super();
    this.key = key;
  }

  start(runner: Runner<unknown>): void {
    this.#runner = runner;
  }

  isReady(): boolean {
    return started(this.#runner, 'Wait').isReady(this.key);
  }

  getResult(): unknown {
    return started(this.#runner, 'Wait').popResult(this.key);
  }

  /** `yield*` support: `const value = yield* new Wait(key)`. */
  *[Symbol.iterator](): Generator<this, unknown, unknown> {
    return yield this;
  }
}

/**
 * Waits until the callbacks registered under every one of `keys` have been called and yields
 * their values as an array in key order; the same as yielding an array of {@link Wait}s.
 * Exported as `WaitAll` too, Tornado's name for it.
 *
 * @see Tornado `tornado.gen.WaitAll` (removed in Tornado 6)
 */
export class WaitMany extends YieldPoint {
  /** The keys waited for, in the order their values are returned. */
  readonly keys: readonly unknown[];
  #runner: Runner<unknown> | null = null;

  constructor(keys: Iterable<unknown>) {
    super();
    this.keys = [...keys];
  }

  start(runner: Runner<unknown>): void {
    this.#runner = runner;
  }

  isReady(): boolean {
    const runner = started(this.#runner, 'WaitMany');
    return this.keys.every((key) => runner.isReady(key));
  }

  getResult(): unknown[] {
    const runner = started(this.#runner, 'WaitMany');
    return this.keys.map((key) => runner.popResult(key));
  }

  /** `yield*` support: `const values = yield* new WaitMany(keys)` is typed `unknown[]`. */
  *[Symbol.iterator](): Generator<this, unknown[], unknown> {
    return (yield this) as unknown[];
  }
}
