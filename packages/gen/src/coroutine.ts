/**
 * coroutine: turns a generator function into a function that returns a Future. The first step
 * runs synchronously, inside the call; `return v` resolves the Future with `v`, and an
 * exception (even one before the first yield) fails it rather than being thrown at the caller.
 * Plain and async functions may be wrapped too: their result becomes a Future.
 */
import { Future, isGeneratorObject, isThenable, toFuture } from '@tronada/ioloop';
import { Runner } from './runner.js';

const COROUTINE = Symbol.for('tronada.coroutine');

/** A generator function as `coroutine` takes it. */
export type GeneratorFunction<This, A extends unknown[], R> = (
  this: This,
  ...args: A
) => Generator<unknown, R, unknown>;

/** What `coroutine` returns: the same parameters, a Future of the result. */
export type CoroutineFunction<This, A extends unknown[], R> = (this: This, ...args: A) => Future<R>;

/**
 * Runs a generator object as a coroutine and returns the Future of its result.
 */
export function runGenerator<R>(
  gen: Generator<unknown, R, unknown>,
  name = 'coroutine',
): Future<R> {
  const result = new Future<R>();
  new Runner(gen, result, name).run();
  return result;
}

/**
 * Wraps a generator function (or a plain or async function) so that calling it runs it as a
 * coroutine and returns a Future of its result. Works on methods without decorator syntax
 * (`get = coroutine(function* (this: Handler) { ... })`) and as a TC39 method decorator.
 *
 * @see Tornado `tornado.gen.coroutine`
 */
export function coroutine<This, A extends unknown[], R>(
  fn: GeneratorFunction<This, A, R>,
  context?: ClassMethodDecoratorContext,
): CoroutineFunction<This, A, R>;
export function coroutine<This, A extends unknown[], R>(
  fn: (this: This, ...args: A) => R,
  context?: ClassMethodDecoratorContext,
): CoroutineFunction<This, A, Awaited<R>>;
export function coroutine<This, A extends unknown[], R>(
  fn: (this: This, ...args: A) => unknown,
  _context?: ClassMethodDecoratorContext,
): CoroutineFunction<This, A, R> {
  const name = fn.name || 'anonymous';
  const wrapped = function (this: This, ...args: A): Future<R> {
    let value: unknown;
    try {
      value = fn.apply(this, args);
    } catch (error) {
      return Future.rejected<R>(error);
    }
    if (isGeneratorObject(value))
      return runGenerator(value as Generator<unknown, R, unknown>, name);
    if (isThenable(value)) return toFuture(value as PromiseLike<R>);
    return Future.resolved(value as R);
  };
  Object.defineProperty(wrapped, 'name', { value: name });
  Object.defineProperty(wrapped, COROUTINE, { value: true });
  return wrapped;
}

/**
 * True for functions made by {@link coroutine}.
 *
 * @see Tornado `tornado.gen.is_coroutine_function`
 */
export function isCoroutineFunction(fn: unknown): boolean {
  return typeof fn === 'function' && (fn as unknown as Record<symbol, unknown>)[COROUTINE] === true;
}
