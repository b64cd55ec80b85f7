/**
 * Yielding plain records (and arrays and records nested in each other): the children run in
 * parallel and the generator gets their results under the same keys, in the same shape.
 */

import { coroutine, moment } from '@tronada/gen';
import type { Future } from '@tronada/ioloop';
import { describe, expect, test } from 'vitest';
import { asyncFuture, currentVirtualLoop, delay } from './coroutine-helpers.js';

const addOne = coroutine(function* (x: number) {
  yield moment;
  return x + 1;
});

describe('yielding a record', () => {
  test('gives the results under the same keys', async () => {
    currentVirtualLoop();
    const c = coroutine(function* () {
      return yield { foo: addOne(1), bar: addOne(2) };
    })();
    expect(await c).toEqual({ foo: 2, bar: 3 });
  });

  test('keeps the keys when children finish in another order', async () => {
    currentVirtualLoop();
    const c = coroutine(function* () {
      return yield { foo: delay(3, 'v1'), bar: delay(1, 'v2') };
    })();
    const result = (await c) as Record<string, string>;
    expect(result).toEqual({ foo: 'v1', bar: 'v2' });
    expect(Object.keys(result)).toEqual(['foo', 'bar']);
  });

  test('an empty record gives an empty record at once', () => {
    currentVirtualLoop();
    const c = coroutine(function* () {
      const y = yield {};
      return y;
    })();
    expect(c.result()).toEqual({});
    expect(Array.isArray(c.result())).toBe(false);
  });

  test('a record made with Object.create(null) is a record too', async () => {
    currentVirtualLoop();
    const children = Object.create(null) as Record<string, Future<number>>;
    children.a = asyncFuture(1);
    const c = coroutine(function* () {
      return yield children;
    })();
    expect(await c).toEqual({ a: 1 });
  });
});

describe('nested arrays and records', () => {
  test('are waited for all the way down and keep their shape', async () => {
    currentVirtualLoop();
    const c = coroutine(function* () {
      return yield {
        list: [asyncFuture(1), [delay(2, 2), Promise.resolve(3)]],
        rec: { x: delay(3, 'x'), inner: { y: asyncFuture('y') } },
        empty: [],
      };
    })();
    expect(await c).toEqual({
      list: [1, [2, 3]],
      rec: { x: 'x', inner: { y: 'y' } },
      empty: [],
    });
  });

  test('a failure deep inside is thrown into the generator', async () => {
    currentVirtualLoop();
    const c = coroutine(function* () {
      try {
        yield [asyncFuture(1), { deep: [Promise.reject(new RangeError('deep'))] }];
      } catch (error) {
        return (error as Error).message;
      }
      return 'not reached';
    })();
    expect(await c).toBe('deep');
  });
});
