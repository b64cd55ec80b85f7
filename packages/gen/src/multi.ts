/**
 * multi: wait for several yieldables in parallel. The result has the input's shape (an array in
 * input order, or a record with the same keys), whatever order the children finish in. It
 * waits for every child; the first failure (in input order) fails the result and later ones are
 * logged on `appLog` unless they are instances of `quietExceptions`. Children that are already
 * done are consumed synchronously.
 */
import {
  appLog,
  Future,
  futureAddDoneCallback,
  futureSetResultUnlessCancelled,
} from '@tronada/ioloop';
import { convertYielded } from './convert-yielded.js';

/** An error class, for `quietExceptions`. */
export type ErrorClass = abstract new (...args: never[]) => unknown;

/** Options of {@link multi}. */
export interface MultiOptions {
  /** Failures of these classes after the first are not logged. */
  quietExceptions?: ErrorClass | readonly ErrorClass[];
}

type Awaitedish<T> = T extends Future<infer U> ? U : Awaited<T>;

/** Results of `multi` over an array: a tuple of each element's result type. */
export type MultiArrayResult<T extends readonly unknown[]> = {
  -readonly [K in keyof T]: Awaitedish<T[K]>;
};
/** Results of `multi` over a record: each key's result type. */
export type MultiRecordResult<T extends Record<string, unknown>> = {
  [K in keyof T]: Awaitedish<T[K]>;
};

/** True if `error` is an instance of one of the `quietExceptions` classes. */
export function isQuietException(error: unknown, quiet: MultiOptions['quietExceptions']): boolean {
  if (quiet === undefined) return false;
  const classes = Array.isArray(quiet) ? quiet : [quiet as ErrorClass];
  return classes.some((cls) => error instanceof (cls as abstract new () => unknown));
}

/**
 * Runs an array or record of yieldables in parallel and resolves with their results in the same
 * shape.
 *
 * @see Tornado `tornado.gen.multi` (also `multi_future`)
 */
export function multi<const T extends readonly unknown[]>(
  children: T,
  options?: MultiOptions,
): Future<MultiArrayResult<T>>;
export function multi<T extends Record<string, unknown>>(
  children: T,
  options?: MultiOptions,
): Future<MultiRecordResult<T>>;
export function multi(
  children: readonly unknown[] | Record<string, unknown>,
  options: MultiOptions = {},
): Future<unknown> {
  const keys = Array.isArray(children) ? null : Object.keys(children);
  const values: readonly unknown[] =
    keys === null ? (children as readonly unknown[]) : Object.values(children);
  const futures = values.map(convertYielded);
  const result = new Future<unknown>();
  if (futures.length === 0) {
    result.setResult(keys === null ? [] : {});
    return result;
  }
  const unfinished = new Set(futures);
  const onChildDone = (child: Future<unknown>): void => {
    unfinished.delete(child);
    if (unfinished.size > 0) return;
    const out: unknown[] = [];
    for (const f of futures) {
      let error: unknown = null;
      if (f.cancelled()) error = safeException(f);
      else error = f.exception();
      if (error === null) {
        out.push(f.result());
      } else if (result.done()) {
        if (!isQuietException(error, options.quietExceptions))
          appLog.error('Multiple exceptions in yield list', error);
      } else {
        result.setException(error);
      }
    }
    if (result.done()) return;
    if (keys === null) {
      futureSetResultUnlessCancelled(result, out);
    } else {
      // fromEntries defines own properties, so a key named `__proto__` stays a key.
      futureSetResultUnlessCancelled(result, Object.fromEntries(keys.map((k, i) => [k, out[i]])));
    }
  };
  for (const f of new Set(futures)) futureAddDoneCallback(f, onChildDone);
  return result;
}

function safeException(f: Future<unknown>): unknown {
  try {
    f.result();
    return null;
  } catch (error) {
    return error;
  }
}
