/**
 * Coroutine traces: an exception thrown into a coroutine at a `yield*` is annotated with where
 * that coroutine was suspended, so a failure that happened in a later loop turn still names the
 * user's code. The annotation is a {@link CoroutineTrace} in the error's `cause` chain (appended
 * after any cause the error already has), created only on the failure path: a successful yield
 * pays nothing.
 */

/** How many coroutine frames one error collects at most. */
const MAX_TRACES = 16;
/** Stack frames kept per trace: the coroutine's frame and a few callers. */
const TRACE_FRAMES = 4;

/**
 * One coroutine an error passed through: its stack names the coroutine function and the line
 * of the `yield*` it was suspended at.
 */
export class CoroutineTrace extends Error {
  static {
    Object.defineProperty(CoroutineTrace.prototype, 'name', {
      value: 'CoroutineTrace',
      writable: true,
      configurable: true,
    });
  }
}

/**
 * Appends a {@link CoroutineTrace} to `error`'s cause chain: with `below`, its stack is captured
 * at the caller's frame (minus `below` and what it called); with `null`, it carries the message
 * only. Does nothing for primitives, frozen objects or a chain already full.
 */
export function recordCoroutineTrace(
  error: unknown,
  message: string,
  below: ((...args: never[]) => unknown) | null,
): void {
  if (typeof error !== 'object' || error === null) return;
  let holder = error as { cause?: unknown };
  for (let depth = 0; Object.hasOwn(holder, 'cause') && holder.cause !== undefined; depth++) {
    const next = holder.cause;
    if (depth >= MAX_TRACES || typeof next !== 'object' || next === null) return;
    holder = next as { cause?: unknown };
  }
  if (!Object.isExtensible(holder)) return;
  // Built without the Error constructor (whose own stack capture would be wasted) and
  // captured once, with a short frame limit: only the coroutine's frame and a few callers.
  const trace = Object.create(CoroutineTrace.prototype) as CoroutineTrace;
  Object.defineProperty(trace, 'message', { value: message, writable: true, configurable: true });
  if (below === null) {
    Object.defineProperty(trace, 'stack', {
      value: `CoroutineTrace: ${message}`,
      writable: true,
      configurable: true,
    });
  } else {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = TRACE_FRAMES;
    Error.captureStackTrace(trace, below);
    Error.stackTraceLimit = limit;
  }
  Object.defineProperty(holder, 'cause', {
    value: trace,
    writable: true,
    configurable: true,
    enumerable: false,
  });
}
