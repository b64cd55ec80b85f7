/**
 * Type-level guarantees, checked by `tsc -b packages/gen/test` (and run by vitest, where the
 * values are checked too): `yield*` is typed, `multi` keeps tuple and record types, coroutine
 * keeps parameter and `this` types, and `Future<T>` is covariant.
 */

import type { CoroutineFunction } from '@tronada/gen';
import {
  convertYielded,
  coroutine,
  maybeFuture,
  multi,
  sleep,
  WaitIterator,
  withTimeout,
} from '@tronada/gen';
import { Future } from '@tronada/ioloop';
import { describe, expect, expectTypeOf, test } from 'vitest';
import { currentVirtualLoop } from './coroutine-helpers.js';

describe('yield* typing', () => {
  test('const r = yield* future is typed as the Future result', () => {
    currentVirtualLoop();
    const c = coroutine(function* () {
      const n = yield* Future.resolved(41);
      expectTypeOf(n).toEqualTypeOf<number>();
      const s = yield* Future.resolved('text');
      expectTypeOf(s).toEqualTypeOf<string>();
      return n + s.length;
    });
    expectTypeOf(c).toEqualTypeOf<CoroutineFunction<unknown, [], number>>();
    expectTypeOf(c()).toEqualTypeOf<Future<number>>();
    expect(c().result()).toBe(45);
  });

  test('yield* on another coroutine call gives its return type', () => {
    currentVirtualLoop();
    const inner = coroutine(function* (x: number) {
      yield* sleep(0);
      return { doubled: x * 2 };
    });
    const outer = coroutine(function* () {
      const r = yield* inner(2);
      expectTypeOf(r).toEqualTypeOf<{ doubled: number }>();
      return r.doubled;
    });
    expectTypeOf(outer).returns.toEqualTypeOf<Future<number>>();
  });

  test('a plain yield gives unknown', () => {
    coroutine(function* () {
      const r = yield Future.resolved(1);
      expectTypeOf(r).toBeUnknown();
    });
  });
});

describe('coroutine signatures', () => {
  test('keep the parameters and type this', () => {
    class Handler {
      prefix = '>';
      get = coroutine(function* (this: Handler, id: number, verbose?: boolean) {
        yield* sleep(0);
        return `${this.prefix}${id}${verbose === true ? '!' : ''}`;
      });
    }
    expectTypeOf<Handler['get']>().parameter(0).toEqualTypeOf<number>();
    expectTypeOf<Handler['get']>().toBeCallableWith(1);
    expectTypeOf<Handler['get']>().toBeCallableWith(1, true);
    expectTypeOf<Handler['get']>().returns.toEqualTypeOf<Future<string>>();
    expectTypeOf<Handler['get']>().thisParameter.toEqualTypeOf<Handler>();
  });

  test('a plain or async function gives a Future of its awaited result', () => {
    expectTypeOf(coroutine((x: number) => x * 2)).returns.toEqualTypeOf<Future<number>>();
    expectTypeOf(coroutine(async (x: string) => x.length)).returns.toEqualTypeOf<Future<number>>();
  });

  test('rejects wrong arguments', () => {
    // biome-ignore lint/correctness/useYield: a coroutine that never yields is the point
    const f = coroutine(function* (x: number) {
      return x;
    });
    // @ts-expect-error a string is not a number
    expectTypeOf(f).toBeCallableWith('one');
    expectTypeOf(f).toBeCallableWith(1);
  });
});

describe('multi typing', () => {
  test('an array of Futures gives a typed tuple', () => {
    const fa = Future.resolved(1);
    const fb = Future.resolved('b');
    const both = multi([fa, fb]);
    expectTypeOf(both).toEqualTypeOf<Future<[number, string]>>();
    expect(both.result()).toEqual([1, 'b']);
  });

  test('yield* multi destructures into typed elements', () => {
    coroutine(function* () {
      const [a, b] = yield* multi([Future.resolved(1), Promise.resolve(true)]);
      expectTypeOf(a).toEqualTypeOf<number>();
      expectTypeOf(b).toEqualTypeOf<boolean>();
    });
  });

  test('a record gives a record of results', () => {
    const rec = multi({ n: Future.resolved(1), s: Promise.resolve('s') });
    expectTypeOf(rec).toEqualTypeOf<Future<{ n: number; s: string }>>();
  });

  test('an array built at run time gives an array of results', () => {
    const list: Future<number>[] = [Future.resolved(1)];
    expectTypeOf(multi(list)).toEqualTypeOf<Future<number[]>>();
  });
});

describe('Future variance', () => {
  test('Future<number> is assignable to Future<unknown> (covariance)', () => {
    expectTypeOf<Future<number>>().toExtend<Future<unknown>>();
    expectTypeOf<Future<'a'>>().toExtend<Future<string>>();
    const general: Future<unknown> = Future.resolved(1);
    const futures: Future<unknown>[] = [Future.resolved(1), Future.resolved('x')];
    expect(general.result()).toBe(1);
    expect(futures).toHaveLength(2);
  });

  test('but not the other way round', () => {
    expectTypeOf<Future<unknown>>().not.toExtend<Future<number>>();
    expectTypeOf<Future<string>>().not.toExtend<Future<number>>();
  });

  test('a Future is PromiseLike, so await gives its result type', async () => {
    expectTypeOf<Future<number>>().toExtend<PromiseLike<number>>();
    const n = await Future.resolved(3);
    expectTypeOf(n).toEqualTypeOf<number>();
    expect(n).toBe(3);
  });
});

describe('other helpers', () => {
  test('withTimeout, maybeFuture, convertYielded and WaitIterator have the expected types', () => {
    expectTypeOf(withTimeout<number>).returns.toEqualTypeOf<Future<number>>();
    expectTypeOf(maybeFuture(1)).toEqualTypeOf<Future<number>>();
    expectTypeOf(convertYielded).returns.toEqualTypeOf<Future<unknown>>();
    const it = new WaitIterator(Future.resolved(1), Future.resolved(2));
    expectTypeOf(it.next()).toEqualTypeOf<Future<number>>();
    expectTypeOf(it.currentIndex).toEqualTypeOf<number | string | null>();
  });
});
