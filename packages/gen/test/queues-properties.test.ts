/**
 * Properties of the queues under any interleaving of producers and consumers: fast-check's
 * scheduler decides who moves next, a generated plan decides when virtual time moves so that
 * random put/get timeouts fire in between.
 */

import { LifoQueue, PriorityQueue, Queue, TimeoutError } from '@tronada/gen';
import { futureAddDoneCallback, IOLoop, VirtualClock } from '@tronada/ioloop';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';

interface Producer {
  /** Timeout of each put (undefined waits for ever). */
  readonly puts: readonly (number | undefined)[];
}

interface Consumer {
  /** Timeout of each get (always set, so a consumer never waits for ever). */
  readonly gets: readonly number[];
}

const producer: fc.Arbitrary<Producer> = fc.record({
  puts: fc.array(fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined }), { maxLength: 6 }),
});
const consumer: fc.Arbitrary<Consumer> = fc.record({
  gets: fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 6 }),
});

const kinds = ['Queue', 'PriorityQueue', 'LifoQueue'] as const;
type Kind = (typeof kinds)[number];
type Item = readonly [producer: number, index: number];

function makeQueue(kind: Kind, maxsize: number): Queue<Item> {
  if (kind === 'PriorityQueue') return new PriorityQueue<Item>(maxsize);
  if (kind === 'LifoQueue') return new LifoQueue<Item>(maxsize);
  return new Queue<Item>(maxsize);
}

describe('queues under any interleaving of producers and consumers', () => {
  test('stay within maxsize, lose and duplicate nothing, never deliver a timed-out put, and clean up every waiter', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        fc.constantFrom(...kinds),
        fc.integer({ min: 1, max: 3 }),
        fc.array(producer, { minLength: 1, maxLength: 4 }),
        fc.array(consumer, { maxLength: 4 }),
        fc.array(fc.boolean(), { maxLength: 20 }),
        async (s, kind, maxsize, producers, consumers, plan) => {
          const clock = new VirtualClock();
          const loop = new IOLoop({ clock });
          loop.makeCurrent();
          try {
            const q = makeQueue(kind, maxsize);
            const check = (): void => expect(q.qsize()).toBeLessThanOrEqual(maxsize);
            const accepted = new Set<string>();
            const refused = new Set<string>();
            const taken: Item[] = [];
            const take = (item: Item): void => {
              taken.push(item);
              check();
            };

            const produce = async (p: number, spec: Producer): Promise<void> => {
              for (const [k, timeout] of spec.puts.entries()) {
                await s.schedule(Promise.resolve(), `producer ${p} put ${k}`);
                const item: Item = [p, k];
                const put = q.put(item, timeout);
                check();
                try {
                  await put;
                  accepted.add(`${p}:${k}`);
                } catch (error) {
                  expect(error).toBeInstanceOf(TimeoutError);
                  refused.add(`${p}:${k}`);
                }
              }
            };
            const consume = async (c: number, spec: Consumer): Promise<void> => {
              for (const [k, timeout] of spec.gets.entries()) {
                await s.schedule(Promise.resolve(), `consumer ${c} get ${k}`);
                const get = q.get(timeout);
                // Recorded in the order the queue hands items out (done callbacks run in
                // settlement order), not in the order the consumers happen to resume.
                futureAddDoneCallback(get, (f) => {
                  if (f.exception() === null) take(f.result());
                });
                try {
                  await get;
                  q.taskDone();
                } catch (error) {
                  expect(error).toBeInstanceOf(TimeoutError);
                }
              }
            };

            let finished = false;
            const all = Promise.all([
              ...producers.map((spec, p) => produce(p, spec)),
              ...consumers.map((spec, c) => consume(c, spec)),
            ]).then(() => {
              finished = true;
            });
            for (let step = 0; !finished; step++) {
              const preferTask = plan.length === 0 || plan[step % plan.length]!;
              if (s.count() > 0 && (preferTask || loop.pendingTimeouts === 0)) await s.waitNext(1);
              else if (loop.pendingTimeouts > 0) await clock.advance(1);
              else if (!q.empty()) {
                // Nothing else can move: a putter without a timeout waits for room. Make some.
                take(q.getNowait());
                q.taskDone();
              }
              await clock.settle();
              check();
              if (!finished && s.count() === 0 && loop.pendingTimeouts === 0 && q.empty()) {
                await clock.settle();
                if (!finished) throw new Error('deadlock: a waiter can never be woken');
              }
            }
            await all;
            while (!q.empty()) {
              take(q.getNowait());
              q.taskDone();
            }

            const takenKeys = taken.map(([p, k]) => `${p}:${k}`);
            expect(new Set(takenKeys).size).toBe(takenKeys.length);
            expect(new Set(takenKeys)).toEqual(accepted);
            for (const key of refused) expect(accepted.has(key)).toBe(false);
            if (kind === 'Queue') {
              // FIFO: each producer's items come out in the order it put them.
              for (let p = 0; p < producers.length; p++) {
                const mine = taken.filter(([from]) => from === p).map(([, k]) => k);
                expect(mine).toEqual([...mine].sort((a, b) => a - b));
              }
            }
            expect(q.join().done()).toBe(true);
            expect(String(q)).toBe(`<${kind} maxsize=${maxsize}>`);
            expect(loop.pendingTimeouts).toBe(0);
          } finally {
            loop.close();
            IOLoop.clearCurrent();
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
