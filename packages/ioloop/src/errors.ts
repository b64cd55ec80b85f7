/**
 * The error classes of `@tronada/ioloop`, and {@link TronadaError}, the base every Tronada package
 * builds its errors on.
 */

const BRAND = Symbol.for('tronada.error');

/**
 * Base class of every error Tronada throws on purpose. Each subclass has a stable `code`.
 *
 * `instanceof` also works across duplicate copies of a package (two installed versions of
 * `@tronada/ioloop`): a branded error matches a class when a class of the same name stands in
 * its prototype chain.
 */
export abstract class TronadaError extends Error {
  /** A stable, machine-readable identifier of the condition, e.g. `ERR_STREAM_CLOSED`. */
  abstract readonly code: string;

  static override [Symbol.hasInstance](value: unknown): boolean {
    // biome-ignore lint/complexity/noThisInStatic lint/complexity/noUselessThisAlias: `this` is the class on the right of `instanceof` (usually a subclass), not TronadaError.
    const target = this;
    if (Function.prototype[Symbol.hasInstance].call(target, value)) return true;
    if (typeof value !== 'object' || value === null || !(BRAND in value)) return false;
    for (let p = Object.getPrototypeOf(value); p !== null; p = Object.getPrototypeOf(p)) {
      if (Object.hasOwn(p, 'constructor') && p.constructor.name === target.name) return true;
    }
    return false;
  }

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    Object.defineProperty(this, BRAND, { value: true });
  }
}

/**
 * A Future was cancelled: thrown by `result()` of a cancelled Future and delivered to those
 * awaiting it.
 *
 * @see Tornado `asyncio.CancelledError`
 */
export class CancelledError extends TronadaError {
  override readonly name = 'CancelledError';
  readonly code = 'ERR_CANCELLED';
  constructor(message = 'The operation was cancelled', options?: { cause?: unknown }) {
    super(message, options);
  }
}

/**
 * An operation did not finish in time (`runSync`, `withTimeout`, lock and queue timeouts).
 *
 * @see Tornado `tornado.util.TimeoutError`
 */
export class TimeoutError extends TronadaError {
  override readonly name = 'TimeoutError';
  readonly code = 'ERR_TIMEOUT';
  constructor(message = 'Timeout', options?: { cause?: unknown }) {
    super(message, options);
  }
}

/**
 * A Future was used in a state that does not allow the call: reading the result of a pending
 * Future, or resolving one that is already done.
 *
 * @see Tornado `asyncio.InvalidStateError`
 */
export class InvalidStateError extends TronadaError {
  override readonly name = 'InvalidStateError';
  readonly code = 'ERR_INVALID_STATE';
}

/**
 * The IOLoop was used after `close()`, or started while already running.
 */
export class IOLoopStateError extends TronadaError {
  override readonly name = 'IOLoopStateError';
  readonly code = 'ERR_IOLOOP_STATE';
}

/**
 * A coroutine yielded (or `runSync` got back) something that is not a Future, a Promise or
 * thenable, an array or record of those, a YieldPoint, `moment` or `null`. It is thrown into the
 * generator at the `yield`, where it can be caught.
 *
 * @see Tornado `tornado.gen.BadYieldError`
 */
export class BadYieldError extends TronadaError {
  override readonly name = 'BadYieldError';
  readonly code = 'ERR_BAD_YIELD';
}
