import type { Runner } from './runner.js';

/**
 * A legacy yield point (Tornado 3/4): the runner calls `start(runner)` once after the yield,
 * then `isReady()` (maybe many times), then `getResult()` exactly once after `isReady()` has
 * returned true; `getResult()`'s value (or exception) is sent back into the generator.
 *
 * Implement it to write your own yield points; `Callback`, `Wait`, `WaitMany` and `Multi`
 * are built on it.
 *
 * @see Tornado `tornado.gen.YieldPoint` (removed in Tornado 6)
 */
export abstract class YieldPoint {
  /** Called once when the generator yields this point. */
  abstract start(runner: Runner<unknown>): void;
  /** True once `getResult()` may be called. */
  abstract isReady(): boolean;
  /** The value sent into the generator (or throws, to throw into it). */
  abstract getResult(): unknown;
}

/** True for a {@link YieldPoint} instance or any object with `start`, `isReady` and `getResult`. */
export function isYieldPoint(value: unknown): value is YieldPoint {
  if (value instanceof YieldPoint) return true;
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.start === 'function' &&
    typeof v.isReady === 'function' &&
    typeof v.getResult === 'function'
  );
}
