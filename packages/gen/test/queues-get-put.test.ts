/**
 * Queue basics, get and put: sizes, bounds, waiting, timeouts and their clean-up, async
 * iteration (Tornado's QueueBasicTest, QueueGetTest and QueuePutTest).
 */

import { coroutine, Queue, QueueEmpty, QueueFull, TimeoutError } from '@tronada/gen';
import type { Future } from '@tronada/ioloop';
import { describe, expect, test } from 'vitest';
import { currentVirtualLoop } from './coroutine-helpers.js';

/** A Promise of the Future's error, or of 'resolved'; observing it keeps a failure handled. */
function outcome(f: Future<unknown>): Promise<unknown> {
  return f.then(
    () => 'resolved',
    (error: unknown) => error,
  );
}

describe('Queue basics', () => {
  test('toString shows maxsize, waiting getters and putters, and unfinished tasks', () => {
    currentVirtualLoop();
    const q = new Queue<null>(1);
    q.get();
    expect(String(q)).toBe('<Queue maxsize=1 getters[1]>');
    q.put(null); // goes to the getter
    q.put(null); // stored: the queue is full
    q.put(null); // waits
    expect(String(q)).toBe('<Queue maxsize=1 qsize=1 putters[1] tasks=2>');
  });

  test('items come out in the order they went in', () => {
    const q = new Queue<number>();
    for (const i of [1, 3, 2]) q.putNowait(i);
    expect([q.getNowait(), q.getNowait(), q.getNowait()]).toEqual([1, 3, 2]);
  });

  test('maxsize bounds the queue; a bad maxsize is refused', async () => {
    currentVirtualLoop();
    expect(() => new Queue(-1)).toThrow(RangeError);
    expect(() => new Queue(Number.NaN)).toThrow(TypeError);
    // @ts-expect-error: Tornado's maxsize=None, which it refuses too
    expect(() => new Queue(null)).toThrow(TypeError);
    const q = new Queue<number>(2);
    expect(q.empty()).toBe(true);
    expect(q.full()).toBe(false);
    expect(q.maxsize).toBe(2);
    expect(q.put(0).done()).toBe(true);
    expect(q.put(1).done()).toBe(true);
    expect(q.empty()).toBe(false);
    expect(q.full()).toBe(true);
    const put2 = q.put(2);
    expect(put2.done()).toBe(false);
    expect(await q.get()).toBe(0);
    expect(put2.done()).toBe(true);
    expect(q.full()).toBe(true);
    expect(q.qsize()).toBe(2);
  });

  test('maxsize 0 means unbounded', () => {
    const q = new Queue<number>();
    for (let i = 0; i < 10_000; i++) q.putNowait(i);
    expect(q.full()).toBe(false);
    expect(q.qsize()).toBe(10_000);
    const out = Array.from({ length: 10_000 }, () => q.getNowait());
    expect(out).toEqual(Array.from({ length: 10_000 }, (_, i) => i));
    expect(q.empty()).toBe(true);
  });
});

describe('Queue.get', () => {
  test('get resolves with a stored item at once', () => {
    currentVirtualLoop();
    const q = new Queue<number>();
    q.putNowait(0);
    const get = q.get();
    expect(get.done()).toBe(true);
    expect(get.result()).toBe(0);
  });

  test('getNowait returns a stored item', () => {
    const q = new Queue<number>();
    q.putNowait(0);
    expect(q.getNowait()).toBe(0);
  });

  test('getNowait on an empty queue throws QueueEmpty', () => {
    const q = new Queue<number>();
    expect(() => q.getNowait()).toThrow(QueueEmpty);
    try {
      q.getNowait();
    } catch (error) {
      expect((error as QueueEmpty).code).toBe('ERR_QUEUE_EMPTY');
    }
  });

  test('a get from a full queue lets the first waiting putter in', async () => {
    currentVirtualLoop();
    const q = new Queue<number>(1);
    q.putNowait(0);
    const put = q.put(1);
    expect(await q.get()).toBe(0);
    expect(put.done()).toBe(true);
    expect(await put).toBeUndefined();
    expect(q.getNowait()).toBe(1);
  });

  test('get waits for items put later, within its timeout', async () => {
    const { loop, clock } = currentVirtualLoop();
    const q = new Queue<number>();
    q.put(0);
    loop.callLater(0.01, () => q.putNowait(1));
    loop.callLater(0.02, () => q.putNowait(2));
    expect(q.get(1).result()).toBe(0);
    const second = q.get(1);
    await clock.advance(0.01);
    expect(second.result()).toBe(1);
    await clock.advance(0.01);
    expect(q.getNowait()).toBe(2);
    expect(loop.pendingTimeouts).toBe(0);
  });

  test('get fails with TimeoutError when no item comes in time; later getters are not affected', async () => {
    const { clock } = currentVirtualLoop();
    const q = new Queue<number>();
    const timedOut = outcome(q.get(0.01));
    const get = q.get();
    await clock.advance(0.01);
    expect(await timedOut).toBeInstanceOf(TimeoutError);
    q.putNowait(0);
    expect(await get).toBe(0);
  });

  test('an item put before the timeout satisfies the getter', async () => {
    const { loop, clock } = currentVirtualLoop();
    const q = new Queue<number>();
    const get = q.get(0.01);
    q.put(0);
    await clock.advance(0.02);
    expect(await get).toBe(0);
    expect(loop.pendingTimeouts).toBe(0);
  });

  test('timed-out putters leave the line at once, and their items never go in', async () => {
    const { clock } = currentVirtualLoop();
    const q = new Queue<number>(1);
    const putters = Array.from({ length: 10 }, (_, i) => q.put(i, 0.01));
    const timedOut = putters.slice(1).map(outcome);
    const put = q.put(10);
    expect(String(q)).toContain('putters[10]');
    await clock.advance(0.02);
    expect(String(q)).toContain('putters[1]');
    expect(put.done()).toBe(false);
    q.put(11);
    expect(String(q)).toContain('putters[2]');
    expect(await q.get()).toBe(0);
    expect(String(q)).toContain('putters[1]');
    expect(await put).toBeUndefined();
    expect(q.getNowait()).toBe(10);
    expect(q.getNowait()).toBe(11);
    for (const o of await Promise.all(timedOut)) expect(o).toBeInstanceOf(TimeoutError);
  });

  test('timed-out getters leave the line at once and never receive an item', async () => {
    const { clock } = currentVirtualLoop();
    const q = new Queue<number>();
    const timedOut = Array.from({ length: 10 }, () => outcome(q.get(0.01)));
    const get = q.get();
    expect(String(q)).toContain('getters[11]');
    await clock.advance(0.02);
    expect(String(q)).toContain('getters[1]');
    expect(get.done()).toBe(false);
    q.get();
    expect(String(q)).toContain('getters[2]');
    for (const o of await Promise.all(timedOut)) expect(o).toBeInstanceOf(TimeoutError);
    q.putNowait(0);
    expect(await get).toBe(0);
  });

  test('for await iterates over the items as they come and never ends by itself', async () => {
    const { loop, clock } = currentVirtualLoop();
    const q = new Queue<number>();
    for (let i = 0; i < 5; i++) q.put(i);
    loop.callLater(1, () => q.putNowait(5));
    const read = (async () => {
      const results: number[] = [];
      for await (const item of q) {
        results.push(item);
        if (item === 5) return results;
      }
      return results;
    })();
    await clock.advance(1);
    expect(await read).toEqual([0, 1, 2, 3, 4, 5]);
    expect(String(q)).toBe('<Queue maxsize=0 tasks=6>');
  });
});

describe('Queue.put', () => {
  test('put stores the item at once when there is room', () => {
    currentVirtualLoop();
    const q = new Queue<number>();
    expect(q.put(0).done()).toBe(true);
    expect(q.getNowait()).toBe(0);
  });

  test('putNowait on a full queue throws QueueFull', () => {
    currentVirtualLoop();
    const q = new Queue<number>(1);
    q.put(0);
    expect(() => q.putNowait(1)).toThrow(QueueFull);
    expect(() => q.putNowait(1)).toThrow(/maxsize 1/);
  });

  test('put gives its item to the first waiting getter', async () => {
    currentVirtualLoop();
    const q = new Queue<number>();
    const get0 = q.get();
    const get1 = q.get();
    await q.put(0);
    expect(await get0).toBe(0);
    await q.put(1);
    expect(await get1).toBe(1);
    expect(q.empty()).toBe(true);
  });

  test('putNowait hands the item over at once; the waiting coroutine resumes only after the call', async () => {
    const { clock } = currentVirtualLoop();
    const q = new Queue<number>();
    const got: number[] = [];
    coroutine(function* () {
      got.push(yield* q.get());
      got.push(yield* q.get());
    })();
    q.putNowait(0);
    expect(got).toEqual([]);
    await clock.advance(0);
    expect(got).toEqual([0]);
    q.putNowait(1);
    expect(got).toEqual([0]);
    await clock.advance(0);
    expect(got).toEqual([0, 1]);
  });

  test('put waits for room made by later gets', async () => {
    const { loop, clock } = currentVirtualLoop();
    const q = new Queue<number>(1);
    q.putNowait(0);
    loop.callLater(0.01, () => q.get());
    loop.callLater(0.02, () => q.get());
    const futures = [q.put(0), q.put(1)];
    expect(futures.some((f) => f.done())).toBe(false);
    await clock.advance(0.01);
    expect(futures.map((f) => f.done())).toEqual([true, false]);
    await clock.advance(0.01);
    expect(futures.map((f) => f.done())).toEqual([true, true]);
  });

  test('put fails with TimeoutError when no room comes in time, and its item is never put', async () => {
    const { clock } = currentVirtualLoop();
    const q = new Queue<number>(1);
    q.putNowait(0);
    const timedOut = outcome(q.put(1, 0.01));
    const put = q.put(2);
    await clock.advance(0.01);
    expect(await timedOut).toBeInstanceOf(TimeoutError);
    expect(q.getNowait()).toBe(0);
    expect(await q.get()).toBe(2);
    await put;
  });

  test('room made before the timeout satisfies the putter', async () => {
    const { loop, clock } = currentVirtualLoop();
    const q = new Queue<number>(1);
    q.putNowait(0);
    const put = q.put(1, 0.01);
    q.get();
    await clock.advance(0.02);
    await put;
    expect(loop.pendingTimeouts).toBe(0);
    expect(q.getNowait()).toBe(1);
  });

  test('put with timed-out putters in line goes to the end of the live line', async () => {
    const { clock } = currentVirtualLoop();
    const q = new Queue<number>(1);
    const putters = Array.from({ length: 10 }, (_, i) => q.put(i, 0.01));
    const timedOut = putters.slice(1).map(outcome);
    const put = q.put(10);
    await clock.advance(0.02);
    expect(put.done()).toBe(false);
    q.put(11);
    expect(String(q)).toContain('putters[2]');
    expect([q.getNowait(), q.getNowait(), q.getNowait()]).toEqual([0, 10, 11]);
    for (const o of await Promise.all(timedOut)) expect(o).toBeInstanceOf(TimeoutError);
  });

  test('put with timed-out getters in line gives its item to the first live getter', async () => {
    const { clock } = currentVirtualLoop();
    const q = new Queue<number>();
    const timedOut = Array.from({ length: 10 }, () => outcome(q.get(0.01)));
    const get = q.get();
    q.get();
    expect(String(q)).toContain('getters[12]');
    await clock.advance(0.02);
    expect(String(q)).toContain('getters[2]');
    expect(get.done()).toBe(false);
    q.put(0);
    expect(String(q)).toContain('getters[1]');
    expect(await get).toBe(0);
    for (const o of await Promise.all(timedOut)) expect(o).toBeInstanceOf(TimeoutError);
  });

  test('a fractional maxsize acts as the next integer up', async () => {
    currentVirtualLoop();
    const q = new Queue<number>(1.3);
    expect(q.empty()).toBe(true);
    expect(q.full()).toBe(false);
    q.putNowait(0);
    q.putNowait(1);
    expect(q.full()).toBe(true);
    expect(() => q.putNowait(2)).toThrow(QueueFull);
    expect(q.getNowait()).toBe(0);
    expect(q.full()).toBe(false);
    await q.put(2);
    const put = q.put(3);
    expect(put.done()).toBe(false);
    expect(await q.get()).toBe(1);
    await put;
    expect(q.full()).toBe(true);
  });

  test('a getter cancelled by its owner leaves the line, and the item goes to the next one', () => {
    const { loop } = currentVirtualLoop();
    const q = new Queue<number>();
    const cancelled = q.get(5);
    const next = q.get();
    cancelled.cancel();
    expect(String(q)).toBe('<Queue maxsize=0 getters[1]>');
    expect(loop.pendingTimeouts).toBe(0);
    q.putNowait(7);
    expect(next.result()).toBe(7);
    expect(q.empty()).toBe(true);
  });
});
