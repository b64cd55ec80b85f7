/**
 * DeadlineQueue: many deadlines on one loop timeout, checked against a model on a virtual clock.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DeadlineQueue, type DeadlineWatcher } from '../src/deadline-queue.js';
import { virtualLoop } from './helpers.js';

function watcher(id: number, reached: number[]): DeadlineWatcher {
  return {
    deadlineIndex: -1,
    deadlineReached() {
      reached.push(id);
    },
  };
}

type Step =
  | { kind: 'set'; id: number; after: number }
  | { kind: 'delete'; id: number }
  | { kind: 'advance'; by: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    kind: fc.constant('set' as const),
    id: fc.integer({ min: 0, max: 7 }),
    after: fc.integer({ min: 0, max: 20 }),
  }),
  fc.record({ kind: fc.constant('delete' as const), id: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ kind: fc.constant('advance' as const), by: fc.integer({ min: 0, max: 12 }) }),
);

describe('DeadlineQueue', () => {
  it('tells each watcher once its latest deadline passed, and only then', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 40 }), async (steps) => {
        const { loop, clock } = virtualLoop();
        const queue = new DeadlineQueue(loop);
        const reached: number[] = [];
        const watchers = Array.from({ length: 8 }, (_, id) => watcher(id, reached));
        const model = new Map<number, number>();
        for (const s of steps) {
          if (s.kind === 'set') {
            queue.set(watchers[s.id]!, loop.time() + s.after);
            model.set(s.id, loop.time() + s.after);
          } else if (s.kind === 'delete') {
            queue.delete(watchers[s.id]!);
            model.delete(s.id);
          } else {
            reached.length = 0;
            await clock.advance(s.by);
            const due = [...model].filter(([, at]) => at <= loop.time()).map(([id]) => id);
            for (const id of due) model.delete(id);
            expect(reached.sort()).toEqual(due.sort());
          }
          expect(queue.size).toBe(model.size);
        }
        for (const w of watchers) queue.delete(w);
        expect(queue.size).toBe(0);
      }),
      { numRuns: 100 },
    );
  });

  it('arms no loop timeout while empty, one while anything is queued', async () => {
    const { loop, clock } = virtualLoop();
    const queue = DeadlineQueue.of(loop);
    expect(DeadlineQueue.of(loop)).toBe(queue);
    const reached: number[] = [];
    const a = watcher(1, reached);
    const b = watcher(2, reached);
    queue.set(a, loop.time() + 5);
    queue.set(b, loop.time() + 3);
    queue.set(a, loop.time() + 1);
    await clock.advance(1);
    expect(reached).toEqual([1]);
    expect(a.deadlineIndex).toBe(-1);
    queue.delete(b);
    expect(queue.size).toBe(0);
    expect(loop.pendingTimeouts).toBe(0);
    await clock.advance(10);
    expect(reached).toEqual([1]);
  });

  it('tells when each watcher is due, and Infinity once it left the queue', async () => {
    const { loop, clock } = virtualLoop();
    const queue = new DeadlineQueue(loop);
    const other = new DeadlineQueue(loop);
    const reached: number[] = [];
    const a = watcher(1, reached);
    const b = watcher(2, reached);
    const start = loop.time();
    queue.set(a, start + 4);
    queue.set(b, start + 2);
    queue.set(a, start + 6);
    expect(queue.deadlineOf(a)).toBe(start + 6);
    expect(queue.deadlineOf(b)).toBe(start + 2);
    expect(other.deadlineOf(a)).toBe(Number.POSITIVE_INFINITY);
    await clock.advance(2);
    expect(reached).toEqual([2]);
    expect(queue.deadlineOf(b)).toBe(Number.POSITIVE_INFINITY);
    queue.delete(a);
    expect(queue.deadlineOf(a)).toBe(Number.POSITIVE_INFINITY);
  });

  it('lets a watcher that is told queue itself again', async () => {
    const { loop, clock } = virtualLoop();
    const queue = new DeadlineQueue(loop);
    let times = 0;
    const again: DeadlineWatcher = {
      deadlineIndex: -1,
      deadlineReached() {
        times += 1;
        if (times < 3) queue.set(again, loop.time() + 2);
      },
    };
    queue.set(again, loop.time() + 2);
    await clock.advance(7);
    expect(times).toBe(3);
    expect(queue.size).toBe(0);
  });
});
