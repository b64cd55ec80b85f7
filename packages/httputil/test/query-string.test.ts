// parseQsBytes and qsToQsl: Tornado's QsParseTest and the behaviour of parse_qs_bytes.
import { parseQsBytes, qsToQsl } from '@tronada/httputil';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const text = (args: Record<string, Buffer[]>) =>
  Object.fromEntries(
    Object.entries(args).map(([k, vs]) => [k, vs.map((v) => v.toString('latin1'))]),
  );

describe('qsToQsl (Tornado QsParseTest)', () => {
  it('turns name → values back into pairs (test_parsing)', () => {
    const qsl = [...qsToQsl({ a: ['1', '3'], b: ['2'] })];
    expect(qsl).toContainEqual(['a', '1']);
    expect(qsl).toContainEqual(['a', '3']);
    expect(qsl).toContainEqual(['b', '2']);
    expect(qsl).toHaveLength(3);
  });
});

describe('parseQsBytes', () => {
  it('keeps repeated names, decodes + and %XX, leaves invalid escapes, splits only on &', () => {
    const args = parseQsBytes('a=1&b=2&a=3&c&=x&d=&e=%zz&f=%41+b;g=1', { keepBlankValues: true });
    expect(text(args)).toEqual({
      a: ['1', '3'],
      b: ['2'],
      c: [''],
      '': ['x'],
      d: [''],
      e: ['%zz'],
      f: ['A b;g=1'],
    });
    expect(text(parseQsBytes('a=1&c&d=&e=5'))).toEqual({ a: ['1'], e: ['5'] });
    expect(text(parseQsBytes('&&a=1&&', { keepBlankValues: true }))).toEqual({ a: ['1'] });
  });

  it('returns values as bytes and names as Latin-1 text', () => {
    const args = parseQsBytes(Buffer.from('x=%C3%A9&\xe9=1&%C3%A9=2', 'latin1'), {
      keepBlankValues: true,
    });
    expect(args.x).toEqual([Buffer.from([0xc3, 0xa9])]);
    expect(Object.keys(args)).toEqual(['x', 'é', 'Ã©']);
  });

  it('treats any name, even __proto__, as a plain key', () => {
    const args = parseQsBytes('__proto__=1&constructor=2&toString=3');
    expect(Object.keys(args)).toEqual(['__proto__', 'constructor', 'toString']);
    expect(Object.getPrototypeOf(args)).toBeNull();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('never throws, for any input', () => {
    fc.assert(
      fc.property(fc.string(), fc.boolean(), (qs, keepBlankValues) => {
        const args = parseQsBytes(qs, { keepBlankValues });
        for (const values of Object.values(args))
          for (const v of values) expect(Buffer.isBuffer(v)).toBe(true);
      }),
    );
  });

  it('decodes what quote_plus-style encoding produced', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 30 }), (bytes) => {
        const encoded = [...bytes].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');
        expect(parseQsBytes(`k=${encoded}`).k ?? [Buffer.alloc(0)]).toEqual([Buffer.from(bytes)]);
      }),
    );
  });
});
