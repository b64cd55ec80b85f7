// parseCookie: Tornado's ParseCookieTest (cases from Django and CPython).
import { parseCookie } from '@tronada/httputil';
import { describe, expect, it } from 'vitest';

const plain = (r: Record<string, string>) => ({ ...r });

describe('parseCookie (Tornado ParseCookieTest)', () => {
  it('parses the cases of Python’s cookie tests, splitting on every ; (test_python_cookies)', () => {
    expect(plain(parseCookie('chips=ahoy; vienna=finger'))).toEqual({
      chips: 'ahoy',
      vienna: 'finger',
    });
    expect(plain(parseCookie('keebler="E=mc2; L=\\"Loves\\"; fudge=\\012;"'))).toEqual({
      keebler: '"E=mc2',
      L: '\\"Loves\\"',
      fudge: '\\012',
      '': '"',
    });
    expect(plain(parseCookie('keebler=E=mc2'))).toEqual({ keebler: 'E=mc2' });
    expect(plain(parseCookie('key:term=value:term'))).toEqual({ 'key:term': 'value:term' });
    expect(plain(parseCookie('a=b; c=[; d=r; f=h'))).toEqual({ a: 'b', c: '[', d: 'r', f: 'h' });
  });

  it('keeps attributes as cookies and the last of a repeated name (test_cookie_edgecases)', () => {
    expect(plain(parseCookie('a=b; Domain=example.com'))).toEqual({
      a: 'b',
      Domain: 'example.com',
    });
    expect(plain(parseCookie('a=b; h=i; a=c'))).toEqual({ a: 'c', h: 'i' });
  });

  it('accepts what browsers send even when RFC 6265 forbids it (test_invalid_cookies)', () => {
    expect(Object.keys(parseCookie('abc=def; unnamed; django_language=en'))).toContain(
      'django_language',
    );
    expect(plain(parseCookie('a=b; "; c=d'))).toEqual({ a: 'b', '': '"', c: 'd' });
    expect(plain(parseCookie('a b c=d e = f; gh=i'))).toEqual({ 'a b c': 'd e = f', gh: 'i' });
    expect(plain(parseCookie('a   b,c<>@:/[]?{}=d  "  =e,f g'))).toEqual({
      'a   b,c<>@:/[]?{}': 'd  "  =e,f g',
    });
    expect(plain(parseCookie('saint=André Bessette'))).toEqual({ saint: 'André Bessette' });
    expect(plain(parseCookie('  =  b  ;  ;  =  ;   c  =  ;  '))).toEqual({ '': 'b', c: '' });
  });

  it('unquotes quoted values like Python’s http.cookies (test_unquote)', () => {
    const cases: [string, string][] = [
      ['a="b=\\""', 'b="'],
      ['a="b=\\\\"', 'b=\\'],
      ['a="b=\\="', 'b=='],
      ['a="b=\\n"', 'b=n'],
      ['a="b=\\042"', 'b="'],
      ['a="b=\\134"', 'b=\\'],
      ['a="b=\\377"', 'b=\xff'],
      ['a="b=\\400"', 'b=400'],
      ['a="b=\\42"', 'b=42'],
      ['a="b=\\\\042"', 'b=\\042'],
      ['a="b=\\\\134"', 'b=\\134'],
      ['a="b=\\\\\\""', 'b=\\"'],
      ['a="b=\\\\\\042"', 'b=\\"'],
      ['a="b=\\134\\""', 'b=\\"'],
      ['a="b=\\134\\042"', 'b=\\"'],
    ];
    for (const [encoded, decoded] of cases) expect(parseCookie(encoded).a, encoded).toBe(decoded);
  });

  it('unquotes a 100,000-escape value in linear time (test_unquote_large)', () => {
    const n = 100_000;
    for (const encoded of ['\\\\', '\\134']) {
      const start = performance.now();
      const value = parseCookie(`a="b=${encoded.repeat(n)}"`).a!;
      expect(value.slice(0, 3)).toBe('b=\\');
      expect(value.slice(-3)).toBe('\\\\\\');
      expect(value).toHaveLength(n + 2);
      expect(performance.now() - start).toBeLessThan(1000);
    }
  });
});
