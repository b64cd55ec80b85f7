import { describe, expect, it } from 'vitest';
import { formatExtension, parseExtensionHeader, WebSocketHandshakeError } from '../src/index.js';

describe('parseExtensionHeader', () => {
  it('parses a list of extensions with parameters in order', () => {
    expect(
      parseExtensionHeader(
        'permessage-deflate; client_max_window_bits; server_max_window_bits=10, Foo;Bar="baz" ,',
      ),
    ).toEqual([
      {
        name: 'permessage-deflate',
        params: [
          ['client_max_window_bits', undefined],
          ['server_max_window_bits', '10'],
        ],
      },
      { name: 'foo', params: [['bar', 'baz']] },
    ]);
  });

  it('keeps a parameter given twice so a negotiator can refuse it', () => {
    expect(parseExtensionHeader('x; a=1; a=2')[0]!.params).toEqual([
      ['a', '1'],
      ['a', '2'],
    ]);
  });

  it('returns nothing for an empty header', () => {
    expect(parseExtensionHeader('')).toEqual([]);
    expect(parseExtensionHeader(' , ')).toEqual([]);
  });

  it.each([
    ['a name that is not a token', 'per message'],
    ['a parameter name that is not a token', 'x; a b=1'],
    ['a quoted value that is not a token once unquoted', 'x; a="b c"'],
    ['an unterminated quoted string', 'x; a="b'],
    ['an empty parameter value', 'x; a='],
    ['an empty extension name', '; a'],
  ])('rejects %s', (_name, value) => {
    expect(() => parseExtensionHeader(value)).toThrow(WebSocketHandshakeError);
  });

  it('formats what it parses', () => {
    const value = 'permessage-deflate; server_no_context_takeover; client_max_window_bits=9';
    expect(formatExtension(parseExtensionHeader(value)[0]!)).toBe(value);
  });
});
