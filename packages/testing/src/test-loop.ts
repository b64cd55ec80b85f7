/**
 * TestLoop: a fresh IOLoop for one test, made current, and checked for leaks when the test ends
 * (Tornado's `AsyncTestCase`, without the class).
 */
import type { Clock } from '@tronada/ioloop';
import { IOLoop, VirtualClock } from '@tronada/ioloop';
import { LeakError } from './errors.js';

/** Options of {@link TestLoop}. */
export interface TestLoopOptions {
  /** Use a `VirtualClock` (default) or the real clock (`false`), or a clock of your own. */
  clock?: Clock | boolean;
  /** Fail `close()` when timeouts, callbacks or handlers are still pending; default true. */
  checkLeaks?: boolean;
}

/**
 * Owns one IOLoop for the duration of a test.
 *
 * @see Tornado `tornado.testing.AsyncTestCase`
 */
export class TestLoop {
  /** The loop, current until {@link close}. */
  readonly loop: IOLoop;
  /** The virtual clock driving the loop, or `null` with the real clock. */
  readonly clock: VirtualClock | null;
  readonly #checkLeaks: boolean;
  readonly #previous: IOLoop | null;

  constructor(options: TestLoopOptions = {}) {
    const choice = options.clock ?? true;
    const clock: Clock | undefined =
      choice === true ? new VirtualClock() : choice === false ? undefined : choice;
    this.clock = clock instanceof VirtualClock ? clock : null;
    this.#previous = IOLoop.current(false);
    this.loop = clock === undefined ? new IOLoop() : new IOLoop({ clock });
    this.loop.makeCurrent();
    this.#checkLeaks = options.checkLeaks ?? true;
  }

  /** Moves the virtual clock forward (running due timers and queued callbacks). */
  async advance(seconds: number): Promise<void> {
    if (this.clock === null) throw new Error('advance() needs a TestLoop with a virtual clock');
    await this.clock.advance(seconds);
  }

  /** What is still pending on the loop, as a list of readable items (empty when clean). */
  leaks(): string[] {
    const found: string[] = [];
    if (this.loop.pendingTimeouts > 0)
      found.push(`${this.loop.pendingTimeouts} pending timeout(s)`);
    if (this.loop.pendingCallbacks > 0)
      found.push(`${this.loop.pendingCallbacks} pending callback(s)`);
    if (this.loop.handlerCount > 0) found.push(`${this.loop.handlerCount} registered handler(s)`);
    return found;
  }

  /**
   * Closes the loop and restores the previously current one. Throws {@link LeakError} when
   * leak checks are on and something was left pending (the loop is closed all the same).
   */
  close(): void {
    const leaks = this.#checkLeaks ? this.leaks() : [];
    this.loop.close(true);
    if (this.#previous !== null && !this.#previous.closed) this.#previous.makeCurrent();
    else IOLoop.clearCurrent();
    if (leaks.length > 0) {
      throw new LeakError(
        `The test left ${leaks.join(', ')} on its IOLoop; remove timeouts and handlers, or wait for them, before the test ends`,
      );
    }
  }
}
