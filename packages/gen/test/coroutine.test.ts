/**
 * coroutine(): what calling a wrapped function gives back (Tornado's GenBasicTest and
 * GenCoroutineTest, the parts that are not about one kind of yieldable).
 */

import { coroutine, isCoroutineFunction, moment, sleep } from '@tronada/gen';
import { type Future, isFuture } from '@tronada/ioloop';
import { describe, expect, test } from 'vitest';
import { asyncFuture, currentVirtualLoop } from './coroutine-helpers.js';

describe('coroutine results', () => {
  test('a coroutine without a yield resolves with undefined inside the call', () => {
    currentVirtualLoop();
    const f = coroutine(function* () {})();
    expect(isFuture(f)).toBe(true);
    expect(f.done()).toBe(true);
    expect(f.result()).toBeUndefined();
  });

  test('return gives the result, synchronously when nothing was waited for', () => {
    currentVirtualLoop();
    // biome-ignore lint/correctness/useYield: a coroutine that never yields is the point
    const f = coroutine(function* () {
      return 42;
    })();
    expect(f.result()).toBe(42);
  });

  test('return after a yield resolves the Future once the loop has run', async () => {
    currentVirtualLoop();
    const f = coroutine(function* () {
      yield moment;
      return 42;
    })();
    expect(f.done()).toBe(false);
    expect(await f).toBe(42);
  });

  test('return with no value gives undefined, before or after a yield', async () => {
    currentVirtualLoop();
    // biome-ignore lint/correctness/useYield: a coroutine that never yields is the point
    const early = coroutine(function* () {
      return;
    })();
    const late = coroutine(function* () {
      yield moment;
      return;
    })();
    expect(early.result()).toBeUndefined();
    expect(await late).toBeUndefined();
  });

  test('a return that skips an unreached yield still gives the result', async () => {
    currentVirtualLoop();
    const f = coroutine(function* (early: boolean) {
      if (early) return 42;
      yield sleep(1000);
      return 0;
    });
    expect(await f(true)).toBe(42);
  });

  test('a returned array is the result, before or after a yield', async () => {
    currentVirtualLoop();
    // biome-ignore lint/correctness/useYield: a coroutine that never yields is the point
    const sync = coroutine(function* () {
      return [1, 2] as const;
    });
    const later = coroutine(function* () {
      yield moment;
      return [1, 2] as const;
    });
    expect(sync().result()).toEqual([1, 2]);
    expect(await later()).toEqual([1, 2]);
  });

  test('the same coroutine function can be called again after it finished', async () => {
    currentVirtualLoop();
    let runs = 0;
    const f = coroutine(function* () {
      yield moment;
      return ++runs;
    });
    expect(await f()).toBe(1);
    expect(await f()).toBe(2);
  });

  test('arguments reach the generator', async () => {
    currentVirtualLoop();
    const add = coroutine(function* (a: number, b: number) {
      yield moment;
      return a + b;
    });
    expect(await add(2, 3)).toBe(5);
  });
});

describe('coroutine exceptions', () => {
  test('an exception before the first yield fails the Future instead of throwing at the caller', () => {
    currentVirtualLoop();
    const error = new RangeError('phase 1');
    // biome-ignore lint/correctness/useYield: a coroutine that never yields is the point
    const f = coroutine(function* () {
      throw error;
    });
    let future: Future<never> | undefined;
    expect(() => {
      future = f();
    }).not.toThrow();
    expect(future!.done()).toBe(true);
    expect(future!.exception()).toBe(error);
  });

  test('an exception after a yield fails the Future', async () => {
    currentVirtualLoop();
    const f = coroutine(function* () {
      yield moment;
      throw new RangeError('phase 2');
    });
    await expect(f()).rejects.toThrow('phase 2');
  });

  test('a coroutine can catch the failure of a Future it yielded and raise another', async () => {
    currentVirtualLoop();
    // biome-ignore lint/correctness/useYield: a coroutine that never yields is the point
    const failing = coroutine(function* () {
      throw new RangeError('inner');
    });
    const outer = coroutine(function* () {
      try {
        yield failing();
      } catch (error) {
        expect(error).toBeInstanceOf(RangeError);
        throw new TypeError('replaced');
      }
    });
    await expect(outer()).rejects.toThrow(TypeError);
  });

  test('a coroutine can swallow the failure of a Future it yielded and return normally', async () => {
    currentVirtualLoop();
    // biome-ignore lint/correctness/useYield: a coroutine that never yields is the point
    const failing = coroutine(function* () {
      throw new RangeError('inner');
    });
    const outer = coroutine(function* () {
      try {
        yield failing();
      } catch {
        return 42;
      }
      return 0;
    });
    expect(await outer()).toBe(42);
  });

  test('an error caught from one yield does not leak into the next (no stale cause)', async () => {
    currentVirtualLoop();
    class LeakedError extends Error {}
    // biome-ignore lint/correctness/useYield: a coroutine that never yields is the point
    const inner = coroutine(function* (n: number) {
      throw new LeakedError(String(n));
    });
    const outer = coroutine(function* () {
      const seen: string[] = [];
      for (const n of [1, 2]) {
        try {
          yield inner(n);
        } catch (error) {
          expect(error).toBeInstanceOf(LeakedError);
          const chain: unknown[] = [];
          for (let e: unknown = (error as Error).cause; e !== undefined; e = (e as Error).cause) {
            chain.push(e);
          }
          expect(chain.some((e) => e instanceof LeakedError)).toBe(false);
          seen.push((error as Error).message);
        }
      }
      return seen;
    });
    expect(await outer()).toEqual(['1', '2']);
  });
});

describe('functions that are not generators', () => {
  test('a plain function wrapped by coroutine gives a resolved Future of its value', () => {
    currentVirtualLoop();
    const f = coroutine((x: number) => x * 2);
    const future = f(21);
    expect(isFuture(future)).toBe(true);
    expect(future.result()).toBe(42);
  });

  test('a plain function that throws gives a failed Future', () => {
    currentVirtualLoop();
    const f = coroutine((): number => {
      throw new RangeError('sync');
    });
    expect(f().exception()).toBeInstanceOf(RangeError);
  });

  test('an async function wrapped by coroutine gives a Future of its awaited result', async () => {
    currentVirtualLoop();
    const f = coroutine(async (x: number) => {
      await Promise.resolve();
      return x + 1;
    });
    const future = f(41);
    expect(isFuture(future)).toBe(true);
    expect(await future).toBe(42);
  });

  test('an async function that rejects gives a failed Future', async () => {
    currentVirtualLoop();
    const f = coroutine(async () => {
      await Promise.resolve();
      throw new RangeError('async');
    });
    await expect(f()).rejects.toThrow(RangeError);
  });

  test('a plain function returning a Future gives that Future result', async () => {
    currentVirtualLoop();
    const f = coroutine(() => asyncFuture(7));
    expect(await f()).toBe(7);
  });
});

describe('this binding', () => {
  test('a coroutine stored in a class field gets the instance as this', async () => {
    currentVirtualLoop();
    class Handler {
      readonly prefix = 'got:';
      get = coroutine(function* (this: Handler, x: string) {
        yield moment;
        return this.prefix + x;
      });
    }
    const h = new Handler();
    expect(await h.get('a')).toBe('got:a');
  });

  test('a coroutine assigned to a prototype gets the instance as this', async () => {
    currentVirtualLoop();
    class Counter {
      count = 0;
      declare bump: (by: number) => Future<number>;
    }
    Counter.prototype.bump = coroutine(function* (this: Counter, by: number) {
      this.count += by;
      yield moment;
      this.count += by;
      return this.count;
    });
    const a = new Counter();
    const b = new Counter();
    const [ra, rb] = [a.bump(1), b.bump(10)];
    expect(await ra).toBe(2);
    expect(await rb).toBe(20);
  });
});

describe('coroutine functions', () => {
  test('the wrapper keeps the name of the generator function', () => {
    function* fetchUser() {
      yield moment;
    }
    expect(coroutine(fetchUser).name).toBe('fetchUser');
  });

  test('isCoroutineFunction is true only for wrappers, not for generators or their Futures', () => {
    currentVirtualLoop();
    function* f() {
      yield moment;
    }
    const wrapped = coroutine(f);
    expect(isCoroutineFunction(f)).toBe(false);
    expect(isCoroutineFunction(wrapped)).toBe(true);
    expect(isCoroutineFunction(wrapped())).toBe(false);
    expect(isCoroutineFunction(coroutine(() => 1))).toBe(true);
    expect(isCoroutineFunction(async () => 1)).toBe(false);
    expect(isCoroutineFunction(null)).toBe(false);
  });
});
