// parseHeaderValue / encodeHeaderValue: Tornado's _parse_header and _encode_header (their
// doctests), RFC 2231 continuations, and the linear split.
import { encodeHeaderValue, parseHeaderValue } from '@tronada/httputil';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

describe('parseHeaderValue', () => {
  it('splits the value from its parameters and decodes quoted and extended ones', () => {
    const [value, params] = parseHeaderValue(
      'form-data; foo="b\\\\a\\"r"; file*=utf-8\'\'T%C3%A4st',
    );
    expect(value).toBe('form-data');
    expect({ ...params }).toEqual({ foo: 'b\\a"r', file: 'Täst' });
  });

  it('keeps ; inside quotes, lower-cases names, and drops parameters without =', () => {
    const [value, params] = parseHeaderValue('form-data; name="a;b"; A=1; b=""; flag');
    expect(value).toBe('form-data');
    expect({ ...params }).toEqual({ name: 'a;b', a: '1', b: '' });
  });

  it('joins RFC 2231 continuations in order, decoding the charset of encoded ones', () => {
    const [, params] = parseHeaderValue(
      "attachment; filename*1=b.txt; filename*0*=UTF-8''%C3%A1; title*=iso-8859-1'en'%E1",
    );
    expect({ ...params }).toEqual({ filename: 'áb.txt', title: 'á' });
  });

  it('lets an extended parameter win over the plain one in either order', () => {
    expect(
      parseHeaderValue("form-data; filename*=UTF-8''%C3%A1b.txt; filename=x")[1].filename,
    ).toBe('áb.txt');
    expect(
      parseHeaderValue("form-data; filename=x; filename*=UTF-8''%C3%A1b.txt")[1].filename,
    ).toBe('áb.txt');
  });

  it('keeps the text of an extended value without charset, or with an unknown one', () => {
    expect(parseHeaderValue('form-data; filename*=bogus')[1].filename).toBe('bogus');
    expect(parseHeaderValue("form-data; filename*=x-unknown''abc")[1].filename).toBe('abc');
  });

  it('never throws and splits many semicolons in quotes in linear time', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('a', ';', '"', '\\', '=', '*', "'", '%', ' ') }),
        (line) => {
          const [value, params] = parseHeaderValue(line);
          expect(typeof value).toBe('string');
          expect(Object.getPrototypeOf(params)).toBeNull();
        },
      ),
    );
    const start = performance.now();
    parseHeaderValue(`form-data; x="${';'.repeat(200_000)}"; name=a`);
    expect(performance.now() - start).toBeLessThan(1000);
  });
});

describe('encodeHeaderValue', () => {
  it('writes sorted parameters, bare names for null (Tornado _encode_header doctest)', () => {
    expect(
      encodeHeaderValue('permessage-deflate', {
        client_max_window_bits: 15,
        client_no_context_takeover: null,
      }),
    ).toBe('permessage-deflate; client_max_window_bits=15; client_no_context_takeover');
    expect(encodeHeaderValue('plain', {})).toBe('plain');
  });

  it('round-trips simple token parameters through parseHeaderValue', () => {
    const [value, params] = parseHeaderValue(encodeHeaderValue('x', { a: '1', b: 'two' }));
    expect([value, { ...params }]).toEqual(['x', { a: '1', b: 'two' }]);
  });
});
