/**
 * XSRF token text (the token-level half of Tornado's XSRFTest; the request-level half needs
 * RequestHandler). The known vector was produced by Python Tornado 6.2 with the same mask.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { InvalidSigningArgumentError } from '../src/security/signed-value.js';
import {
  decodeXsrfToken,
  encodeXsrfToken,
  newXsrfTokenBytes,
  xsrfTokensMatch,
} from '../src/security/xsrf-token.js';

const TOKEN = Buffer.from(Array.from({ length: 16 }, (_, i) => i));
const MASK = Buffer.from([1, 2, 3, 4]);
const NOW = 1400000000;
const clock = () => NOW + 0.75;

describe('encoding', () => {
  test('a v2 token matches Python Tornado byte for byte for the same mask', () => {
    expect(encodeXsrfToken(TOKEN, NOW + 0.9, 2, MASK)).toBe(
      '2|01020304|0103010705070503090b090f0d0f0d0b|1400000000',
    );
  });

  test('a v1 token is the raw token in hex', () => {
    expect(encodeXsrfToken(TOKEN, NOW, 1)).toBe('000102030405060708090a0b0c0d0e0f');
  });

  test('v2 is the default and draws a fresh random mask each time', () => {
    const texts = new Set(Array.from({ length: 10 }, () => encodeXsrfToken(TOKEN, NOW)));
    expect(texts.size).toBe(10);
    for (const t of texts) expect(decodeXsrfToken(t)?.token).toEqual(TOKEN);
  });

  test('new raw tokens are 16 random bytes', () => {
    const a = newXsrfTokenBytes();
    expect(a).toHaveLength(16);
    expect(a.equals(newXsrfTokenBytes())).toBe(false);
  });

  test('caller mistakes throw InvalidSigningArgumentError', () => {
    expect(() => encodeXsrfToken(TOKEN, NOW, 3 as 2)).toThrow(InvalidSigningArgumentError);
    expect(() => encodeXsrfToken(TOKEN, NOW, 2, Buffer.from([1, 2, 3]))).toThrow(/4 bytes/);
    expect(() => encodeXsrfToken(TOKEN, Number.POSITIVE_INFINITY, 2)).toThrow(/finite/);
  });
});

describe('decoding', () => {
  test('a v2 token gives back the raw token and its timestamp', () => {
    expect(decodeXsrfToken('2|01020304|0103010705070503090b090f0d0f0d0b|1400000000')).toEqual({
      version: 2,
      token: TOKEN,
      timestamp: NOW,
    });
  });

  test('a short hex token is v1 with the current time (xsrf_success_short_token)', () => {
    expect(decodeXsrfToken('deadbeef', { clock })).toEqual({
      version: 1,
      token: Buffer.from('deadbeef', 'hex'),
      timestamp: NOW,
    });
  });

  test('a non-hex token is taken as its UTF-8 bytes (xsrf_success_non_hex_token)', () => {
    expect(decodeXsrfToken('xoxo', { clock })?.token).toEqual(Buffer.from('xoxo'));
    expect(decodeXsrfToken('abc', { clock })?.token).toEqual(Buffer.from('abc'));
    expect(decodeXsrfToken('héé', { clock })?.token).toEqual(Buffer.from('héé'));
  });

  test('the empty string is an empty v1 token, which callers treat as missing', () => {
    expect(decodeXsrfToken('', { clock })).toEqual({
      version: 1,
      token: Buffer.alloc(0),
      timestamp: NOW,
    });
  });

  test.each([
    ['an unknown version', '3|'],
    ['an explicit version 1 prefix', '1|abcd'],
    ['a huge version', '12345|ab'],
    ['too few parts', '2|01020304|00'],
    ['too many parts', '2|01020304|00|1|2'],
    ['odd-length mask hex', '2|0102030|00|1'],
    ['non-hex masked token', '2|01020304|zz|1'],
    ['a non-numeric timestamp', '2|01020304|00|x'],
    ['a float timestamp', '2|01020304|00|1.5'],
    ['a mask too short for the token', '2|0102|000000|1'],
    ['a lone surrogate', 'ab\ud800'],
  ])('%s gives null', (_what, value) => {
    expect(decodeXsrfToken(value)).toBeNull();
  });

  test('timestamps follow Python int(): spaces, underscores, signs and Unicode digits', () => {
    const ts = (t: string) => decodeXsrfToken(`2|01020304|00|${t}`)?.timestamp;
    expect(ts(' 12\n')).toBe(12);
    expect(ts('1_2')).toBe(12);
    expect(ts('-7')).toBe(-7);
    expect(ts('\u0661\u0662\u0663')).toBe(123);
    expect(ts('\u00a09')).toBe(9);
    expect(ts('1__2')).toBeUndefined();
    expect(ts('\ufeff1')).toBeUndefined();
  });

  test('a short mask works while the token is no longer than the mask (as pure-Python Tornado)', () => {
    expect(decodeXsrfToken('2|0102|0000|5')?.token).toEqual(Buffer.from([1, 2]));
    expect(decodeXsrfToken('2||||')).toBeNull();
    expect(decodeXsrfToken('2|||5')?.token).toEqual(Buffer.alloc(0));
  });

  test('a version prefix followed by an inner newline is not a version (Python regex rules)', () => {
    expect(decodeXsrfToken('2|01020304|00|1\nx', { clock })?.version).toBe(1);
    expect(decodeXsrfToken('2|01020304|00|1\n', { clock })?.version).toBe(2);
  });
});

describe('matching', () => {
  test('v1 and v2 forms of one token match each other (versioning)', () => {
    const v1 = decodeXsrfToken(encodeXsrfToken(TOKEN, NOW, 1))!;
    const v2 = decodeXsrfToken(encodeXsrfToken(TOKEN, NOW, 2))!;
    expect(xsrfTokensMatch(v1.token, v2.token)).toBe(true);
  });

  test('tokens of different lengths do not match', () => {
    expect(xsrfTokensMatch(TOKEN, TOKEN.subarray(1))).toBe(false);
    expect(xsrfTokensMatch(Buffer.alloc(0), Buffer.alloc(0))).toBe(true);
  });

  const arbToken = fc.uint8Array({ maxLength: 40 });
  const arbMask = fc.uint8Array({ minLength: 4, maxLength: 4 });
  const arbTime = fc.integer({ min: -1e12, max: 1e12 });

  test('decode(encode(x)) gives back any token, timestamp and mask', () => {
    fc.assert(
      fc.property(arbToken, arbTime, arbMask, (token, timestamp, mask) => {
        const encoded = encodeXsrfToken(token, timestamp, 2, mask);
        expect(decodeXsrfToken(encoded)).toEqual({
          version: 2,
          token: Buffer.from(token),
          timestamp,
        });
        expect(encoded.split('|')[1]).toBe(Buffer.from(mask).toString('hex'));
        const v1 = decodeXsrfToken(encodeXsrfToken(token, timestamp, 1), { clock });
        expect(v1).toEqual({ version: 1, token: Buffer.from(token), timestamp: NOW });
      }),
    );
  });

  test("a token from one cookie never matches another cookie's token", () => {
    fc.assert(
      fc.property(arbToken, arbToken, arbMask, arbMask, (a, b, maskA, maskB) => {
        fc.pre(!Buffer.from(a).equals(Buffer.from(b)));
        const fromForm = decodeXsrfToken(encodeXsrfToken(a, NOW, 2, maskA))!;
        const fromCookie = decodeXsrfToken(encodeXsrfToken(b, NOW, 2, maskB))!;
        expect(xsrfTokensMatch(fromForm.token, fromCookie.token)).toBe(false);
        const again = decodeXsrfToken(encodeXsrfToken(b, NOW + 5, 2, maskA))!;
        expect(xsrfTokensMatch(again.token, fromCookie.token)).toBe(true);
      }),
    );
  });

  test('decoding arbitrary text never throws', () => {
    const pieces = fc.constantFrom('2', '|', '0', '1', 'a', 'f', 'g', ' ', '\n', '_', '\u0661');
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 30 }), fc.string(), (parts, junk) => {
        expect(() => decodeXsrfToken(parts.join(''))).not.toThrow();
        expect(() => decodeXsrfToken(junk)).not.toThrow();
      }),
    );
  });
});
