/**
 * Signed values (Tornado's SignedValueTest and SecureCookieV1/V2Test, at the function level).
 * The known vectors below were produced by running Python Tornado 6.2's `create_signed_value`
 * with the same secret, name, value and clock.
 */
import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  createSignedValue,
  decodeSignedValue,
  getSignatureKeyVersion,
  InvalidSigningArgumentError,
} from '../src/security/signed-value.js';

const SECRET = 'tronada-test-secret';
const KEYS = { 3: 'k3', 7: 'k7' };
const NOW = 1400000000;
const present = () => NOW;
const DAY = 86400;

const V1_HELLO = 'aGVsbG8gd29ybGQ=|1400000000|3f3a5b63e9ec04efd7b5320e5c852a1868e16d5f';
const V2_PREFIX = '2|1:0|10:1400000000|7:session|16:aGVsbG8gd29ybGQ=|';
const V2_SIG = 'ab7bab4066e10a2701cebbc067544e15b1aaf1a6d16faf4a440eedc4e7d49e25';
const V2_HELLO = V2_PREFIX + V2_SIG;

const text = (b: Buffer | null) => b?.toString('utf8') ?? null;

describe('known values', () => {
  test('version 1 output matches Python Tornado byte for byte', () => {
    expect(
      createSignedValue(SECRET, 'session', 'hello world', { version: 1, clock: present }),
    ).toBe(V1_HELLO);
  });

  test('version 2 output matches Python Tornado byte for byte, and is the default', () => {
    expect(
      createSignedValue(SECRET, 'session', 'hello world', { version: 2, clock: present }),
    ).toBe(V2_HELLO);
    expect(createSignedValue(SECRET, 'session', 'hello world', { clock: present })).toBe(V2_HELLO);
  });

  test('a key-version map signs with the chosen key and records its version', () => {
    const signed = createSignedValue(KEYS, 'session', Buffer.from([0, 255]), {
      clock: present,
      keyVersion: 7,
    });
    expect(signed).toBe(
      '2|1:7|10:1400000000|7:session|4:AP8=|9e759aa175925ab4ddbd8991a0836567b36ada5909deec7fbfcd01048e979127',
    );
  });

  test('non-ASCII bytes are base64-encoded as Tornado does', () => {
    expect(createSignedValue(SECRET, 'session', Buffer.from([0xe9]), { clock: present })).toBe(
      '2|1:0|10:1400000000|7:session|4:6Q==|983f28bf395496f3f6931e1b5b6d3e1381c71da27ed0919b28251a6db8c6b1ed',
    );
  });

  test('decodes both known values back to the original bytes', () => {
    const opts = { clock: present };
    expect(text(decodeSignedValue(SECRET, 'session', V1_HELLO, { ...opts, minVersion: 1 }))).toBe(
      'hello world',
    );
    expect(text(decodeSignedValue(SECRET, 'session', V2_HELLO, { ...opts, minVersion: 2 }))).toBe(
      'hello world',
    );
  });
});

describe('rejection', () => {
  test('a value signed for one name does not decode under another (name swap)', () => {
    const one = createSignedValue(SECRET, 'key1', 'value', { clock: present });
    const two = createSignedValue(SECRET, 'key2', 'value', { clock: present });
    expect(decodeSignedValue(SECRET, 'key2', one, { clock: present })).toBeNull();
    expect(decodeSignedValue(SECRET, 'key1', two, { clock: present })).toBeNull();
    expect(text(decodeSignedValue(SECRET, 'key1', one, { clock: present }))).toBe('value');
  });

  test('an expired value decodes at signing time but not 32 days later', () => {
    const past = () => NOW - 32 * DAY;
    for (const version of [1, 2] as const) {
      const signed = createSignedValue(SECRET, 'key1', 'value', { clock: past, version });
      expect(text(decodeSignedValue(SECRET, 'key1', signed, { clock: past }))).toBe('value');
      expect(decodeSignedValue(SECRET, 'key1', signed, { clock: present })).toBeNull();
    }
  });

  test('maxAgeDays bounds the age exactly: on the boundary passes, one second later fails', () => {
    const signed = createSignedValue(SECRET, 'n', 'v', { clock: present });
    const at = (t: number) =>
      decodeSignedValue(SECRET, 'n', signed, { clock: () => t, maxAgeDays: 2 });
    expect(text(at(NOW + 2 * DAY))).toBe('v');
    expect(at(NOW + 2 * DAY + 1)).toBeNull();
  });

  test('payload tampering: key version, short field, long field are all refused', () => {
    const validate = (prefix: string) =>
      text(decodeSignedValue(SECRET, 'session', prefix + V2_SIG, { clock: present })) ===
      'hello world';
    expect(validate(V2_PREFIX)).toBe(true);
    expect(validate(V2_PREFIX.replace('1:0', '1:1'))).toBe(false);
    expect(validate(V2_PREFIX.replace('10:1400000000', '10:140000000'))).toBe(false);
    expect(validate(V2_PREFIX.replace('7:session', '7:sessionn'))).toBe(false);
  });

  test('signature tampering: zeros, a changed digit, truncation and extension are refused', () => {
    const validate = (sig: string) =>
      decodeSignedValue(SECRET, 'session', V2_PREFIX + sig, { clock: present }) !== null;
    expect(validate(V2_SIG)).toBe(true);
    expect(validate('0'.repeat(32))).toBe(false);
    expect(validate(`b${V2_SIG.slice(1)}`)).toBe(false);
    expect(validate(`${V2_SIG.slice(0, -1)}6`)).toBe(false);
    expect(validate(V2_SIG.slice(0, -1))).toBe(false);
    expect(validate(`${V2_SIG}8`)).toBe(false);
    expect(validate(V2_SIG.toUpperCase())).toBe(false);
  });

  test('v1: moving payload digits into the timestamp keeps the signature but is refused as a future time', () => {
    // base64 of these bytes is '12345678', so the value reads `12345678|ts|sig`.
    const bytes = Buffer.from('d76df8e7aefc', 'hex');
    const signed = createSignedValue(SECRET, 'foo', bytes, { version: 1, clock: present });
    const [payload, ts, sig] = signed.split('|') as [string, string, string];
    expect(payload).toBe('12345678');
    const v1sig = (...parts: string[]) => {
      const h = createHmac('sha1', SECRET);
      for (const p of parts) h.update(p);
      return h.digest('hex');
    };
    expect(v1sig('foo', '1234', `5678${ts}`)).toBe(sig);
    expect(
      decodeSignedValue(SECRET, 'foo', `1234|5678${ts}|${sig}`, { clock: present }),
    ).toBeNull();
    expect(decodeSignedValue(SECRET, 'foo', signed, { clock: present })).toEqual(bytes);
  });

  test('v1: a timestamp with a leading zero is refused even when it is not in the future', () => {
    // base64 '12340000': shifting '0000' gives timestamp '00001400000000', i.e. NOW.
    const bytes = Buffer.from('12340000', 'base64');
    const signed = createSignedValue(SECRET, 'foo', bytes, { version: 1, clock: present });
    const [, ts, sig] = signed.split('|') as [string, string, string];
    expect(
      decodeSignedValue(SECRET, 'foo', `1234|0000${ts}|${sig}`, { clock: present }),
    ).toBeNull();
  });

  test('v1: timestamps up to 31 days ahead pass, further ahead fail, whatever maxAgeDays says', () => {
    const signed = createSignedValue(SECRET, 'n', 'v', { version: 1, clock: present });
    const at = (t: number) =>
      decodeSignedValue(SECRET, 'n', signed, { clock: () => t, maxAgeDays: 100 });
    expect(text(at(NOW - 31 * DAY))).toBe('v');
    expect(at(NOW - 31 * DAY - 1)).toBeNull();
  });

  test('v2 accepts a timestamp in the future (only v1 checks it)', () => {
    const signed = createSignedValue(SECRET, 'n', 'v', { clock: () => NOW + 365 * DAY });
    expect(text(decodeSignedValue(SECRET, 'n', signed, { clock: present }))).toBe('v');
  });

  test('minVersion 2 refuses v1 values; minVersion above 2 is a caller error', () => {
    expect(
      decodeSignedValue(SECRET, 'session', V1_HELLO, { clock: present, minVersion: 2 }),
    ).toBeNull();
    expect(() => decodeSignedValue(SECRET, 'session', V2_HELLO, { minVersion: 3 })).toThrow(
      InvalidSigningArgumentError,
    );
  });

  test('versions 3 to 999 decode to null; longer digit prefixes are v1 payloads', () => {
    expect(
      decodeSignedValue(SECRET, 'session', `3${V2_HELLO.slice(1)}`, { clock: present }),
    ).toBeNull();
    // base64 '1234' (bytes d7 6d f8): a v1 value that starts with `1234|`.
    const bytes = Buffer.from('d76df8', 'hex');
    const signed = createSignedValue(SECRET, 'n', bytes, { version: 1, clock: present });
    expect(signed.startsWith('1234|')).toBe(true);
    expect(decodeSignedValue(SECRET, 'n', signed, { clock: present })).toEqual(bytes);
  });

  test('missing and empty values decode to null', () => {
    for (const v of [null, undefined, '', Buffer.alloc(0)]) {
      expect(decodeSignedValue(SECRET, 'n', v)).toBeNull();
    }
  });

  test('text with a lone surrogate decodes to null instead of throwing', () => {
    expect(decodeSignedValue(SECRET, 'n', `${V2_HELLO}\ud800`)).toBeNull();
  });

  test('a v1 value checked against a key-version map gives null (Tornado fails an assertion)', () => {
    expect(decodeSignedValue(KEYS, 'session', V1_HELLO, { clock: present })).toBeNull();
  });

  test('a secret given as bytes signs like the same secret as a string', () => {
    const a = createSignedValue(Buffer.from(SECRET), 'session', 'hello world', { clock: present });
    expect(a).toBe(V2_HELLO);
    expect(
      text(decodeSignedValue(Buffer.from(SECRET), 'session', V2_HELLO, { clock: present })),
    ).toBe('hello world');
  });
});

describe('key versions', () => {
  const value = Buffer.from([0xe9]);

  test('reads back a value written with the default key version 0 (SECRET_DICT style)', () => {
    const keys = { 0: 'asdf', 1: 'qwer', 2: 'zxcv' };
    const signed = createSignedValue(keys, 'key', value, { clock: present, keyVersion: 0 });
    expect(decodeSignedValue(keys, 'key', signed, { clock: present })).toEqual(value);
  });

  test('reads back a value written with a non-default key version', () => {
    const keys = { 0: 'asdf', 1: 'qwer', 2: 'zxcv' };
    const signed = createSignedValue(keys, 'key', value, { clock: present, keyVersion: 1 });
    expect(decodeSignedValue(keys, 'key', signed, { clock: present })).toEqual(value);
  });

  test('a value whose key version was removed from the map no longer decodes', () => {
    const keys = { 0: 'asdf', 1: 'qwer', 2: 'zxcv' };
    const signed = createSignedValue(keys, 'key', value, { clock: present, keyVersion: 0 });
    const { 0: _dropped, ...rest } = keys;
    expect(decodeSignedValue(rest, 'key', signed, { clock: present })).toBeNull();
  });

  test('a key version cannot be borrowed from the prototype', () => {
    const signed = `2|11:constructor|10:1400000000|1:n|4:dg==|${'0'.repeat(64)}`;
    expect(decodeSignedValue(KEYS, 'n', signed, { clock: present })).toBeNull();
  });

  test('getSignatureKeyVersion names the key version without checking the signature', () => {
    const signed = createSignedValue(KEYS, 'key', value, { clock: present, keyVersion: 3 });
    expect(getSignatureKeyVersion(signed)).toBe(3);
    expect(getSignatureKeyVersion(Buffer.from(signed))).toBe(3);
    expect(getSignatureKeyVersion(V2_HELLO)).toBe(0);
    expect(getSignatureKeyVersion(`3${V2_HELLO.slice(1)}`)).toBe(0);
    expect(getSignatureKeyVersion(V1_HELLO)).toBeNull();
    expect(getSignatureKeyVersion('2|x:0|')).toBeNull();
  });

  test('a plain secret with a keyVersion records the version but signs with the one key', () => {
    const signed = createSignedValue(SECRET, 'n', 'v', { clock: present, keyVersion: 5 });
    expect(getSignatureKeyVersion(signed)).toBe(5);
    expect(text(decodeSignedValue(SECRET, 'n', signed, { clock: present }))).toBe('v');
  });

  test('caller mistakes throw InvalidSigningArgumentError with a useful message', () => {
    expect(() => createSignedValue(KEYS, 'n', 'v')).toThrow(/keyVersion must be set/);
    expect(() => createSignedValue(KEYS, 'n', 'v', { keyVersion: 4 })).toThrow(/no key 4/);
    expect(() => createSignedValue(KEYS, 'n', 'v', { version: 1, keyVersion: 3 })).toThrow(
      /key-version map/,
    );
    expect(() => createSignedValue(SECRET, 'n', 'v', { version: 3 as 2 })).toThrow(
      InvalidSigningArgumentError,
    );
    expect(() => createSignedValue(SECRET, 'n', '\udc00')).toThrow(/lone surrogate/);
    expect(() => createSignedValue(SECRET, 'n', 'v', { clock: () => Number.NaN })).toThrow(
      InvalidSigningArgumentError,
    );
    expect(() => createSignedValue(SECRET, 'n', 'v', { keyVersion: 1.5 })).toThrow(/integer/);
  });
});

describe('properties', () => {
  const arbName = fc.string({ unit: 'grapheme', maxLength: 20 });
  const arbValue = fc.uint8Array({ maxLength: 64 });
  // From 1: a v1 timestamp starting with "0" is refused as tampered (Tornado's rule), and the
  // epoch itself is the only time written as "0".
  const arbTime = fc.integer({ min: 1, max: 4_000_000_000 });

  test('any name and value survive a round trip in both versions', () => {
    fc.assert(
      fc.property(
        arbName,
        arbValue,
        arbTime,
        fc.constantFrom(1 as const, 2 as const),
        (name, value, t, version) => {
          const clock = () => t;
          const signed = createSignedValue(SECRET, name, value, { version, clock });
          expect(decodeSignedValue(SECRET, name, signed, { clock })).toEqual(Buffer.from(value));
        },
      ),
    );
  });

  test('flipping any bits of any byte of a signed value makes it decode to null', () => {
    fc.assert(
      fc.property(
        arbName,
        arbValue,
        fc.constantFrom(1 as const, 2 as const),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        (name, value, version, at, bits) => {
          const signed = Buffer.from(
            createSignedValue(SECRET, name, value, { version, clock: present }),
          );
          const i = at % signed.length;
          signed[i] = signed[i]! ^ bits;
          expect(decodeSignedValue(SECRET, name, signed, { clock: present })).toBeNull();
        },
      ),
    );
  });

  test('a value decodes only under the name it was signed for', () => {
    fc.assert(
      fc.property(arbName, arbName, arbValue, (a, b, value) => {
        fc.pre(a !== b);
        const signed = createSignedValue(SECRET, a, value, { clock: present });
        expect(decodeSignedValue(SECRET, b, signed, { clock: present })).toBeNull();
      }),
    );
  });

  test('a value decodes exactly while its age is within maxAgeDays', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 100 * DAY }),
        fc.integer({ min: 1, max: 60 }),
        (age, days) => {
          const signed = createSignedValue(SECRET, 'n', 'v', { clock: present });
          const decoded = decodeSignedValue(SECRET, 'n', signed, {
            clock: () => NOW + age,
            maxAgeDays: days,
          });
          expect(decoded !== null).toBe(age <= days * DAY);
        },
      ),
    );
  });

  test('decoding arbitrary text never throws', () => {
    const pieces = fc.constantFrom(
      '2',
      '1',
      '|',
      ':',
      '0',
      '10',
      'a',
      '=',
      ' ',
      '\n',
      '-',
      '_',
      'é',
    );
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 40 }), fc.string(), (parts, junk) => {
        for (const input of [parts.join(''), junk]) {
          expect(() => decodeSignedValue(KEYS, 'n', input)).not.toThrow();
          expect(() => decodeSignedValue(SECRET, 'n', input)).not.toThrow();
          expect(() => getSignatureKeyVersion(input)).not.toThrow();
        }
      }),
    );
  });
});
