import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseHttpDate } from '../src/static-http-date.js';
import { formatContentRange, parseRequestRange, planRange } from '../src/static-range.js';

describe('parseRequestRange', () => {
  it('turns inclusive byte positions into slice indexes', () => {
    expect(parseRequestRange('bytes=1-2')).toEqual({ start: 1, end: 3 });
    expect(parseRequestRange('bytes=6-')).toEqual({ start: 6, end: null });
    expect(parseRequestRange(' bytes = 0-9 ')).toEqual({ start: 0, end: 10 });
  });

  it('reads a suffix as a negative start, and keeps bytes=-0 unsatisfiable', () => {
    expect(parseRequestRange('bytes=-6')).toEqual({ start: -6, end: null });
    expect(parseRequestRange('bytes=-0')).toEqual({ start: null, end: 0 });
    expect(parseRequestRange('bytes=')).toEqual({ start: null, end: null });
  });

  it('ignores other units, several ranges and garbage', () => {
    for (const header of [
      'foo=42',
      'bytes=1-2,6-10',
      'asdf',
      'bytes=a-b',
      'bytes=1-x',
      'bytes=--1',
    ]) {
      expect(parseRequestRange(header), header).toBeNull();
    }
  });
});

describe('planRange', () => {
  it('sends the whole file with 200 when the range covers it', () => {
    expect(planRange(parseRequestRange('bytes=0-'), 26).kind).toBe('whole');
    expect(planRange(parseRequestRange('bytes=-100'), 26).kind).toBe('whole');
    expect(planRange(null, 26)).toEqual({ kind: 'whole', start: null, end: null, length: 26 });
  });

  it('answers 416 for ranges past the end, reversed, empty suffixes and empty files', () => {
    for (const [header, size] of [
      ['bytes=26-', 26],
      ['bytes=10-3', 26],
      ['bytes=-0', 26],
      ['bytes=0-', 0],
    ] as const) {
      expect(planRange(parseRequestRange(header), size).kind, `${header} of ${size}`).toBe(
        'unsatisfiable',
      );
    }
  });

  it('always plans a slice inside the file whose length matches its bounds (property)', () => {
    const arbHeader = fc.oneof(
      fc.tuple(fc.nat(200), fc.option(fc.nat(200))).map(([a, b]) => `bytes=${a}-${b ?? ''}`),
      fc.nat(200).map((n) => `bytes=-${n}`),
    );
    fc.assert(
      fc.property(arbHeader, fc.nat(150), (header, size) => {
        const plan = planRange(parseRequestRange(header), size);
        if (plan.kind === 'unsatisfiable') return;
        if (plan.kind === 'whole') {
          expect(plan.length).toBe(size);
          return;
        }
        expect(plan.start).toBeGreaterThanOrEqual(0);
        expect(plan.end).toBeLessThanOrEqual(size);
        expect(plan.length).toBe(plan.end - plan.start);
        expect(plan.length).toBeGreaterThan(0);
        expect(plan.length).toBeLessThan(size);
        const [first, last] = formatContentRange(plan.start, plan.end, size)
          .slice(6)
          .split('/')[0]!
          .split('-');
        expect(Number(last) - Number(first) + 1).toBe(plan.length);
      }),
      { seed: 2606, numRuns: 500 },
    );
  });
});

describe('parseHttpDate', () => {
  it('reads the three HTTP date forms as GMT', () => {
    const expected = Date.UTC(1994, 10, 6, 8, 49, 37);
    expect(parseHttpDate('Sun, 06 Nov 1994 08:49:37 GMT')).toBe(expected);
    expect(parseHttpDate('Sunday, 06-Nov-94 08:49:37 GMT')).toBe(expected);
    expect(parseHttpDate('Sun Nov  6 08:49:37 1994')).toBe(expected);
  });

  it('reads dates before the epoch', () => {
    expect(parseHttpDate('Fri, 01 Jan 1960 00:00:00 GMT')).toBe(Date.UTC(1960, 0, 1));
  });

  it('returns null for what is not an HTTP date', () => {
    for (const value of [
      '',
      '1',
      'yesterday',
      'Sun, 32 Nov 1994 08:49:37 GMT',
      'Sun, 06 Foo 1994 08:49:37 GMT',
    ]) {
      expect(parseHttpDate(value), value).toBeNull();
    }
  });
});
