/**
 * convertYielded (the one place that decides what may be yielded), registerYieldable (teaching
 * it a new kind) and maybeFuture.
 */

import {
  convertYielded,
  coroutine,
  maybeFuture,
  moment,
  multi,
  registerYieldable,
} from '@tronada/gen';
import { Future, isFuture } from '@tronada/ioloop';
import { describe, expect, test } from 'vitest';
import { asyncFuture, currentVirtualLoop } from './coroutine-helpers.js';

/** A home-made deferred value a library might want coroutines to yield directly. */
class Deferred<T> {
  readonly future = new Future<T>();
  resolve(value: T): void {
    this.future.setResult(value);
  }
}

let conversions = 0;
registerYieldable(
  (value: unknown): value is Deferred<unknown> => value instanceof Deferred,
  (deferred) => {
    conversions++;
    return deferred.future;
  },
);

describe('convertYielded', () => {
  test('returns a Future as it is', () => {
    const f = new Future<number>();
    expect(convertYielded(f)).toBe(f);
  });

  test('turns null and undefined into moment', () => {
    expect(convertYielded(null)).toBe(moment);
    expect(convertYielded(undefined)).toBe(moment);
  });

  test('turns a Promise into a Future that settles like it', async () => {
    const f = convertYielded(Promise.resolve(5));
    expect(isFuture(f)).toBe(true);
    expect(await f).toBe(5);
    const failed = convertYielded(Promise.reject(new RangeError('no')));
    await expect(failed).rejects.toThrow(RangeError);
  });

  test('turns an array or record into one Future of all results', async () => {
    currentVirtualLoop();
    expect(await convertYielded([asyncFuture(1), Promise.resolve(2)])).toEqual([1, 2]);
    expect(await convertYielded({ a: asyncFuture('a') })).toEqual({ a: 'a' });
  });
});

describe('registerYieldable', () => {
  test('lets a coroutine yield a registered kind', async () => {
    currentVirtualLoop();
    const d = new Deferred<string>();
    const c = coroutine(function* () {
      return yield d;
    })();
    expect(c.done()).toBe(false);
    d.resolve('from deferred');
    expect(await c).toBe('from deferred');
  });

  test('applies inside arrays, records and multi as well', async () => {
    currentVirtualLoop();
    const a = new Deferred<number>();
    const b = new Deferred<number>();
    const before = conversions;
    const c = coroutine(function* () {
      return yield { list: [a], b };
    })();
    const m = multi([a, b]);
    a.resolve(1);
    b.resolve(2);
    expect(await c).toEqual({ list: [1], b: 2 });
    expect(await m).toEqual([1, 2]);
    expect(conversions - before).toBe(4);
  });

  test('convertYielded uses the registered conversion', () => {
    const d = new Deferred<number>();
    expect(convertYielded(d)).toBe(d.future);
  });
});

describe('maybeFuture', () => {
  test('wraps a plain value in a done Future', () => {
    const f = maybeFuture(3);
    expect(f.done()).toBe(true);
    expect(f.result()).toBe(3);
  });

  test('returns a Future as it is and converts a Promise', async () => {
    const f = new Future<number>();
    expect(maybeFuture(f)).toBe(f);
    const p = maybeFuture(Promise.resolve('p'));
    expect(isFuture(p)).toBe(true);
    expect(await p).toBe('p');
  });
});
