/**
 * Releaser: what `Lock.acquire()` and `Semaphore.acquire()` resolve to, the JavaScript form of
 * Tornado's `async with lock:` / `with (yield lock.acquire()):`, and `holding`, the shared body
 * of `lock.use(fn)` and `semaphore.use(fn)`.
 */
import type { Future } from '@tronada/ioloop';
import { coroutine, runGenerator } from './coroutine.js';

/**
 * One successful acquisition of a {@link Lock} or {@link Semaphore}. Call {@link release}, or
 * let a `using` / `await using` declaration do it at the end of the block:
 *
 * ```ts
 * {
 *   using _held = await lock.acquire();
 *   // ... the lock is held here ...
 * } // released here, also when the block throws
 * ```
 *
 * A releaser releases at most once: calling `release()` again, or disposing it after an
 * explicit `release()`, does nothing, so an early release inside a `using` block is safe.
 *
 * @see Tornado `tornado.locks._ReleasingContextManager`
 */
export class Releaser implements Disposable, AsyncDisposable {
  #release: (() => void) | null;

  /** @internal Made by the lock or semaphore that granted the acquisition. */
  constructor(release: () => void) {
    this.#release = release;
  }

  /**
   * True until this releaser has released (for a Lock, also until `lock.release()` released this
   * acquisition; a Semaphore's slots are anonymous, so `semaphore.release()` does not change it).
   */
  get held(): boolean {
    return this.#release !== null;
  }

  /** Releases the lock or semaphore this acquisition holds; a no-op the second time. */
  release(): void {
    const release = this.#release;
    if (release === null) return;
    this.#release = null;
    release();
  }

  /** `using` support: releases (once). */
  [Symbol.dispose](): void {
    this.release();
  }

  /** `await using` support: releases (once); the returned Promise is already resolved. */
  [Symbol.asyncDispose](): Promise<void> {
    this.release();
    return Promise.resolve();
  }
}

/**
 * The body of `use(fn)`: waits for `acquired`, runs `fn` (a plain, async or generator
 * function; a generator function runs as a coroutine) and releases when it finishes, however
 * it finishes. If `acquired` is already done, `fn` starts inside this call. Cancelling the
 * returned Future cancels the wait (or what `fn` waits for) and still releases.
 */
export function holding<R>(acquired: Future<Releaser>, fn: () => unknown): Future<R> {
  const run = coroutine(fn);
  return runGenerator<R>(
    (function* () {
      let releaser: Releaser;
      try {
        releaser = yield* acquired;
      } catch (error) {
        // Cancelled (the `use` Future) after the slot was granted but before this coroutine
        // resumed: the grant is nobody's now, so give it back instead of holding it for ever.
        if (acquired.done() && !acquired.cancelled() && acquired.exception() === null) {
          acquired.result().release();
        }
        throw error;
      }
      try {
        return (yield* run()) as R;
      } finally {
        releaser.release();
      }
    })(),
    fn.name || 'use',
  );
}
