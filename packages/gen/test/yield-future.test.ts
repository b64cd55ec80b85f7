/**
 * Yielding one awaitable: a Future (pending or done, by `yield` or typed `yield*`), a native
 * Promise, any thenable, an async function's result.
 */

import { coroutine, moment } from '@tronada/gen';
import { CancelledError, Future } from '@tronada/ioloop';
import { describe, expect, test } from 'vitest';
import { asyncFuture, currentVirtualLoop } from './coroutine-helpers.js';

describe('yielding a Future', () => {
  test('a pending Future resumes the coroutine with its result once it resolves', async () => {
    currentVirtualLoop();
    const f = new Future<string>();
    const c = coroutine(function* () {
      const value = yield f;
      return `got ${String(value)}`;
    })();
    expect(c.done()).toBe(false);
    f.setResult('x');
    expect(await c).toBe('got x');
  });

  test('a done Future resumes the coroutine inside the same call', () => {
    currentVirtualLoop();
    const c = coroutine(function* () {
      const a = yield Future.resolved(1);
      const b = yield Future.resolved(2);
      return [a, b];
    })();
    expect(c.result()).toEqual([1, 2]);
  });

  test('yield* on a Future gives its result', async () => {
    currentVirtualLoop();
    const c = coroutine(function* () {
      const a = yield* asyncFuture(20);
      const b = yield* Future.resolved(22);
      return a + b;
    })();
    expect(await c).toBe(42);
  });

  test('a failed Future is thrown into the generator at the yield, where it can be caught', async () => {
    currentVirtualLoop();
    const f = new Future<number>();
    const c = coroutine(function* () {
      try {
        yield f;
        return 'not reached';
      } catch (error) {
        return (error as Error).message;
      }
    })();
    f.setException(new Error('boom'));
    expect(await c).toBe('boom');
  });

  test('a failed Future thrown in at a yield* can be caught too', async () => {
    currentVirtualLoop();
    const c = coroutine(function* () {
      try {
        yield* Future.rejected<number>(new RangeError('typed'));
        return 'not reached';
      } catch (error) {
        return (error as Error).message;
      }
    })();
    expect(await c).toBe('typed');
  });

  test('a cancelled Future throws CancelledError into the generator', async () => {
    currentVirtualLoop();
    const f = new Future<number>();
    const c = coroutine(function* () {
      try {
        yield f;
      } catch (error) {
        return error instanceof CancelledError;
      }
      return false;
    })();
    f.cancel();
    expect(await c).toBe(true);
  });

  test('the result of a coroutine can be yielded by another coroutine', async () => {
    currentVirtualLoop();
    const inner = coroutine(function* () {
      yield moment;
      return 42;
    });
    const outer = coroutine(function* () {
      return yield inner();
    });
    expect(await outer()).toBe(42);
  });

  test('two coroutines may wait for the same Future', async () => {
    currentVirtualLoop();
    const shared = new Future<number>();
    const waiter = coroutine(function* (plus: number) {
      return ((yield shared) as number) + plus;
    });
    const a = waiter(1);
    const b = waiter(2);
    shared.setResult(10);
    expect(await Promise.all([a, b])).toEqual([11, 12]);
  });
});

describe('yielding Promises and thenables', () => {
  test('a native Promise resumes the coroutine with its value', async () => {
    currentVirtualLoop();
    const c = coroutine(function* () {
      return yield Promise.resolve('native');
    })();
    expect(await c).toBe('native');
  });

  test('a rejected Promise is thrown into the generator', async () => {
    currentVirtualLoop();
    const c = coroutine(function* () {
      try {
        yield Promise.reject(new RangeError('rejected'));
      } catch (error) {
        return (error as Error).message;
      }
      return 'not reached';
    })();
    expect(await c).toBe('rejected');
  });

  test('any thenable is awaited like a Promise', async () => {
    currentVirtualLoop();
    const thenable: PromiseLike<string> = {
      // biome-ignore lint/suspicious/noThenProperty: the test needs a thenable that is not a Promise
      then(onFulfilled) {
        queueMicrotask(() => onFulfilled?.('thenable'));
        return undefined as never;
      },
    };
    const c = coroutine(function* () {
      return yield thenable;
    })();
    expect(await c).toBe('thenable');
  });

  test('a thenable that rejects throws into the generator', async () => {
    currentVirtualLoop();
    const thenable: PromiseLike<string> = {
      // biome-ignore lint/suspicious/noThenProperty: the test needs a thenable that is not a Promise
      then(_onFulfilled, onRejected) {
        queueMicrotask(() => onRejected?.(new RangeError('thenable failed')));
        return undefined as never;
      },
    };
    const c = coroutine(function* () {
      try {
        yield thenable;
      } catch (error) {
        return (error as Error).message;
      }
      return 'not reached';
    })();
    expect(await c).toBe('thenable failed');
  });

  test('an async function can be yielded, and can itself await a coroutine', async () => {
    currentVirtualLoop();
    const f1 = coroutine(function* () {
      yield moment;
      return 42;
    });
    const f2 = async (): Promise<number> => await f1();
    const c = coroutine(function* () {
      return yield f2();
    })();
    expect(await c).toBe(42);
  });

  test('an async function that awaits a zero-delay timer can be yielded', async () => {
    currentVirtualLoop();
    const f = async (): Promise<number> => {
      await new Promise((resolve) => setImmediate(resolve));
      return 42;
    };
    const c = coroutine(function* () {
      return yield f();
    })();
    expect(await c).toBe(42);
  });

  test('Promise.all understands coroutine Futures', async () => {
    currentVirtualLoop();
    const f = coroutine(function* () {
      yield moment;
      return 1;
    });
    expect(await Promise.all([f(), f()])).toEqual([1, 1]);
  });
});
