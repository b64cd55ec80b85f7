/**
 * Yielding arrays of yieldables: the children run in parallel (through `multi`) and the
 * generator gets their results in input order.
 */

import { coroutine, moment } from '@tronada/gen';
import { appLog, Future } from '@tronada/ioloop';
import { describe, expect, test } from 'vitest';
import { asyncFuture, captureLog, currentVirtualLoop, delay } from './coroutine-helpers.js';

const addOne = coroutine(function* (x: number) {
  yield moment;
  return x + 1;
});

describe('yielding an array', () => {
  test('gives the results in input order', async () => {
    currentVirtualLoop();
    const c = coroutine(function* () {
      return yield [addOne(1), addOne(2)];
    })();
    expect(await c).toEqual([2, 3]);
  });

  test('gives input order even when later children finish first', async () => {
    currentVirtualLoop();
    const c = coroutine(function* () {
      return yield [delay(3, 'v1'), delay(1, 'v2')];
    })();
    expect(await c).toEqual(['v1', 'v2']);
  });

  test('may mix Futures, Promises, async functions and moment', async () => {
    currentVirtualLoop();
    const native = async (): Promise<number> => {
      await asyncFuture(undefined);
      return 42;
    };
    const c = coroutine(function* () {
      return yield [native(), asyncFuture(43), Promise.resolve('p'), moment, null];
    })();
    expect(await c).toEqual([42, 43, 'p', undefined, undefined]);
  });

  test('may hold the same Future twice', async () => {
    currentVirtualLoop();
    const c = coroutine(function* () {
      const f = asyncFuture(2);
      return yield [asyncFuture(1), f, asyncFuture(3), f];
    })();
    expect(await c).toEqual([1, 2, 3, 2]);
  });

  test('an empty array gives an empty array at once', () => {
    currentVirtualLoop();
    const c = coroutine(function* () {
      const x = yield [];
      return Array.isArray(x) ? x : 'not an array';
    })();
    expect(c.result()).toEqual([]);
  });

  test('an array of done Futures continues synchronously', () => {
    currentVirtualLoop();
    const c = coroutine(function* () {
      return yield [Future.resolved('a'), Future.resolved('b')];
    })();
    expect(c.result()).toEqual(['a', 'b']);
  });

  test('waits for every child, throws the first failure (in input order) in and logs the other', async () => {
    currentVirtualLoop();
    const logged = captureLog(appLog);
    const slowFailure = coroutine(function* () {
      yield* delay(3, null);
      throw new RangeError('first in input order');
    });
    const fastFailure = coroutine(function* () {
      yield moment;
      throw new TypeError('finished first');
    });
    const c = coroutine(function* () {
      try {
        yield [slowFailure(), fastFailure()];
      } catch (error) {
        return error;
      }
      return null;
    })();
    const error = await c;
    expect(error).toBeInstanceOf(RangeError);
    expect(logged.map((r) => [r.message, r.args[0]])).toEqual([
      ['Multiple exceptions in yield list', expect.any(TypeError)],
    ]);
  });
});
