// The small helpers: splitHostAndPort, encodeUsernamePassword, isToken, normalizeHeaderName,
// parseContentLength.
import {
  encodeUsernamePassword,
  HTTPInputError,
  isToken,
  normalizeHeaderName,
  splitHostAndPort,
} from '@tronada/httputil';
import { describe, expect, it } from 'vitest';
import { parseContentLength } from '../src/http1-framing.js';

describe('splitHostAndPort', () => {
  it('splits a trailing :digits port off, as Tornado does', () => {
    expect(splitHostAndPort('example.com:8080')).toEqual(['example.com', 8080]);
    expect(splitHostAndPort('example.com')).toEqual(['example.com', undefined]);
    expect(splitHostAndPort('[::1]:80')).toEqual(['[::1]', 80]);
    expect(splitHostAndPort('a:08')).toEqual(['a', 8]);
    expect(splitHostAndPort('a:')).toEqual(['a:', undefined]);
    expect(splitHostAndPort(':80')).toEqual([':80', undefined]);
    expect(splitHostAndPort('::1')).toEqual([':', 1]);
  });
});

describe('encodeUsernamePassword', () => {
  it('joins NFC-normalised UTF-8 username and password with a colon', () => {
    expect(encodeUsernamePassword('user', 'pass').toString()).toBe('user:pass');
    // "e" + combining acute accent becomes the single code point é.
    expect(encodeUsernamePassword('Jose\u0301', 'p').toString('utf8')).toBe('José:p');
    expect(encodeUsernamePassword(Buffer.from([0xff]), 'x')).toEqual(
      Buffer.from([0xff, 0x3a, 0x78]),
    );
  });
});

describe('isToken / normalizeHeaderName', () => {
  it('accepts exactly the tchar set', () => {
    expect(isToken("!#$%&'*+-.^_`|~09azAZ")).toBe(true);
    for (const bad of ['', ' ', 'a b', 'a:b', 'a(b', 'é', 'a\tb', 'a"b', 'a/b'])
      expect(isToken(bad)).toBe(false);
  });

  it('maps names to Http-Header-Case', () => {
    expect(normalizeHeaderName('coNtent-TYPE')).toBe('Content-Type');
    expect(normalizeHeaderName('x-real-IP')).toBe('X-Real-Ip');
    expect(normalizeHeaderName('WWW-Authenticate')).toBe('Www-Authenticate');
    expect(normalizeHeaderName('a--b')).toBe('A--B');
  });
});

describe('parseContentLength', () => {
  it('reads one line of digits, leading zeros and lists of equal values', () => {
    expect(parseContentLength(['12'])).toBe(12);
    expect(parseContentLength(['0012'])).toBe(12);
    expect(parseContentLength(['000000000000000012'])).toBe(12);
    expect(parseContentLength(['7, 7', '7'])).toBe(7);
    expect(parseContentLength(['9999999999999999'])).toBe(Number.POSITIVE_INFINITY);
  });

  it('rejects signs, spaces inside, empty values and different values', () => {
    for (const bad of [['+1'], ['1 2'], [''], ['0x1'], ['1', '2'], ['3,4']]) {
      expect(() => parseContentLength(bad)).toThrow(HTTPInputError);
    }
  });
});
