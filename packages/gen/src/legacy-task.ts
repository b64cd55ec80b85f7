/**
 * Task: adapts a function that takes a completion callback to a Future (Tornado 4 semantics).
 *
 * The function runs inside its own ExceptionStackContext, so a failure is caught wherever it
 * happens: thrown synchronously, or thrown later by a callback the function scheduled on the
 * loop (the loop binds every callback to the context it was scheduled in). Either fails the
 * Future if it is still pending; once the Future is done the context steps aside and later
 * exceptions travel on to the enclosing handlers (an `engine`, a request, or appLog).
 */
import { ExceptionStackContext, Future } from '@tronada/ioloop';
import { Arguments } from './arguments.js';

/**
 * What a callback called with arguments of types `P` yields: `undefined` for none, the value
 * for one, an {@link Arguments} for several (`unknown` when the count is not known).
 */
export type CallbackValue<P extends readonly unknown[]> = number extends P['length']
  ? unknown
  : P extends readonly []
    ? undefined
    : P extends readonly [infer X]
      ? X
      : P extends readonly [(infer X)?]
        ? X | undefined
        : Arguments;

const NOTHING = Symbol('nothing');

/** The one value a legacy callback's arguments turn into (Tornado's `_argument_adapter`). */
export function callbackValue(args: readonly unknown[]): unknown {
  if (args.length === 0) return undefined;
  if (args.length === 1) return args[0];
  return new Arguments([...args], {});
}

/**
 * Calls `fn(...args, callback)` inside a fresh exception context and returns a Future that
 * `settle` completes from the callback's arguments, or that fails with an exception from `fn`
 * or from a callback it scheduled. Only the first outcome counts.
 */
export function callWithCallback<T>(
  fn: (...args: never[]) => unknown,
  args: readonly unknown[],
  settle: (future: Future<T>, results: unknown[]) => void,
): Future<T> {
  const future = new Future<T>();
  const context = new ExceptionStackContext((error) => {
    if (future.done()) return false;
    future.setException(error);
    context.deactivate();
    return true;
  });
  const callback = (...results: unknown[]): void => {
    if (future.done()) return;
    settle(future, results);
    context.deactivate();
  };
  let thrown: unknown = NOTHING;
  context.run(() => {
    // Caught here rather than by run(), so that only this context (not the enclosing ones)
    // sees a synchronous exception, as with Tornado's `with ExceptionStackContext(...)`.
    try {
      (fn as (...a: unknown[]) => unknown)(...args, callback);
    } catch (error) {
      thrown = error;
    }
  });
  if (thrown !== NOTHING) {
    if (future.done()) throw thrown;
    future.setException(thrown);
    context.deactivate();
  }
  return future;
}

/**
 * Calls `fn(...args, callback)` and returns a Future of what `callback` is called with: no
 * argument gives `undefined`, one gives it, several give an {@link Arguments}. The callback
 * is always the last argument (JavaScript has no `callback=` keyword). If `fn` throws, or a
 * callback it scheduled on the loop later throws, the Future fails; a second call of the
 * callback, or an exception after the result, does not change it.
 *
 * Yield it in an `engine` or a `coroutine` (`yield* Task(fn, a)` is typed), or `await` it.
 * Pass bound functions: `Task((cb) => loop.addCallback(cb))` or `Task(obj.method.bind(obj))`.
 *
 * @see Tornado `tornado.gen.Task` (a function returning a Future since Tornado 4.0; removed in
 * Tornado 6)
 */
export function Task<A extends unknown[], P extends unknown[]>(
  fn: (...args: [...A, (...results: P) => void]) => unknown,
  ...args: A
): Future<CallbackValue<P>> {
  return callWithCallback<CallbackValue<P>>(
    fn as (...args: never[]) => unknown,
    args,
    (future, results) => future.setResult(callbackValue(results) as CallbackValue<P>),
  );
}
