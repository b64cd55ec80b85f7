/**
 * multi(): several yieldables in parallel, results in the input's shape whatever order they
 * finish in; the first failure is raised and later ones are logged unless quiet.
 */

import { coroutine, moment, multi } from '@tronada/gen';
import { appLog, CancelledError, Future } from '@tronada/ioloop';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  asyncException,
  asyncFuture,
  captureLog,
  currentVirtualLoop,
  delay,
} from './coroutine-helpers.js';

/** Settles `futures` in the order `order` gives (indices), letting microtasks run in between. */
async function settleInOrder(
  futures: Future<number>[],
  order: number[],
  failing: ReadonlySet<number>,
  pauses: boolean[],
): Promise<void> {
  for (const [step, i] of order.entries()) {
    const f = futures[i]!;
    if (f.done()) continue;
    if (failing.has(i)) f.setException(new Error(`child ${i}`));
    else f.setResult(i * 10);
    if (pauses[step] === true) await Promise.resolve();
  }
}

/** A permutation of 0..n-1 and which children are already done before multi is called. */
const arbChildren = fc.integer({ min: 1, max: 12 }).chain((n) =>
  fc.record({
    order: fc.shuffledSubarray(
      Array.from({ length: n }, (_, i) => i),
      { minLength: n, maxLength: n },
    ),
    doneBefore: fc.array(fc.boolean(), { minLength: n, maxLength: n }),
    pauses: fc.array(fc.boolean(), { minLength: n, maxLength: n }),
  }),
);

describe('multi over an array', () => {
  test('gives results in input order whatever order the children resolve in', async () => {
    await fc.assert(
      fc.asyncProperty(arbChildren, async ({ order, doneBefore, pauses }) => {
        const futures = order.map(() => new Future<number>());
        futures.forEach((f, i) => {
          if (doneBefore[i] === true) f.setResult(i * 10);
        });
        const all = multi(futures);
        await settleInOrder(futures, order, new Set(), pauses);
        expect(await all).toEqual(futures.map((_, i) => i * 10));
      }),
      { seed: 20261121, numRuns: 200 },
    );
  });

  test('gives results in input order under any interleaving of Promise resolutions (fast-check scheduler)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        fc.array(fc.integer(), { minLength: 1, maxLength: 10 }),
        async (s, values) => {
          const children = values.map((v, i) => s.schedule(Promise.resolve(v), `child ${i}`));
          const all = multi(children);
          await s.waitAll();
          expect(await all).toEqual(values);
        },
      ),
      { seed: 20261121, numRuns: 200 },
    );
  });

  test('raises the first failure in input order, logging each later one unless quiet', async () => {
    const logged = captureLog(appLog);
    await fc.assert(
      fc.asyncProperty(
        arbChildren.chain((c) =>
          fc.record({
            children: fc.constant(c),
            failing: fc.subarray(c.order, { minLength: 1 }),
            quiet: fc.boolean(),
          }),
        ),
        async ({ children: { order, pauses }, failing, quiet }) => {
          logged.length = 0;
          const futures = order.map(() => new Future<number>());
          const all = multi(futures, quiet ? { quietExceptions: Error } : {});
          await settleInOrder(futures, order, new Set(failing), pauses);
          const first = Math.min(...failing);
          await expect(all).rejects.toThrow(`child ${first}`);
          const expectedLogs = quiet
            ? []
            : [...failing]
                .sort((a, b) => a - b)
                .slice(1)
                .map((i) => `child ${i}`);
          expect(logged.map((r) => (r.args[0] as Error).message)).toEqual(expectedLogs);
          expect(logged.every((r) => r.message === 'Multiple exceptions in yield list')).toBe(true);
        },
      ),
      { seed: 20261121, numRuns: 150 },
    );
  });

  test('waits for a delayed first child even when a later one finished long before', async () => {
    currentVirtualLoop();
    expect(await multi([delay(3, 'v1'), delay(1, 'v2')])).toEqual(['v1', 'v2']);
  });

  test('accepts the same Future more than once', async () => {
    currentVirtualLoop();
    const f = asyncFuture(2);
    expect(await multi([asyncFuture(1), f, asyncFuture(3), f])).toEqual([1, 2, 3, 2]);
  });

  test('of an empty array is a done Future of an empty array', () => {
    const all = multi([]);
    expect(all.done()).toBe(true);
    expect(all.result()).toEqual([]);
  });

  test('of children that are all done is done inside the call, without a microtask', () => {
    let microtaskRan = false;
    queueMicrotask(() => {
      microtaskRan = true;
    });
    const all = multi([Future.resolved(1), Future.resolved('two'), moment]);
    expect(all.done()).toBe(true);
    expect(all.result()).toEqual([1, 'two', undefined]);
    expect(microtaskRan).toBe(false);
  });

  test('of already-failed children fails inside the call', () => {
    const logged = captureLog(appLog);
    const all = multi([Future.rejected(new RangeError('a')), Future.rejected(new TypeError('b'))]);
    expect(all.done()).toBe(true);
    expect(all.exception()).toBeInstanceOf(RangeError);
    expect(logged).toHaveLength(1);
  });

  test('fails with CancelledError when a child was cancelled', async () => {
    const child = new Future<number>();
    const all = multi([child, Future.resolved(1)]);
    child.cancel();
    await expect(all).rejects.toBeInstanceOf(CancelledError);
  });

  test('mixes Futures, Promises, coroutines and async functions', async () => {
    currentVirtualLoop();
    const f1 = coroutine(function* () {
      yield moment;
    });
    const f2 = async (): Promise<number> => {
      await f1();
      return 42;
    };
    const f3 = coroutine(function* () {
      yield moment;
      return 43;
    });
    expect(await multi([f2(), f3(), Promise.resolve('p')])).toEqual([42, 43, 'p']);
  });
});

describe('multi over a record', () => {
  test('keeps every key, in order, whatever order the children resolve in', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc
          .uniqueArray(fc.string({ minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 8 })
          .chain((keys) =>
            fc.record({
              keys: fc.constant(keys),
              order: fc.shuffledSubarray(keys, { minLength: keys.length, maxLength: keys.length }),
            }),
          ),
        async ({ keys, order }) => {
          const futures = Object.fromEntries(keys.map((k) => [k, new Future<string>()]));
          const all = multi(futures);
          for (const k of order) {
            futures[k]?.setResult(`v:${k}`);
            await Promise.resolve();
          }
          const result = await all;
          expect(Object.keys(result)).toEqual(Object.keys(futures));
          expect(result).toEqual(Object.fromEntries(keys.map((k) => [k, `v:${k}`])));
        },
      ),
      { seed: 20261121, numRuns: 100 },
    );
  });

  test('keeps a key named __proto__ as an ordinary key', async () => {
    // As JSON.parse makes it: an own, enumerable property, not the prototype.
    const children: Record<string, Future<number>> = {};
    Object.defineProperty(children, '__proto__', { value: Future.resolved(1), enumerable: true });
    children.b = Future.resolved(2);
    const result = (await multi(children)) as Record<string, unknown>;
    expect(Object.keys(result)).toEqual(['__proto__', 'b']);
    expect(Object.getPrototypeOf(result)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(result, '__proto__')?.value).toBe(1);
  });

  test('waits for a delayed child', async () => {
    currentVirtualLoop();
    expect(await multi({ foo: delay(3, 'v1'), bar: delay(1, 'v2') })).toEqual({
      foo: 'v1',
      bar: 'v2',
    });
  });

  test('of an empty record is a done Future of an empty record', () => {
    const all = multi({});
    expect(all.result()).toEqual({});
    expect(Array.isArray(all.result())).toBe(false);
  });
});

describe('multi failures and quietExceptions', () => {
  test('raises the first error and logs the second as "Multiple exceptions in yield list"', async () => {
    currentVirtualLoop();
    const logged = captureLog(appLog);
    const all = multi([
      asyncException(new RangeError('error 1')),
      asyncException(new RangeError('error 2')),
    ]);
    await expect(all).rejects.toThrow('error 1');
    expect(logged).toHaveLength(1);
    expect(logged[0]!.message).toBe('Multiple exceptions in yield list');
    expect((logged[0]!.args[0] as Error).message).toBe('error 2');
  });

  test('logs nothing when only one child fails', async () => {
    currentVirtualLoop();
    const logged = captureLog(appLog);
    await expect(
      multi([asyncException(new RangeError('error 1')), asyncFuture(2)]),
    ).rejects.toThrow('error 1');
    expect(logged).toEqual([]);
  });

  test('does not log later failures of a class listed in quietExceptions', async () => {
    currentVirtualLoop();
    const logged = captureLog(appLog);
    const all = multi(
      [asyncException(new RangeError('error 1')), asyncException(new RangeError('error 2'))],
      {
        quietExceptions: RangeError,
      },
    );
    await expect(all).rejects.toThrow('error 1');
    expect(logged).toEqual([]);
  });

  test('quietExceptions may be a list of classes and matches subclasses', async () => {
    currentVirtualLoop();
    const logged = captureLog(appLog);
    class NotFound extends RangeError {}
    const all = multi(
      [
        asyncException(new Error('first')),
        asyncException(new NotFound('quiet subclass')),
        asyncException(new TypeError('quiet')),
        asyncException(new SyntaxError('loud')),
      ],
      { quietExceptions: [RangeError, TypeError] },
    );
    await expect(all).rejects.toThrow('first');
    expect(logged.map((r) => (r.args[0] as Error).message)).toEqual(['loud']);
  });

  test('yielding a list behaves the same: first error raised, the second logged', async () => {
    currentVirtualLoop();
    const logged = captureLog(appLog);
    const c = coroutine(function* () {
      try {
        yield [
          asyncException(new RangeError('error 1')),
          asyncException(new RangeError('error 2')),
        ];
      } catch (error) {
        return (error as Error).message;
      }
      return 'not reached';
    })();
    expect(await c).toBe('error 1');
    expect(logged.map((r) => r.message)).toEqual(['Multiple exceptions in yield list']);
  });
});
