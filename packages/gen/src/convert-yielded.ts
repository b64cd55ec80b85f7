/**
 * convertYielded: the one place that decides what a coroutine may yield. Futures pass through;
 * Promises and thenables become Futures; arrays and plain objects run in parallel through
 * `multi`; `null`/`undefined` mean `moment`. Other kinds can be taught with
 * {@link registerYieldable} (Tornado's `convert_yielded.register`).
 */
import { BadYieldError, Future, isFuture, isThenable, toFuture } from '@tronada/ioloop';
import { moment } from './moment.js';
import { multi } from './multi.js';

type Converter = {
  readonly test: (value: unknown) => boolean;
  readonly convert: (value: unknown) => Future<unknown>;
};
const converters: Converter[] = [];

/** True for arrays' plain-object cousins: `{}` literals and `Object.create(null)`. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'function') return `function ${value.name || '(anonymous)'}`;
  if (typeof value === 'object' && value !== null)
    return `${value.constructor?.name ?? 'Object'} instance`;
  return String(value);
}

/**
 * Teaches coroutines to yield another kind of value: when `test(value)` is true, `convert`
 * turns it into a Future.
 *
 * @see Tornado `convert_yielded.register`
 */
export function registerYieldable<T>(
  test: (value: unknown) => value is T,
  convert: (value: T) => Future<unknown>,
): void {
  converters.push({ test, convert: convert as (value: unknown) => Future<unknown> });
}

/**
 * Converts a yielded value to a Future, or throws `BadYieldError` naming what arrived and what
 * is allowed.
 *
 * @see Tornado `tornado.gen.convert_yielded`
 */
export function convertYielded(value: unknown): Future<unknown> {
  if (isFuture(value)) return value;
  if (value === null || value === undefined) return moment;
  if (isThenable(value)) return toFuture(value);
  if (Array.isArray(value) || isPlainObject(value)) return multi(value as unknown[]);
  for (const c of converters) if (c.test(value)) return c.convert(value);
  throw new BadYieldError(
    `yielded unknown object ${describe(value)}; a coroutine may yield a Future, a Promise or thenable, an array or plain object of those, a YieldPoint, moment or null`,
  );
}

/**
 * Wraps a value in a Future: a Future is returned as it is, a thenable is converted, anything
 * else becomes a resolved Future.
 *
 * @see Tornado `tornado.gen.maybe_future` (deprecated there too)
 */
export function maybeFuture<T>(value: T | PromiseLike<T> | Future<T>): Future<T> {
  if (isFuture(value)) return value as Future<T>;
  if (isThenable(value)) return toFuture(value as PromiseLike<T>);
  return Future.resolved(value as T);
}
