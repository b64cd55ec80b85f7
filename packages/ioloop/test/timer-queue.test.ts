import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type { TimerEntry } from '../src/timer-queue.js';
import { TimerQueue } from '../src/timer-queue.js';

const noop = (): void => undefined;

type HeapOp =
  | { readonly kind: 'push'; readonly deadline: number }
  | { readonly kind: 'remove'; readonly pick: number }
  | { readonly kind: 'popDue'; readonly now: number }
  | { readonly kind: 'clear' };

// Whole seconds plus sub-millisecond offsets, so several distinct deadlines share one
// millisecond bucket and arrive there out of order.
const time = fc
  .tuple(fc.integer({ min: 0, max: 15 }), fc.integer({ min: 0, max: 4 }))
  .map(([s, sub]) => s + sub * 0.0002);

const heapOp: fc.Arbitrary<HeapOp> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('push'), deadline: time }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('remove'), pick: fc.nat() }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('popDue'), now: time }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'clear' as const }) },
);

describe('TimerQueue', () => {
  test('behaves like an array kept sorted by (deadline, insertion order)', () => {
    fc.assert(
      fc.property(fc.array(heapOp, { maxLength: 80 }), (ops) => {
        const heap = new TimerQueue();
        const created: TimerEntry[] = [];
        // The model: entries waiting, in (deadline, insertion) order.
        let model: TimerEntry[] = [];
        for (const op of ops) {
          switch (op.kind) {
            case 'push': {
              const entry = heap.push(op.deadline, noop);
              created.push(entry);
              const at = model.findIndex((e) => e.deadline > op.deadline);
              model.splice(at < 0 ? model.length : at, 0, entry);
              break;
            }
            case 'remove': {
              if (created.length === 0) break;
              const entry = created[op.pick % created.length]!;
              const waiting = model.includes(entry);
              expect(heap.remove(entry)).toBe(waiting);
              model = model.filter((e) => e !== entry);
              break;
            }
            case 'popDue': {
              const first = model[0];
              const expected = first !== undefined && first.deadline <= op.now ? first : undefined;
              expect(heap.popDue(op.now)).toBe(expected);
              if (expected !== undefined) model.shift();
              break;
            }
            case 'clear':
              heap.clear();
              model = [];
              break;
          }
          expect(heap.size).toBe(model.length);
          expect(heap.nextDeadline()).toBe(model[0]?.deadline);
        }
        // Draining returns everything left, in order.
        const drained: TimerEntry[] = [];
        for (
          let e = heap.popDue(Number.POSITIVE_INFINITY);
          e !== undefined;
          e = heap.popDue(Number.POSITIVE_INFINITY)
        ) {
          drained.push(e);
        }
        expect(drained).toEqual(model);
      }),
      { numRuns: 300 },
    );
  });

  test('stays exact when thousands of removals trigger its bulk clean-up', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 200 }), fc.boolean(), fc.boolean()), {
          minLength: 1500,
          maxLength: 3000,
        }),
        (specs) => {
          const heap = new TimerQueue();
          const model: TimerEntry[] = [];
          const entries = specs.map(([ms]) => heap.push(ms / 100, noop));
          // Remove most of them (more than enough to outnumber the live ones).
          specs.forEach(([, keepA, keepB], i) => {
            if (keepA && keepB) model.push(entries[i]!);
            else expect(heap.remove(entries[i]!)).toBe(true);
          });
          expect(heap.size).toBe(model.length);
          model.sort((a, b) => a.deadline - b.deadline || a.seq - b.seq);
          const drained: TimerEntry[] = [];
          for (
            let e = heap.popDue(Number.POSITIVE_INFINITY);
            e !== undefined;
            e = heap.popDue(Number.POSITIVE_INFINITY)
          ) {
            drained.push(e);
          }
          expect(drained).toEqual(model);
        },
      ),
      { numRuns: 15 },
    );
  });

  test('entries with equal deadlines come out in insertion order', () => {
    const heap = new TimerQueue();
    const entries = Array.from({ length: 50 }, () => heap.push(1, noop));
    const out: TimerEntry[] = [];
    for (let e = heap.popDue(1); e !== undefined; e = heap.popDue(1)) out.push(e);
    expect(out).toEqual(entries);
  });

  test('nothing is due before its deadline', () => {
    const heap = new TimerQueue();
    heap.push(5, noop);
    expect(heap.popDue(4.999)).toBeUndefined();
    expect(heap.popDue(5)?.deadline).toBe(5);
    expect(heap.nextDeadline()).toBeUndefined();
  });

  test('removing an entry twice, or after it was popped or cleared, returns false', () => {
    const heap = new TimerQueue();
    const a = heap.push(1, noop);
    const b = heap.push(2, noop);
    const c = heap.push(3, noop);
    expect(heap.remove(a)).toBe(true);
    expect(heap.remove(a)).toBe(false);
    expect(heap.popDue(2)).toBe(b);
    expect(heap.remove(b)).toBe(false);
    heap.clear();
    expect(heap.remove(c)).toBe(false);
    expect(heap.size).toBe(0);
  });
});
