import type { Clock } from './clock.js';

interface ArmedWake {
  readonly deadline: number;
  readonly seq: number;
  readonly wake: () => void;
}

/** How many event-loop turns `advance` waits for busy loops to go idle before giving up. */
const MAX_SETTLE_TURNS = 100_000;

/**
 * A clock that moves only when told to: `loop.time()` stands still until {@link advance} or
 * {@link setTime}, which fire every due wake-up in deadline order (ties in the order they were
 * armed) and let callbacks, microtasks and coroutines run between them.
 *
 * Give it to an IOLoop (`new IOLoop({ clock })`) to test timeouts, sleeps and periodic
 * callbacks deterministically and instantly.
 *
 * @see Tornado `tornado.testing` (which patches time instead)
 */
export class VirtualClock implements Clock {
  #now: number;
  #seq = 0;
  #wakes: ArmedWake[] = [];
  #busy = new Set<() => boolean>();

  /** Starts the clock at `start` seconds (default 0). */
  constructor(start = 0) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  wakeAt(deadline: number, wake: () => void): () => void {
    const armed: ArmedWake = { deadline, seq: this.#seq++, wake };
    this.#wakes.push(armed);
    return () => {
      const i = this.#wakes.indexOf(armed);
      if (i >= 0) this.#wakes.splice(i, 1);
    };
  }

  /** How many wake-ups are armed (a loop with pending timers holds one). */
  get pendingWakes(): number {
    return this.#wakes.length;
  }

  /**
   * Registers a probe that tells whether something driven by this clock (an IOLoop) still has
   * work queued; `advance` waits for every probe to report idle. Returns an unregister function.
   */
  observe(isBusy: () => boolean): () => void {
    this.#busy.add(isBusy);
    return () => this.#busy.delete(isBusy);
  }

  /**
   * Moves time forward by `seconds`, firing each due wake-up at its own deadline, in order, and
   * waiting for queued callbacks and microtasks to run after each.
   */
  async advance(seconds: number): Promise<void> {
    if (!(seconds >= 0)) throw new RangeError(`advance() needs seconds >= 0, got ${seconds}`);
    await this.#runUntil(this.#now + seconds);
  }

  /**
   * Sets the time to `t`. Going forward fires due wake-ups as {@link advance} does; going
   * backwards (to test a clock that jumps back) fires nothing.
   */
  async setTime(t: number): Promise<void> {
    if (t < this.#now) {
      this.#now = t;
      await this.#settle();
      return;
    }
    await this.#runUntil(t);
  }

  /** Waits until every observed loop has run its queued callbacks; time does not move. */
  async settle(): Promise<void> {
    await this.#settle();
  }

  async #runUntil(target: number): Promise<void> {
    await this.#settle();
    for (;;) {
      const next = this.#earliestDue(target);
      if (next === undefined) break;
      this.#wakes.splice(this.#wakes.indexOf(next), 1);
      if (next.deadline > this.#now) this.#now = next.deadline;
      next.wake();
      await this.#settle();
    }
    if (target > this.#now) this.#now = target;
    await this.#settle();
  }

  #earliestDue(target: number): ArmedWake | undefined {
    let best: ArmedWake | undefined;
    for (const w of this.#wakes) {
      if (w.deadline > target) continue;
      if (
        best === undefined ||
        w.deadline < best.deadline ||
        (w.deadline === best.deadline && w.seq < best.seq)
      ) {
        best = w;
      }
    }
    return best;
  }

  async #settle(): Promise<void> {
    for (let turn = 0; turn < MAX_SETTLE_TURNS; turn++) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      let busy = false;
      for (const probe of this.#busy) busy ||= probe();
      if (!busy) return;
    }
    throw new Error(
      `VirtualClock: the loop was still busy after ${MAX_SETTLE_TURNS} turns; a callback keeps re-adding itself`,
    );
  }
}
