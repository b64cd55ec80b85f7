import {
  CancelledError,
  chainFuture,
  Future,
  futureAddDoneCallback,
  futureSetExceptionUnlessCancelled,
  futureSetResultUnlessCancelled,
  toFuture,
} from '@tronada/ioloop';
import { describe, expect, test } from 'vitest';
import { collectUnhandledRejections } from './helpers.js';

describe('chainFuture', () => {
  test('copies a result from the source to the target', async () => {
    const source = new Future<number>();
    const target = new Future<number>();
    chainFuture(source, target);
    source.setResult(11);
    expect(await target).toBe(11);
  });

  test('copies an exception', async () => {
    const source = new Future<number>();
    const target = new Future<number>();
    chainFuture(source, target);
    const error = new Error('upstream');
    source.setException(error);
    await expect(target).rejects.toBe(error);
  });

  test('a cancelled source cancels the target', async () => {
    const source = new Future<number>();
    const target = new Future<number>();
    chainFuture(source, target);
    source.cancel();
    await expect(target).rejects.toBeInstanceOf(CancelledError);
    expect(target.cancelled()).toBe(true);
  });

  test('a target cancelled first is left alone when the source finishes', async () => {
    const source = new Future<number>();
    const target = new Future<number>();
    chainFuture(source, target);
    target.cancel();
    const seen = await collectUnhandledRejections(() => {
      source.setResult(1);
    });
    expect(seen).toEqual([]);
    expect(target.cancelled()).toBe(true);
    expect(source.result()).toBe(1);
  });

  test('accepts a Promise as the source', async () => {
    const target = new Future<string>();
    chainFuture(Promise.resolve('from a promise'), target);
    expect(await target).toBe('from a promise');
    const failed = new Future<string>();
    chainFuture(Promise.reject(new Error('promise failed')), failed);
    await expect(failed).rejects.toThrow('promise failed');
  });
});

describe('futureSetResultUnlessCancelled and futureSetExceptionUnlessCancelled', () => {
  test('set the outcome of a pending Future', () => {
    const a = new Future<number>();
    futureSetResultUnlessCancelled(a, 42);
    expect(a.result()).toBe(42);
    expect(a.cancelled()).toBe(false);
    const b = new Future<number>();
    const error = new Error('b');
    futureSetExceptionUnlessCancelled(b, error);
    expect(b.exception()).toBe(error);
  });

  test('leave a cancelled Future cancelled instead of throwing', () => {
    const a = new Future<number>();
    a.cancel();
    futureSetResultUnlessCancelled(a, 42);
    expect(a.cancelled()).toBe(true);
    const b = new Future<number>();
    b.cancel();
    futureSetExceptionUnlessCancelled(b, new Error('ignored'));
    expect(b.cancelled()).toBe(true);
  });

  test('still refuse to overwrite a Future that already has a result', () => {
    const a = Future.resolved(1);
    expect(() => futureSetResultUnlessCancelled(a, 2)).toThrow(/already done/);
  });
});

describe('futureAddDoneCallback', () => {
  test('calls back synchronously when the Future is already done', () => {
    const f = Future.resolved('now');
    const seen: string[] = [];
    futureAddDoneCallback(f, (g) => seen.push(g.result()));
    expect(seen).toEqual(['now']);
  });

  test('waits for a pending Future and then calls back with it', async () => {
    const f = new Future<string>();
    const seen: string[] = [];
    futureAddDoneCallback(f, (g) => seen.push(g.result()));
    expect(seen).toEqual([]);
    f.setResult('later');
    await Promise.resolve();
    expect(seen).toEqual(['later']);
  });
});

describe('toFuture', () => {
  test('returns a Future unchanged', () => {
    const f = new Future<number>();
    expect(toFuture(f)).toBe(f);
  });

  test('converts a Promise or a bare thenable to a Future with the same outcome', async () => {
    expect(await toFuture(Promise.resolve(3))).toBe(3);
    // A minimal thenable that is not a Promise: it calls back synchronously.
    const thenable = {
      // biome-ignore lint/suspicious/noThenProperty: the test needs a thenable that is not a Promise
      then(onFulfilled: (value: string) => unknown): void {
        onFulfilled('thenable');
      },
    } as unknown as PromiseLike<string>;
    const converted = toFuture(thenable);
    expect(await converted).toBe('thenable');
    expect(converted.result()).toBe('thenable');
    await expect(toFuture(Promise.reject(new Error('r')))).rejects.toThrow('r');
  });

  test('a converted Future that is cancelled ignores the Promise settling later', async () => {
    let resolve!: (v: number) => void;
    const converted = toFuture(new Promise<number>((r) => (resolve = r)));
    converted.cancel();
    const seen = await collectUnhandledRejections(() => resolve(5));
    expect(seen).toEqual([]);
    expect(converted.cancelled()).toBe(true);
  });
});
