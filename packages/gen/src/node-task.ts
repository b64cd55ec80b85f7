/**
 * nodeTask: `Task` for Node's error-first callbacks, so any callback-style Node API can be
 * yielded from a coroutine or an engine (or awaited) without writing an adapter.
 */
import type { Future } from '@tronada/ioloop';
import type { CallbackValue } from './legacy-task.js';
import { callbackValue, callWithCallback } from './legacy-task.js';

/**
 * A Node-style completion callback: an error (or `null`) first, then the result value(s) `P`.
 * `nodeTask` resolves with `CallbackValue<P>`: the value for one, `undefined` for none, an
 * `Arguments` for several.
 */
export type NodeCallback<P extends unknown[]> = (error: unknown, ...values: P) => void;

/**
 * Calls `fn(...args, (error, value) => …)` and returns a Future of `value`. A truthy `error`
 * fails the Future with it (the rule `util.promisify` uses); a callback called with several
 * values resolves with an `Arguments` of all of them, where `util.promisify` would drop
 * all but the first. As with `Task`, a synchronous throw from `fn` or an exception from a
 * callback `fn` scheduled on the loop fails the Future, and only the first outcome counts.
 *
 * ```ts
 * import { readFile } from 'node:fs';
 * const bytes = yield* nodeTask(readFile, '/etc/hostname'); // Buffer
 * ```
 *
 * TypeScript types an overloaded function by its last overload (`readFile(path, callback)`
 * gives a Buffer); to pick another, pass an arrow with a typed callback:
 * `nodeTask((cb: (e: Error | null, text: string) => void) => readFile(p, 'utf8', cb))`.
 * Pass bound functions for methods: `nodeTask(socket.write.bind(socket), data)`.
 *
 * @see Tornado `tornado.gen.Task` (Tornado callbacks had no error argument; this is its
 * counterpart for Node's convention)
 */
export function nodeTask<A extends unknown[], P extends unknown[]>(
  fn: (...args: [...A, NodeCallback<P>]) => unknown,
  ...args: A
): Future<CallbackValue<P>> {
  return callWithCallback<CallbackValue<P>>(
    fn as (...args: never[]) => unknown,
    args,
    (future, results) => {
      const [error, ...values] = results;
      if (error) future.setException(error);
      else future.setResult(callbackValue(values) as CallbackValue<P>);
    },
  );
}
