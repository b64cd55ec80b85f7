/**
 * What the IOLoop needs from time. {@link systemClock} in production; a `VirtualClock` in tests,
 * so timing logic is checked deterministically without sleeping.
 */
export interface Clock {
  /** The current time in seconds on a monotonic scale; `IOLoop.time()` returns this. */
  now(): number;
  /**
   * Arms a single wake-up: `wake` runs once, no earlier than `deadline` (seconds, on this clock's
   * scale). Returns a function that disarms it; disarming after it ran is a no-op.
   */
  wakeAt(deadline: number, wake: () => void): () => void;
}

const origin = performance.timeOrigin;

/**
 * The real clock: monotonic (`performance.now`) but on the Unix epoch scale, so `time()` is
 * close to `Date.now() / 1000` while never going backwards. Wake-ups use Node timers, which
 * keep the process alive while armed.
 */
export const systemClock: Clock = {
  now(): number {
    return (origin + performance.now()) / 1000;
  },
  wakeAt(deadline: number, wake: () => void): () => void {
    const delayMs = Math.max(0, Math.ceil((deadline - systemClock.now()) * 1000));
    const timer = setTimeout(wake, delayMs);
    return () => clearTimeout(timer);
  },
};
