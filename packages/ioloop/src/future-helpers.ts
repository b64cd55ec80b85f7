/**
 * Helpers over Futures, as in Tornado's `tornado.concurrent`.
 */
import { Future, isFuture } from './future.js';

/**
 * Converts a Future, Promise or thenable to a Future (a Future is returned as it is).
 */
export function toFuture<T>(value: Future<T> | PromiseLike<T>): Future<T> {
  if (isFuture(value)) return value as Future<T>;
  const future = new Future<T>();
  value.then(
    (v) => futureSetResultUnlessCancelled(future, v),
    (e: unknown) => futureSetExceptionUnlessCancelled(future, e),
  );
  return future;
}

/**
 * Copies the outcome of `source` to `target` when `source` is done (result, exception, or
 * cancellation); a source that is already done is copied at once, inside the call, as Tornado
 * does. If `target` is already done (for example cancelled), nothing is copied. `source` may be
 * a Promise.
 *
 * @see Tornado `tornado.concurrent.chain_future`
 */
export function chainFuture<T>(source: Future<T> | PromiseLike<T>, target: Future<T>): void {
  const from = toFuture(source);
  futureAddDoneCallback(from, (f) => {
    if (target.done()) return;
    if (f.cancelled()) target.cancel();
    else if (f.exception() !== null) target.setException(f.exception());
    else target.setResult(f.result());
  });
}

/**
 * Sets `future`'s result unless it was cancelled (avoiding an `InvalidStateError`).
 *
 * @see Tornado `tornado.concurrent.future_set_result_unless_cancelled`
 */
export function futureSetResultUnlessCancelled<T>(future: Future<T>, value: T): void {
  if (!future.cancelled()) future.setResult(value);
}

/**
 * Sets `future`'s exception unless it was cancelled.
 *
 * @see Tornado `tornado.concurrent.future_set_exception_unless_cancelled`
 */
export function futureSetExceptionUnlessCancelled(future: Future<unknown>, error: unknown): void {
  if (!future.cancelled()) future.setException(error);
}

/**
 * Calls `callback(future)` when `future` is done: at once, synchronously, if it is done already
 * (unlike `addDoneCallback`, which always waits for a microtask).
 *
 * @see Tornado `tornado.concurrent.future_add_done_callback`
 */
export function futureAddDoneCallback<T>(
  future: Future<T>,
  callback: (future: Future<T>) => void,
): void {
  if (future.done()) callback(future);
  else future.addDoneCallback(callback);
}
