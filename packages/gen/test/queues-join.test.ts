/**
 * taskDone and join on every queue class, the order of PriorityQueue and LifoQueue, and a
 * producer/consumer pair (Tornado's QueueJoinTest, PriorityQueueJoinTest, LifoQueueJoinTest,
 * ProducerConsumerTest).
 */

import { coroutine, LifoQueue, PriorityQueue, Queue, sleep, TimeoutError } from '@tronada/gen';
import { describe, expect, test } from 'vitest';
import { currentVirtualLoop } from './coroutine-helpers.js';

/** What the producer/consumer example in Tornado's `Queue` docs prints. */
const TORNADO_EXAMPLE_OUTPUT = [
  'Put 0',
  'Put 1',
  'Doing work on 0',
  'Put 2',
  'Doing work on 1',
  'Put 3',
  'Doing work on 2',
  'Put 4',
  'Doing work on 3',
  'Doing work on 4',
  'Done',
];

const queueClasses = [
  ['Queue', Queue],
  ['PriorityQueue', PriorityQueue],
  ['LifoQueue', LifoQueue],
] as const;

describe.each(queueClasses)('%s taskDone and join', (_name, QueueClass) => {
  test('taskDone with no item outstanding is a RangeError', () => {
    const q = new QueueClass<number>();
    expect(() => q.taskDone()).toThrow(RangeError);
  });

  test('join resolves once two workers have marked every item done', async () => {
    const { clock } = currentVirtualLoop();
    const q = new QueueClass<number>();
    for (let i = 0; i < 100; i++) q.putNowait(i);
    let accumulator = 0;
    const worker = coroutine(function* (seed: number) {
      for (let n = seed; ; n++) {
        accumulator += yield* q.get();
        q.taskDone();
        // Uneven pauses (0 to 9 ms), so the two workers interleave irregularly.
        yield sleep(((n * 7) % 10) / 1000);
      }
    });
    worker(0);
    worker(3);
    const join = q.join();
    await clock.advance(1);
    expect(join.done()).toBe(true);
    expect(accumulator).toBe((99 * 100) / 2);
  });

  test('it is taskDone, not get, that completes a join', async () => {
    const { clock } = currentVirtualLoop();
    const q = new QueueClass<number>();
    q.putNowait(0);
    const join = q.join();
    expect(join.done()).toBe(false);
    await q.get();
    expect(join.done()).toBe(false);
    await clock.advance(0);
    expect(join.done()).toBe(false);
    q.taskDone();
    expect(join.done()).toBe(true);
  });

  test('join on a queue that never had items resolves at once, every time', async () => {
    currentVirtualLoop();
    const q = new QueueClass<number>();
    expect(q.join().done()).toBe(true);
    await q.join();
    await q.join();
  });

  test('join fails with TimeoutError if items stay unfinished', async () => {
    const { loop, clock } = currentVirtualLoop();
    const q = new QueueClass<number>();
    q.put(0);
    const timedOut = q.join(0.01).then(
      () => 'resolved',
      (error: unknown) => error,
    );
    await clock.advance(0.01);
    expect(await timedOut).toBeInstanceOf(TimeoutError);
    expect(loop.pendingTimeouts).toBe(0);
  });
});

describe('queue orders', () => {
  test('PriorityQueue hands out the lowest [priority, data] tuple first, putters included', async () => {
    currentVirtualLoop();
    const q = new PriorityQueue<[number, string]>(2);
    q.putNowait([1, 'a']);
    q.putNowait([0, 'b']);
    expect(q.full()).toBe(true);
    q.put([3, 'c']);
    q.put([2, 'd']);
    expect(q.getNowait()).toEqual([0, 'b']);
    expect(await q.get()).toEqual([1, 'a']);
    expect(q.getNowait()).toEqual([2, 'd']);
    expect(await q.get()).toEqual([3, 'c']);
    expect(q.empty()).toBe(true);
  });

  test('LifoQueue hands out the most recent item first, putters included', async () => {
    currentVirtualLoop();
    const q = new LifoQueue<number>(2);
    q.putNowait(1);
    q.putNowait(0);
    expect(q.full()).toBe(true);
    q.put(3);
    q.put(2);
    expect(q.getNowait()).toBe(3);
    expect(await q.get()).toBe(2);
    expect(q.getNowait()).toBe(0);
    expect(await q.get()).toBe(1);
    expect(q.empty()).toBe(true);
  });
});

describe('producer and consumer', () => {
  test('a consumer sees every item a producer puts through a bounded queue, in order', async () => {
    currentVirtualLoop();
    const q = new Queue<number>(3);
    const history: number[] = [];
    const consumer = coroutine(function* () {
      for (;;) {
        history.push(yield* q.get());
        q.taskDone();
      }
    });
    const producer = coroutine(function* () {
      for (let item = 0; item < 10; item++) yield q.put(item);
    });
    consumer();
    await producer();
    await q.join();
    expect(history).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  test("Tornado's docs example written with coroutines logs what Tornado's does", async () => {
    const { loop, clock } = currentVirtualLoop();
    const q = new Queue<number>(2);
    const log: string[] = [];
    const consumer = coroutine(function* () {
      for (;;) {
        const item = yield* q.get();
        try {
          log.push(`Doing work on ${item}`);
          yield sleep(0.01);
        } finally {
          q.taskDone();
        }
      }
    });
    const producer = coroutine(function* () {
      for (let item = 0; item < 5; item++) {
        yield q.put(item);
        log.push(`Put ${item}`);
      }
    });
    const main = coroutine(function* () {
      loop.spawnCallback(consumer);
      yield producer();
      yield q.join();
      log.push('Done');
    });
    const run = loop.runSync(main);
    await clock.advance(1);
    await run;
    expect(log).toEqual(TORNADO_EXAMPLE_OUTPUT);
  });

  test("Tornado's docs example written with async/await logs what Tornado's does", async () => {
    const { loop, clock } = currentVirtualLoop();
    const q = new Queue<number>(2);
    const log: string[] = [];
    const consumer = async (): Promise<void> => {
      for await (const item of q) {
        try {
          log.push(`Doing work on ${item}`);
          await sleep(0.01);
        } finally {
          q.taskDone();
        }
      }
    };
    const producer = async (): Promise<void> => {
      for (let item = 0; item < 5; item++) {
        await q.put(item);
        log.push(`Put ${item}`);
      }
    };
    loop.spawnCallback(consumer);
    const main = (async () => {
      await producer();
      await q.join();
      log.push('Done');
    })();
    await clock.advance(1);
    await main;
    expect(log).toEqual(TORNADO_EXAMPLE_OUTPUT);
  });
});
