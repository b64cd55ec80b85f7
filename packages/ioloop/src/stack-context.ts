/**
 * Stack contexts: Tornado's way of routing an exception raised in a later callback back to the
 * code that scheduled it (an `engine` function, a `Task`, a legacy request handler), rebuilt on
 * Node's `AsyncLocalStorage`.
 *
 * An {@link ExceptionStackContext} runs a function with a handler in scope. Every callback the
 * loop schedules meanwhile (`addCallback`, timers, handlers, and anything passed through
 * {@link wrap}) remembers that scope and, when it later throws, offers the exception to the
 * handler first (then to enclosing handlers). A handler returns `true` to swallow it.
 *
 * The storage is created on first use, so code that never uses stack contexts pays nothing:
 * `wrap` is then an identity function.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

/** Handles an exception from a callback scheduled in its scope; `true` swallows it. */
export type StackContextHandler = (error: unknown) => boolean | undefined;

interface Frame {
  readonly context: ExceptionStackContext | null;
  readonly parent: Frame | null;
}

const WRAPPED = Symbol('tronada.stack-context.wrapped');
let storage: AsyncLocalStorage<Frame | null> | null = null;

function currentFrame(): Frame | null {
  return storage === null ? null : (storage.getStore() ?? null);
}

function offer(frame: Frame | null, error: unknown): { handled: boolean; error: unknown } {
  let current = error;
  for (let f = frame; f !== null; f = f.parent) {
    const ctx = f.context;
    if (ctx === null) break;
    if (!ctx.active) continue;
    try {
      if (ctx.handler(current) === true) return { handled: true, error: current };
    } catch (raised) {
      current = raised;
    }
  }
  return { handled: false, error: current };
}

/**
 * Runs code with an exception handler that also covers the callbacks it schedules.
 *
 * @see Tornado `tornado.stack_context.ExceptionStackContext` (removed in Tornado 6)
 */
export class ExceptionStackContext {
  /** The handler; returns `true` to swallow the exception. */
  readonly handler: StackContextHandler;
  #active = true;

  constructor(handler: StackContextHandler) {
    this.handler = handler;
  }

  /** False after {@link deactivate}: callbacks scheduled in scope no longer reach the handler. */
  get active(): boolean {
    return this.#active;
  }

  /**
   * Runs `fn` with this context in scope. An exception `fn` throws synchronously is offered to
   * the handler too: if swallowed, `run` returns `undefined`.
   */
  run<R>(fn: () => R): R | undefined {
    storage ??= new AsyncLocalStorage<Frame | null>();
    const frame: Frame = { context: this, parent: currentFrame() };
    return storage.run(frame, () => {
      try {
        return fn();
      } catch (error) {
        const outcome = offer(frame, error);
        if (outcome.handled) return undefined;
        throw outcome.error;
      }
    });
  }

  /** Stops routing exceptions to this handler (Tornado's deactivate callback). */
  deactivate(): void {
    this.#active = false;
  }
}

/**
 * Runs `fn` outside every stack context, so shared resources (pools, caches) do not carry one
 * request's handler into another's callbacks.
 *
 * @see Tornado `tornado.stack_context.NullContext`
 */
export function runInNullContext<R>(fn: () => R): R {
  if (storage === null) return fn();
  return storage.run(null, fn);
}

/**
 * `setImmediate(fn)` outside every stack context: what the loop uses for its own turns, so a
 * batch of callbacks never inherits the context of whoever happened to schedule it.
 */
export function setImmediateOutsideContext(fn: () => void): NodeJS.Immediate {
  if (storage === null) return setImmediate(fn);
  return storage.run(null, setImmediate, fn);
}

/**
 * Binds `fn` to the current stack context: when called later it runs in that scope, and an
 * exception it throws is offered to the scope's handlers before propagating. Without an active
 * context, returns `fn` itself.
 *
 * @see Tornado `tornado.stack_context.wrap`
 */
export function wrap<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R | undefined {
  if (storage === null) return fn;
  const frame = storage.getStore() ?? null;
  if (frame === null || (fn as unknown as Record<symbol, unknown>)[WRAPPED] === true) return fn;
  const store = storage;
  const wrapped = (...args: A): R | undefined =>
    store.run(frame, () => {
      try {
        return fn(...args);
      } catch (error) {
        const outcome = offer(frame, error);
        if (outcome.handled) return undefined;
        throw outcome.error;
      }
    });
  Object.defineProperty(wrapped, WRAPPED, { value: true });
  Object.defineProperty(wrapped, 'name', { value: fn.name });
  return wrapped;
}

/** True while code runs inside an active {@link ExceptionStackContext}. */
export function hasStackContext(): boolean {
  const frame = currentFrame();
  return frame !== null && frame.context !== null;
}
