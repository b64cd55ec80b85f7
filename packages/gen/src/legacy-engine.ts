/**
 * engine: Tornado's callback-style generator runner (Tornado 3/4 `gen.engine`).
 *
 * A call runs the generator on a fresh Runner inside an ExceptionStackContext whose handler
 * throws an exception from any callback scheduled meanwhile into the generator, at the yield
 * it is suspended at. The call returns nothing: an engine function reports its outcome through
 * a callback it was given. How a failure leaves depends on when it happens:
 *
 * - while the call is still on the stack (before the first yield that has to wait), it is
 *   thrown to the caller, synchronously;
 * - later, it goes to the stack context that was active when the function was called (a
 *   `Task` waiting for it, a request, a test), as Tornado did by wrapping its final callback at
 *   call time; with no such context, or if no handler takes it, it is logged on `appLog`.
 *
 * Returning a value (other than `undefined`) is an error, `ReturnValueIgnoredError`, routed
 * the same way. When the generator finishes, the context is deactivated, so exceptions from
 * callbacks it left behind go on to the enclosing handlers.
 */
import { appLog, ExceptionStackContext, Future, isGeneratorObject, wrap } from '@tronada/ioloop';
import { ReturnValueIgnoredError } from './errors.js';
import { Runner } from './runner.js';

const NOTHING = Symbol('nothing');

/** The generator function `engine` takes; it returns nothing (results go to callbacks). */
export type EngineFunction<This, A extends unknown[]> = (
  this: This,
  ...args: A
) => Generator<unknown, void, unknown>;

/** What `engine` returns: the same parameters, no result. */
export type EngineWrapper<This, A extends unknown[]> = (this: This, ...args: A) => void;

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    return `${value.constructor?.name ?? 'Object'} instance`;
  }
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

function ignoredValue(value: unknown): ReturnValueIgnoredError {
  return new ReturnValueIgnoredError(
    `engine functions cannot return values: ${describe(value)}; pass the result to a callback, or use coroutine() to return it`,
  );
}

/** The failure a finished engine generator reports, or NOTHING. */
function failureOf(result: Future<unknown>): unknown {
  const error = result.exception();
  if (error !== null) return error;
  const value = result.result();
  return value === undefined ? NOTHING : ignoredValue(value);
}

function rethrow(error: unknown): never {
  throw error;
}

/**
 * Wraps a generator function so that each call runs it as a legacy engine coroutine: it may
 * yield `Task`s, `Callback`/`Wait`/`WaitMany`, `Multi`, Futures, Promises, arrays and records
 * of those, like a `coroutine`, but the call returns `undefined` and completion is signalled by
 * a callback the function calls itself. Each call gets a fresh runner, so the function is
 * re-entrant. Works on methods without decorator syntax (`get = engine(function* (this: H) {})`).
 * It also has a TC39 method decorator's shape, so `@engine` works at runtime, but TypeScript
 * rejects it there: a decorator may not change a method's return type.
 *
 * An exception before the generator first waits is thrown to the caller; a later one goes to
 * the stack context active at call time, else to `appLog`. An exception raised in a callback
 * the function scheduled (directly, or through a `Callback`) is thrown into the generator at
 * its current yield. Returning a value throws `ReturnValueIgnoredError` (routed the same way).
 *
 * @see Tornado `tornado.gen.engine` (removed in Tornado 6)
 */
export function engine<This, A extends unknown[]>(
  fn: EngineFunction<This, A>,
  context?: ClassMethodDecoratorContext,
): EngineWrapper<This, A>;
/** A plain (non-generator) function may be wrapped too; it runs once, like a generator that never yields. */
export function engine<This, A extends unknown[]>(
  fn: (this: This, ...args: A) => void,
  context?: ClassMethodDecoratorContext,
): EngineWrapper<This, A>;
export function engine<This, A extends unknown[]>(
  fn: (this: This, ...args: A) => unknown,
  _context?: ClassMethodDecoratorContext,
): EngineWrapper<This, A> {
  const name = fn.name || 'anonymous';
  const wrapped = function (this: This, ...args: A): void {
    // Bound now, outside our own context: a failure after the call returns goes where an
    // exception from this call site would have gone (Tornado wraps its final callback here).
    const report = wrap(rethrow);
    let runner: Runner<unknown> | null = null;
    const context = new ExceptionStackContext((error) => runner?.handleException(error) === true);
    let failure: unknown = NOTHING;
    let waiting = false;
    context.run(() => {
      let value: unknown;
      // Caught here so that a synchronous failure propagates to the caller as it is, without
      // being offered to the enclosing handlers first.
      try {
        value = fn.apply(this, args);
      } catch (error) {
        failure = error;
        return;
      }
      if (!isGeneratorObject(value)) {
        if (value !== undefined) failure = ignoredValue(value);
        return;
      }
      const result = new Future<unknown>();
      runner = new Runner(value, result, name);
      runner.run();
      if (result.done()) {
        failure = failureOf(result);
        return;
      }
      waiting = true;
      result.addDoneCallback((done) => {
        context.deactivate();
        const late = failureOf(done);
        if (late === NOTHING) return;
        try {
          report(late);
        } catch (unhandled) {
          appLog.error(`Uncaught exception in engine function ${name}`, unhandled);
        }
      });
    });
    if (!waiting) context.deactivate();
    if (failure !== NOTHING) throw failure;
  };
  Object.defineProperty(wrapped, 'name', { value: name });
  return wrapped;
}
