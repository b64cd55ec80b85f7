/**
 * PeriodicCallback: runs a function every `callbackTime` milliseconds on the loop's clock, on a
 * fixed schedule measured from start to start (no drift). If a run takes longer than a period,
 * the missed slots are skipped instead of run in a burst. A callback that returns a Promise or
 * Future is waited for before the next run is scheduled.
 */

import type { TimeoutHandle } from './io-loop.js';
import { IOLoop } from './io-loop.js';
import { reportCallbackError } from './report-error.js';

/**
 * Calls a function periodically on the IOLoop.
 *
 * @see Tornado `tornado.ioloop.PeriodicCallback`
 */
export class PeriodicCallback {
  /** The function run each period. */
  readonly callback: () => unknown;
  /** The period, in milliseconds (as in Tornado). */
  readonly callbackTime: number;
  /** Fraction of the period by which each run is moved at random (0.1 = ±5%). */
  readonly jitter: number;
  #loop: IOLoop | null = null;
  #running = false;
  #timeout: TimeoutHandle | null = null;
  #nextTimeout = 0;
  /** Bumped by start() and stop(), so a run in flight from an earlier schedule does not reschedule. */
  #generation = 0;
  #random: () => number;

  /**
   * @param callback run every period; may return a Promise/Future, awaited before the next run
   * @param callbackTime the period in **milliseconds**, > 0
   * @param jitter fraction of the period to randomise each run by (default 0)
   * @param random source of randomness for jitter, in [0, 1) (default `Math.random`)
   */
  constructor(
    callback: () => unknown,
    callbackTime: number,
    jitter = 0,
    random: () => number = Math.random,
  ) {
    if (!(callbackTime > 0)) {
      throw new RangeError(
        `PeriodicCallback needs a positive callbackTime in milliseconds, got ${callbackTime}`,
      );
    }
    this.callback = callback;
    this.callbackTime = callbackTime;
    this.jitter = jitter;
    this.#random = random;
  }

  /**
   * Starts the schedule on the current IOLoop; the first run is one period from now. Does
   * nothing if already running.
   */
  start(): void {
    if (this.#running) return;
    this.#generation++;
    this.#loop = IOLoop.current();
    this.#running = true;
    this.#nextTimeout = this.#loop.time();
    this.#scheduleNext();
  }

  /** Stops the schedule; a run in progress finishes but no further run happens. */
  stop(): void {
    this.#running = false;
    this.#generation++;
    if (this.#timeout !== null) {
      this.#loop?.removeTimeout(this.#timeout);
      this.#timeout = null;
    }
  }

  /** True between {@link start} and {@link stop}. */
  isRunning(): boolean {
    return this.#running;
  }

  /**
   * Moves the next deadline past `now` on the original schedule: whole missed periods are
   * skipped; if the clock went backwards, it still advances one period.
   */
  #updateNext(now: number): void {
    let period = this.callbackTime / 1000;
    if (this.jitter) period *= 1 + this.jitter * (this.#random() - 0.5);
    if (this.#nextTimeout <= now) {
      this.#nextTimeout += (Math.floor((now - this.#nextTimeout) / period) + 1) * period;
    } else {
      this.#nextTimeout += period;
    }
  }

  #scheduleNext(): void {
    if (!this.#running || this.#loop === null) return;
    if (this.#loop.closed) {
      // The loop went away (for example during an async run): the schedule ends with it.
      this.#running = false;
      return;
    }
    this.#updateNext(this.#loop.time());
    this.#timeout = this.#loop.addTimeout(this.#nextTimeout, this.#run);
  }

  readonly #run = (): void => {
    this.#timeout = null;
    if (!this.#running) return;
    const generation = this.#generation;
    const next = (): void => {
      if (generation === this.#generation) this.#scheduleNext();
    };
    let value: unknown;
    try {
      value = this.callback();
    } catch (error) {
      reportCallbackError(this.callback, error);
      next();
      return;
    }
    if (
      value !== null &&
      typeof value === 'object' &&
      typeof (value as PromiseLike<unknown>).then === 'function'
    ) {
      (value as PromiseLike<unknown>).then(next, (error: unknown) => {
        reportCallbackError(this.callback, error);
        next();
      });
    } else {
      next();
    }
  };
}
