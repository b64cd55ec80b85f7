/**
 * Coroutine traces: an exception thrown into a coroutine at a `yield*` is annotated with where
 * that coroutine was suspended, so a failure that happened in a later loop turn still names the
 * user's code. The annotation is a {@link CoroutineTrace} in the error's `cause` chain (appended
 * after any cause the error already has), created only on the failure path: a successful yield
 * pays nothing.
 */

/** How many coroutine frames one error collects at most. */
const MAX_TRACES = 16;

/**
 * One coroutine an error passed through: its stack names the coroutine function and the line
 * of the `yield*` it was suspended at.
 */
export class CoroutineTrace extends Error {
  override readonly name = 'CoroutineTrace';
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
  const trace = new CoroutineTrace(message);
  if (below === null) trace.stack = `CoroutineTrace: ${message}`;
  else Error.captureStackTrace(trace, below);
  Object.defineProperty(holder, 'cause', {
    value: trace,
    writable: true,
    configurable: true,
    enumerable: false,
  });
}
