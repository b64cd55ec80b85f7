/**
 * Multi: Tornado 4.5's `gen.Multi`, which picks the legacy or the modern implementation by
 * what it is given.
 */
import type { Future } from '@tronada/ioloop';
import type { MultiArrayResult, MultiOptions, MultiRecordResult } from './multi.js';
import { multi } from './multi.js';
import { MultiYieldPoint } from './multi-yield-point.js';
import type { YieldPoint } from './yield-point.js';
import { isYieldPoint } from './yield-point.js';

type Children = readonly unknown[] | Record<string, unknown>;
type ChildValue<T extends Children> = T extends readonly unknown[] ? T[number] : T[keyof T];
type ModernResult<T extends Children> = T extends readonly unknown[]
  ? Future<MultiArrayResult<T>>
  : T extends Record<string, unknown>
    ? Future<MultiRecordResult<T>>
    : never;

/**
 * What {@link Multi} returns for `T`: a {@link MultiYieldPoint} if a child is a
 * {@link YieldPoint}, the `multi()` Future if none can be, either if the types cannot tell.
 */
export type MultiResult<T extends Children> =
  unknown extends ChildValue<T>
    ? ModernResult<T> | MultiYieldPoint
    : [Extract<ChildValue<T>, YieldPoint>] extends [never]
      ? ModernResult<T>
      : MultiYieldPoint;

/**
 * Runs an array or record of children in parallel. If any child is a legacy
 * {@link YieldPoint} (`Wait`, `Callback`, your own), returns a {@link MultiYieldPoint} to yield
 * from an `engine` or `coroutine`; otherwise returns `multi(children, options)`, a Future. Both
 * give the results in the input's shape, raise the first failure and log later ones on `appLog`
 * unless they are instances of `quietExceptions`. Yielding a bare array or record does the
 * same.
 *
 * @see Tornado `tornado.gen.Multi` (`Multi = multi` since Tornado 4.3; removed in Tornado 6)
 */
export function Multi<const T extends Children>(
  children: T,
  options: MultiOptions = {},
): MultiResult<T> {
  const values: readonly unknown[] = Array.isArray(children) ? children : Object.values(children);
  if (values.some(isYieldPoint)) return new MultiYieldPoint(children, options) as MultiResult<T>;
  return multi(children as Record<string, unknown>, options) as MultiResult<T>;
}
