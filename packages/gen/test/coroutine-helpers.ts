/**
 * Helpers for the tests of the modern coroutine API: a current IOLoop on a virtual clock that is
 * closed when the test ends, a log capture, and small coroutines Tornado's gen_test.py uses
 * (`delay`, `asyncFuture`, `asyncException`).
 */

import { coroutine, moment } from '@tronada/gen';
import type { LogRecord, NamedLogger } from '@tronada/ioloop';
import { type Future, IOLoop, VirtualClock } from '@tronada/ioloop';
import { onTestFinished } from 'vitest';

/**
 * A fresh loop on a fresh virtual clock (starting at `start` seconds), made current; it is
 * closed and forgotten when the test ends.
 */
export function currentVirtualLoop(start = 0): { loop: IOLoop; clock: VirtualClock } {
  const clock = new VirtualClock(start);
  const loop = new IOLoop({ clock });
  loop.makeCurrent();
  onTestFinished(() => {
    loop.close();
    IOLoop.clearCurrent();
  });
  return { loop, clock };
}

/** Collects (and consumes) every record `logger` emits during the test. */
export function captureLog(logger: NamedLogger): LogRecord[] {
  const records: LogRecord[] = [];
  const remove = logger.addHandler((record) => {
    records.push(record);
    return true;
  });
  onTestFinished(remove);
  return records;
}

/** Resolves with `value` after `iterations` loop iterations (Tornado's `delay`). */
export const delay = coroutine(function* delay<T>(iterations: number, value: T) {
  for (let i = 0; i < iterations; i++) yield moment;
  return value;
});

/** Resolves with `value` one loop iteration later (Tornado's `async_future`). */
export const asyncFuture = coroutine(function* asyncFuture<T>(value: T) {
  yield moment;
  return value;
});

/** Fails with `error` one loop iteration later (Tornado's `async_exception`). */
export const asyncException = coroutine(function* asyncException(error: Error) {
  yield moment;
  throw error;
});

/**
 * Watches `future` the way a coroutine yielding it would, so that a failure it gets while the
 * test advances the clock counts as observed (not as an unhandled rejection); returns it.
 */
export function watched<F extends Future<unknown>>(future: F): F {
  future.addDoneCallback(() => undefined);
  return future;
}
