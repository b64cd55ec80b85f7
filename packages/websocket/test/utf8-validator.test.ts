import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Utf8Validator } from '../src/index.js';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s/g, ''), 'hex');

/** Index of the first invalid byte when `bytes` are fed one at a time, or -1. */
function firstInvalid(bytes: Uint8Array): number {
  const v = new Utf8Validator();
  for (let i = 0; i < bytes.length; i++) {
    if (v.write(bytes, i, i + 1) >= 0) return i;
  }
  return -1;
}

describe('Utf8Validator', () => {
  it('accepts ASCII, 2-, 3- and 4-byte characters and the extremes of each range', () => {
    const v = new Utf8Validator();
    const text = Buffer.from(
      'ascii é € 𝄞 \u0080 \u07ff \u0800 \uffff \u{10000} \u{10ffff}',
      'utf8',
    );
    expect(v.write(text)).toBe(-1);
    expect(v.end()).toBe(true);
  });

  it.each([
    ['a lone continuation byte', '41 80', 1],
    ['C0 and C1, which only start overlong forms', '41 c0 80', 1],
    ['C1', 'c1 bf', 0],
    ['an overlong 3-byte form (E0 80..9F)', 'e0 9f bf', 1],
    ['an overlong 4-byte form (F0 80..8F)', 'f0 8f bf bf', 1],
    ['a UTF-16 surrogate (ED A0..BF)', 'ed a0 80', 1],
    ['a code point above U+10FFFF (F4 90..)', 'f4 90 80 80', 1],
    ['F5, which would start a sequence beyond U+10FFFF', 'f5 80 80 80', 0],
    ['FF', '41 42 ff', 2],
    ['a sequence cut short by an ASCII byte', 'e2 82 41', 2],
  ])('reports %s at the first byte that cannot be valid', (_name, bytes, index) => {
    expect(firstInvalid(hex(bytes))).toBe(index);
    expect(new Utf8Validator().write(hex(bytes))).toBe(index);
  });

  it('reports a sequence truncated by the end of the text only at end()', () => {
    const v = new Utf8Validator();
    expect(v.write(hex('41 f0 9f 98'))).toBe(-1);
    expect(v.end()).toBe(false);
    expect(v.write(hex('80'))).toBe(-1);
    expect(v.end()).toBe(true);
  });

  it('stays failed until reset', () => {
    const v = new Utf8Validator();
    expect(v.write(hex('ff'))).toBe(0);
    expect(v.write(hex('41'))).toBe(0);
    expect(v.end()).toBe(false);
    v.reset();
    expect(v.write(hex('41'))).toBe(-1);
    expect(v.end()).toBe(true);
  });

  it('agrees with a fatal TextDecoder on any bytes, however they are split', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 48 }),
          fc.string({ unit: 'binary', maxLength: 24 }).map((s) => Buffer.from(s)),
        ),
        fc.array(fc.nat(), { maxLength: 6 }),
        (bytes, cuts) => {
          let valid = true;
          try {
            new TextDecoder('utf-8', { fatal: true }).decode(bytes);
          } catch {
            valid = false;
          }
          const points = [
            0,
            ...cuts.map((c) => c % (bytes.length + 1)).sort((a, b) => a - b),
            bytes.length,
          ];
          const v = new Utf8Validator();
          let ok = true;
          for (let i = 1; i < points.length && ok; i++)
            ok = v.write(bytes, points[i - 1]!, points[i]!) < 0;
          expect(ok && v.end()).toBe(valid);
        },
      ),
      { numRuns: 100 },
    );
  });
});
