/**
 * withTimeout and the timeout convention shared by locks and queues: a plain number is a
 * relative timeout in seconds; `{ deadline }` is an absolute loop time (`IOLoop.time()`).
 */
import {
  appLog,
  CancelledError,
  chainFuture,
  Future,
  futureAddDoneCallback,
  IOLoop,
  TimeoutError,
} from '@tronada/ioloop';
import { convertYielded } from './convert-yielded.js';
import type { MultiOptions } from './multi.js';
import { isQuietException } from './multi.js';

/** A timeout: relative seconds, or an absolute loop time as `{ deadline }`. */
export type Timeout = number | { readonly deadline: number };

/** The absolute loop time a {@link Timeout} ends at. */
export function deadlineOf(timeout: Timeout, loop: IOLoop = IOLoop.current()): number {
  return typeof timeout === 'number' ? loop.time() + timeout : timeout.deadline;
}

/** Options of {@link withTimeout}. */
export interface WithTimeoutOptions {
  /** A late failure of these classes (after the timeout) is not logged. */
  quietExceptions?: MultiOptions['quietExceptions'];
}

/**
 * Resolves like `future`, or fails with `TimeoutError` if it is not done by `timeout`. The
 * wrapped future is not cancelled; if it fails after the timeout, its error is logged unless it
 * is a cancellation or listed in `quietExceptions`.
 *
 * @see Tornado `tornado.gen.with_timeout`
 */
export function withTimeout<T>(
  timeout: Timeout,
  future: Future<T> | PromiseLike<T>,
  options: WithTimeoutOptions = {},
): Future<T> {
  const inner = convertYielded(future) as Future<T>;
  const result = new Future<T>();
  chainFuture(inner, result);
  const loop = IOLoop.current();
  const logLateFailure = (f: Future<T>): void => {
    if (f.cancelled()) return;
    const error = f.exception();
    if (error === null || error instanceof CancelledError) return;
    if (!isQuietException(error, options.quietExceptions)) {
      appLog.error('Exception in Future after timeout', error);
    }
  };
  const handle = loop.callAt(deadlineOf(timeout, loop), () => {
    if (!result.done()) result.setException(new TimeoutError('Timeout'));
    inner.addDoneCallback(logLateFailure);
  });
  // Synchronous for an inner Future already done, so no timer outlives the call (Tornado).
  futureAddDoneCallback(inner, () => loop.removeTimeout(handle));
  return result;
}
