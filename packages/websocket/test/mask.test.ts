import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyMask, randomMaskKey, websocketMask } from '../src/index.js';

const b = (s: string): Buffer => Buffer.from(s, 'latin1');

describe('websocketMask', () => {
  // Tornado's MaskFunctionMixin.test_mask vectors.
  it('masks the reference vectors, including NUL and high-bit bytes', () => {
    expect(websocketMask(b('abcd'), b(''))).toEqual(b(''));
    expect(websocketMask(b('abcd'), b('b'))).toEqual(b('\x03'));
    expect(websocketMask(b('abcd'), b('54321'))).toEqual(b('TVPVP'));
    expect(websocketMask(b('ZXCV'), b('98765432'))).toEqual(b('c`t`olpd'));
    expect(websocketMask(b('\x00\x01\x02\x03'), b('\xff\xfb\xfd\xfc\xfe\xfa'))).toEqual(
      b('\xff\xfa\xff\xff\xfe\xfb'),
    );
    expect(websocketMask(b('\xff\xfb\xfd\xfc'), b('\x00\x01\x02\x03\x04\x05'))).toEqual(
      b('\xff\xfa\xff\xff\xfb\xfe'),
    );
  });

  it('rejects a mask that is not 4 bytes', () => {
    expect(() => websocketMask(b('abc'), b('x'))).toThrow(RangeError);
  });
});

describe('applyMask', () => {
  it('unmasks in pieces when the mask offset is carried over', () => {
    const key = b('\x11\x22\x33\x44');
    const data = Buffer.from(Array.from({ length: 23 }, (_, i) => i * 7));
    const whole = websocketMask(key, data);
    const out = Buffer.alloc(data.length);
    let offset = 0;
    for (const [start, end] of [
      [0, 3],
      [3, 4],
      [4, 13],
      [13, 23],
    ] as const) {
      offset = applyMask(data, start, out, start, end - start, key, offset);
    }
    expect(out).toEqual(whole);
    expect(offset).toBe(23 % 4);
  });
});

/** The definition: byte i XOR mask[(offset + i) mod 4]. */
function naiveMask(data: Uint8Array, mask: Uint8Array, offset: number): Buffer {
  return Buffer.from(data.map((byte, i) => byte ^ mask[(offset + i) & 3]!));
}

describe('applyMask on runs long enough for the 32-bit path', () => {
  it('matches the byte-wise definition at any alignment, mask offset and length', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 0, maxLength: 600 }),
        fc.uint8Array({ minLength: 4, maxLength: 4 }),
        fc.nat(7),
        fc.nat(7),
        fc.nat(3),
        (data, mask, sourcePad, targetPad, offset) => {
          const source = new Uint8Array(data.length + sourcePad);
          source.set(data, sourcePad);
          const target = new Uint8Array(data.length + targetPad + 3).fill(0xee);
          const after = applyMask(source, sourcePad, target, targetPad, data.length, mask, offset);
          expect(Buffer.from(target.subarray(targetPad, targetPad + data.length))).toEqual(
            naiveMask(data, mask, offset),
          );
          // Nothing outside the run is touched, and the source is left alone.
          expect(target.subarray(0, targetPad).every((b) => b === 0xee)).toBe(true);
          expect(target.subarray(targetPad + data.length).every((b) => b === 0xee)).toBe(true);
          expect(source.subarray(sourcePad)).toEqual(data);
          expect(after).toBe((offset + data.length) & 3);
        },
      ),
    );
  });

  it('masks in place, also in a view that starts off a 4-byte boundary', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 64, maxLength: 400 }),
        fc.uint8Array({ minLength: 4, maxLength: 4 }),
        fc.nat(5),
        fc.nat(3),
        (data, mask, viewStart, offset) => {
          const backing = new Uint8Array(data.length + 8);
          const view = backing.subarray(viewStart, viewStart + data.length);
          view.set(data);
          applyMask(view, 0, view, 0, data.length, mask, offset);
          expect(Buffer.from(view)).toEqual(naiveMask(data, mask, offset));
        },
      ),
    );
  });
});

describe('randomMaskKey', () => {
  it('returns distinct 4-byte keys that are independent copies', () => {
    const keys = Array.from({ length: 3000 }, () => randomMaskKey());
    expect(keys.every((k) => k.length === 4)).toBe(true);
    const distinct = new Set(keys.map((k) => Buffer.from(k).toString('hex')));
    // 3000 draws from 2^32 values collide with probability about 0.1%; allow one.
    expect(distinct.size).toBeGreaterThanOrEqual(2999);
    const first = keys[0]!;
    const copy = Uint8Array.from(first);
    randomMaskKey();
    expect(first).toEqual(copy);
  });
});
