/**
 * PriorityQueue's order: compareNatural (the default), a custom compare, ties in insertion
 * order, and a put the comparator refuses.
 */

import { compareNatural, PriorityQueue } from '@tronada/gen';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';

describe('compareNatural', () => {
  test('orders numbers, bigints and booleans by value, mixed freely', () => {
    expect(compareNatural(1, 2)).toBeLessThan(0);
    expect(compareNatural(2, 1)).toBeGreaterThan(0);
    expect(compareNatural(1, 1)).toBe(0);
    expect(compareNatural(1n, 2)).toBeLessThan(0);
    expect(compareNatural(2, 1n)).toBeGreaterThan(0);
    expect(compareNatural(1n, 1)).toBe(0);
    expect(compareNatural(false, true)).toBeLessThan(0);
    expect(compareNatural(true, 1)).toBe(0);
    expect(compareNatural(-0, 0)).toBe(0);
  });

  test('orders strings by code unit, and Dates by time', () => {
    expect(compareNatural('a', 'b')).toBeLessThan(0);
    expect(compareNatural('B', 'a')).toBeLessThan(0);
    expect(compareNatural('ab', 'a')).toBeGreaterThan(0);
    expect(compareNatural(new Date(1), new Date(2))).toBeLessThan(0);
    expect(compareNatural(new Date(5), new Date(5))).toBe(0);
  });

  test('orders arrays as tuples: element by element, a prefix first', () => {
    expect(compareNatural([1, 'b'], [1, 'c'])).toBeLessThan(0);
    expect(compareNatural([2], [1, 'z'])).toBeGreaterThan(0);
    expect(compareNatural([1], [1, 'a'])).toBeLessThan(0);
    expect(compareNatural([], [])).toBe(0);
    expect(compareNatural([1, [2, 3]], [1, [2, 4]])).toBeLessThan(0);
  });

  test('treats the very same value as equal whatever it is, as Python compares tuple elements', () => {
    const payload = { job: 'x' };
    expect(compareNatural([1, payload], [1, payload])).toBe(0);
    expect(compareNatural(Number.NaN, Number.NaN)).toBe(0);
  });

  test('refuses to order what Python would not, with a TypeError naming the remedy', () => {
    expect(() => compareNatural(1, 'a')).toThrow(TypeError);
    expect(() => compareNatural({}, {})).toThrow(/compare option/);
    expect(() => compareNatural([1, {}], [1, {}])).toThrow(TypeError);
    expect(() => compareNatural(Number.NaN, 1)).toThrow(TypeError);
    expect(() => compareNatural(null, null)).not.toThrow();
    expect(() => compareNatural(null, undefined)).toThrow(TypeError);
  });

  test('is a consistent order on numbers, strings and tuples of them', () => {
    const value = fc.oneof(
      fc.integer(),
      fc.tuple(fc.integer({ min: 0, max: 3 }), fc.string({ maxLength: 2 })),
    );
    fc.assert(
      fc.property(fc.array(value, { maxLength: 30 }), (values) => {
        const numbers = values.filter((v) => typeof v === 'number');
        const tuples = values.filter((v) => Array.isArray(v));
        for (const group of [numbers, tuples] as unknown[][]) {
          for (const a of group) {
            for (const b of group) {
              expect(Math.sign(compareNatural(a, b)) + Math.sign(compareNatural(b, a))).toBe(0);
            }
          }
          const sorted = [...group].sort(compareNatural);
          for (let i = 1; i < sorted.length; i++) {
            expect(compareNatural(sorted[i - 1], sorted[i])).toBeLessThanOrEqual(0);
          }
        }
      }),
    );
  });
});

describe('PriorityQueue order', () => {
  test('hands out items in sorted order whatever order they were put in, ties first-in first-out', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 5 }), fc.nat())), (entries) => {
        const q = new PriorityQueue<{ priority: number; id: number }>(0, {
          compare: (a, b) => a.priority - b.priority,
        });
        const items = entries.map(([priority], id) => ({ priority, id }));
        for (const item of items) q.putNowait(item);
        const out = items.map(() => q.getNowait());
        // Array.prototype.sort is stable: equal priorities keep their put order.
        const expected = [...items].sort((a, b) => a.priority - b.priority);
        expect(out).toEqual(expected);
        expect(q.empty()).toBe(true);
      }),
    );
  });

  test('interleaved puts and gets always return the smallest item stored', () => {
    fc.assert(
      fc.property(
        fc.array(fc.option(fc.integer({ min: -50, max: 50 }), { nil: undefined })),
        (ops) => {
          const q = new PriorityQueue<number>();
          const model: number[] = [];
          for (const op of ops) {
            if (op === undefined) {
              if (model.length === 0) continue;
              model.sort((a, b) => a - b);
              expect(q.getNowait()).toBe(model.shift());
            } else {
              q.putNowait(op);
              model.push(op);
            }
            expect(q.qsize()).toBe(model.length);
          }
        },
      ),
    );
  });

  test('a put the comparator refuses throws and leaves the queue as it was', () => {
    const q = new PriorityQueue<unknown>();
    q.putNowait(3);
    q.putNowait(1);
    q.putNowait(2);
    expect(() => q.putNowait('x')).toThrow(TypeError);
    expect(q.qsize()).toBe(3);
    expect(String(q)).toBe('<PriorityQueue maxsize=0 qsize=3 tasks=3>');
    expect([q.getNowait(), q.getNowait(), q.getNowait()]).toEqual([1, 2, 3]);
  });

  test('[priority, data] tuples with equal priorities and unorderable data need a compare option', () => {
    const natural = new PriorityQueue<[number, object]>();
    natural.putNowait([1, { a: 1 }]);
    expect(() => natural.putNowait([1, { b: 2 }])).toThrow(TypeError);
    const byPriority = new PriorityQueue<[number, object]>(0, { compare: (a, b) => a[0] - b[0] });
    const first = { a: 1 };
    const second = { b: 2 };
    byPriority.putNowait([1, first]);
    byPriority.putNowait([1, second]);
    byPriority.putNowait([0, second]);
    expect(byPriority.getNowait()).toEqual([0, second]);
    expect(byPriority.getNowait()[1]).toBe(first);
    expect(byPriority.getNowait()[1]).toBe(second);
  });
});
