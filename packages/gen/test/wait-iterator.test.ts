/**
 * WaitIterator: results in completion order, with `currentIndex` (position or key) and
 * `currentFuture` naming the Future each one came from; `while (!it.done()) yield it.next()`
 * in a coroutine, or `for await`.
 */

import { coroutine, sleep, WaitIterator, withTimeout } from '@tronada/gen';
import type { IOLoop } from '@tronada/ioloop';
import { Future } from '@tronada/ioloop';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { currentVirtualLoop } from './coroutine-helpers.js';

/**
 * Tornado's finish_coroutines: settles futures[2] on loop iteration 3, fails futures[0] on 5,
 * settles futures[1] and futures[3] on 8.
 */
function finishLater(loop: IOLoop, futures: Future<number>[], iteration = 0): void {
  if (iteration === 3) futures[2]!.setResult(24);
  else if (iteration === 5) futures[0]!.setException(new RangeError('divide by zero'));
  else if (iteration === 8) {
    futures[1]!.setResult(42);
    futures[3]!.setResult(84);
  }
  if (iteration < 8) loop.addCallback(() => finishLater(loop, futures, iteration + 1));
}

describe('an empty WaitIterator', () => {
  test('is done at once, with no current index or Future', () => {
    const it = new WaitIterator();
    expect(it.done()).toBe(true);
    expect(it.currentIndex).toBeNull();
    expect(it.currentFuture).toBeNull();
    expect(new WaitIterator({}).done()).toBe(true);
  });

  test('ends a for await loop without running its body', async () => {
    let bodies = 0;
    for await (const _ of new WaitIterator()) bodies++;
    expect(bodies).toBe(0);
  });

  test('refuses positional Futures mixed with a record of Futures', () => {
    const mixed = [new Future(), { bar: new Future() }] as unknown as Future<unknown>[];
    expect(() => new WaitIterator(...mixed)).toThrow(TypeError);
    expect(() => new WaitIterator(...mixed)).toThrow(/one record/);
  });
});

describe('WaitIterator over done Futures', () => {
  test('hands them out in input order with their indices, then clears the current values', () => {
    currentVirtualLoop();
    const f1 = Future.resolved(24);
    const f2 = Future.resolved(42);
    const f3 = Future.resolved(84);
    const seen: Array<[unknown, number | string | null, Future<number> | null]> = [];
    const c = coroutine(function* () {
      const it = new WaitIterator(f1, f2, f3);
      while (!it.done()) {
        const r = yield it.next();
        seen.push([r, it.currentIndex, it.currentFuture]);
      }
      return [it.currentIndex, it.currentFuture];
    })();
    expect(c.result()).toEqual([null, null]);
    expect(seen).toEqual([
      [24, 0, f1],
      [42, 1, f2],
      [84, 2, f3],
    ]);
    expect(seen[0]![2]).toBe(f1);
  });

  test('in record form, currentIndex is the key of the Future that answered', () => {
    currentVirtualLoop();
    const f1 = Future.resolved(24);
    const f2 = Future.resolved(42);
    const seen: Array<[unknown, number | string | null]> = [];
    const c = coroutine(function* () {
      const it = new WaitIterator({ f1, f2 });
      while (!it.done()) {
        const r = yield it.next();
        expect(it.currentFuture).toBe(it.currentIndex === 'f1' ? f1 : f2);
        seen.push([r, it.currentIndex]);
      }
      return [it.currentIndex, it.currentFuture];
    })();
    expect(c.result()).toEqual([null, null]);
    expect(seen).toEqual([
      [24, 'f1'],
      [42, 'f2'],
    ]);
  });

  test('next() returns a new Future, not the input Future', () => {
    const f = Future.resolved(1);
    const it = new WaitIterator(f);
    const n = it.next();
    expect(n).not.toBe(f);
    expect(it.currentFuture).toBe(f);
  });
});

describe('WaitIterator over pending Futures', () => {
  test('gives results in completion order, with the failing one thrown at its turn', async () => {
    const { loop } = currentVirtualLoop();
    const futures = [
      new Future<number>(),
      new Future<number>(),
      new Future<number>(),
      new Future<number>(),
    ];
    finishLater(loop, futures);
    const c = coroutine(function* () {
      const it = new WaitIterator(...futures);
      const seen: Array<[string, unknown, number | string | null]> = [];
      while (!it.done()) {
        try {
          const r = yield it.next();
          seen.push(['ok', r, it.currentIndex]);
        } catch (error) {
          expect(it.currentFuture).toBe(futures[0]);
          seen.push(['error', (error as Error).message, it.currentIndex]);
        }
      }
      return seen;
    })();
    expect(await c).toEqual([
      ['ok', 24, 2],
      ['error', 'divide by zero', 0],
      ['ok', 42, 1],
      ['ok', 84, 3],
    ]);
  });

  test('for await gives the same order, stops at a failure, and the same iterator can go on', async () => {
    const { loop } = currentVirtualLoop();
    const futures = [
      new Future<number>(),
      new Future<number>(),
      new Future<number>(),
      new Future<number>(),
    ];
    finishLater(loop, futures);
    const it = new WaitIterator(...futures);
    const seen: Array<[unknown, number | string | null]> = [];
    await expect(
      (async () => {
        for await (const r of it) seen.push([r, it.currentIndex]);
      })(),
    ).rejects.toThrow('divide by zero');
    expect(it.currentFuture).toBe(futures[0]);
    for await (const r of it) seen.push([r, it.currentIndex]);
    expect(seen).toEqual([
      [24, 2],
      [42, 1],
      [84, 3],
    ]);
    expect(it.currentIndex).toBeNull();
  });

  test('accepts Promises as well as Futures', async () => {
    currentVirtualLoop();
    let release!: (v: string) => void;
    const slow = new Promise<string>((resolve) => {
      release = resolve;
    });
    const it = new WaitIterator<string>(slow, Promise.resolve('fast'));
    const order: Array<[string, number | string | null]> = [];
    const reading = (async () => {
      for await (const r of it) order.push([r, it.currentIndex]);
    })();
    await Promise.resolve();
    release('slow');
    await reading;
    expect(order).toEqual([
      ['fast', 1],
      ['slow', 0],
    ]);
  });

  test('reports the same Future given twice once for each of its indices', async () => {
    const f = new Future<string>();
    const it = new WaitIterator(f, f);
    const seen: Array<[string, number | string | null]> = [];
    f.setResult('x');
    for await (const r of it) seen.push([r, it.currentIndex]);
    expect(seen).toEqual([
      ['x', 0],
      ['x', 1],
    ]);
  });

  test('hands out results in completion order for any completion order (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 10 }).chain((n) =>
          fc.record({
            order: fc.shuffledSubarray(
              Array.from({ length: n }, (_, i) => i),
              { minLength: n, maxLength: n },
            ),
            early: fc.integer({ min: 0, max: n }),
          }),
        ),
        async ({ order, early }) => {
          const futures = order.map(() => new Future<number>());
          // Some settle before the iterator exists, the rest while it is being read.
          for (const i of order.slice(0, early)) futures[i]!.setResult(i);
          const it = new WaitIterator(...futures);
          const late = order.slice(early);
          const seen: Array<[number, number | string | null]> = [];
          while (!it.done()) {
            const next = it.next();
            const i = late.shift();
            if (i !== undefined) futures[i]!.setResult(i);
            seen.push([await next, it.currentIndex]);
          }
          // Those done before arrive first, in input order; then the others as they finish.
          const expectedOrder = [
            ...order.slice(0, early).sort((a, b) => a - b),
            ...order.slice(early),
          ];
          expect(seen.map(([, index]) => index)).toEqual(expectedOrder);
          for (const [value, index] of seen) expect(value).toBe(index);
        },
      ),
      { seed: 20261121, numRuns: 100 },
    );
  });

  test('is usable when only the Future of next() is referenced (Tornado test_no_ref)', async () => {
    const { clock } = currentVirtualLoop();
    const guarded = withTimeout(0.1, new WaitIterator(sleep(0)).next());
    guarded.addDoneCallback(() => undefined);
    await clock.advance(0);
    expect(guarded.done()).toBe(true);
    expect(guarded.result()).toBeUndefined();
  });
});
