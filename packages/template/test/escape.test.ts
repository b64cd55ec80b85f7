// Ports of Tornado's escape_test.py EscapeTestCase (the functions that apply to JavaScript).
import { describe, expect, it } from 'vitest';
import type { LinkifyOptions } from '../src/index.js';
import {
  jsonDecode,
  jsonEncode,
  linkify,
  squeeze,
  toUnicode,
  urlEscape,
  urlUnescape,
  utf8,
  xhtmlEscape,
  xhtmlUnescape,
} from '../src/index.js';
import { isWellFormed } from './helpers.js';

const linkifyCases: [string, LinkifyOptions, string][] = [
  ['hello http://world.com/!', {}, 'hello <a href="http://world.com/">http://world.com/</a>!'],
  [
    'hello http://world.com/with?param=true&stuff=yes',
    {},
    'hello <a href="http://world.com/with?param=true&amp;stuff=yes">http://world.com/with?param=true&amp;stuff=yes</a>',
  ],
  // An opened parenthesis followed by many characters made Gruber's regex backtrack for ever.
  [
    'http://url.com/w(aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
    {},
    '<a href="http://url.com/w">http://url.com/w</a>(aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
  ],
  // ...as did too many dots at the end.
  [
    'http://url.com/withmany.......................................',
    {},
    '<a href="http://url.com/withmany">http://url.com/withmany</a>.......................................',
  ],
  [
    'http://url.com/withmany((((((((((((((((((((((((((((((((((a)',
    {},
    '<a href="http://url.com/withmany">http://url.com/withmany</a>((((((((((((((((((((((((((((((((((a)',
  ],
  [
    'http://foo.com/blah_blah',
    {},
    '<a href="http://foo.com/blah_blah">http://foo.com/blah_blah</a>',
  ],
  [
    'http://foo.com/blah_blah/',
    {},
    '<a href="http://foo.com/blah_blah/">http://foo.com/blah_blah/</a>',
  ],
  [
    '(Something like http://foo.com/blah_blah)',
    {},
    '(Something like <a href="http://foo.com/blah_blah">http://foo.com/blah_blah</a>)',
  ],
  [
    'http://foo.com/blah_blah_(wikipedia)',
    {},
    '<a href="http://foo.com/blah_blah_(wikipedia)">http://foo.com/blah_blah_(wikipedia)</a>',
  ],
  [
    'http://foo.com/blah_(blah)_(wikipedia)_blah',
    {},
    '<a href="http://foo.com/blah_(blah)_(wikipedia)_blah">http://foo.com/blah_(blah)_(wikipedia)_blah</a>',
  ],
  [
    '(Something like http://foo.com/blah_blah_(wikipedia))',
    {},
    '(Something like <a href="http://foo.com/blah_blah_(wikipedia)">http://foo.com/blah_blah_(wikipedia)</a>)',
  ],
  [
    'http://foo.com/blah_blah.',
    {},
    '<a href="http://foo.com/blah_blah">http://foo.com/blah_blah</a>.',
  ],
  [
    'http://foo.com/blah_blah/.',
    {},
    '<a href="http://foo.com/blah_blah/">http://foo.com/blah_blah/</a>.',
  ],
  [
    '<http://foo.com/blah_blah>',
    {},
    '&lt;<a href="http://foo.com/blah_blah">http://foo.com/blah_blah</a>&gt;',
  ],
  [
    '<http://foo.com/blah_blah/>',
    {},
    '&lt;<a href="http://foo.com/blah_blah/">http://foo.com/blah_blah/</a>&gt;',
  ],
  [
    'http://foo.com/blah_blah,',
    {},
    '<a href="http://foo.com/blah_blah">http://foo.com/blah_blah</a>,',
  ],
  [
    'http://www.example.com/wpstyle/?p=364.',
    {},
    '<a href="http://www.example.com/wpstyle/?p=364">http://www.example.com/wpstyle/?p=364</a>.',
  ],
  [
    'rdar://1234',
    { permittedProtocols: ['http', 'rdar'] },
    '<a href="rdar://1234">rdar://1234</a>',
  ],
  ['rdar:/1234', { permittedProtocols: ['rdar'] }, '<a href="rdar:/1234">rdar:/1234</a>'],
  [
    'http://userid:password@example.com:8080',
    {},
    '<a href="http://userid:password@example.com:8080">http://userid:password@example.com:8080</a>',
  ],
  [
    'http://userid@example.com',
    {},
    '<a href="http://userid@example.com">http://userid@example.com</a>',
  ],
  [
    'http://userid@example.com:8080',
    {},
    '<a href="http://userid@example.com:8080">http://userid@example.com:8080</a>',
  ],
  [
    'http://userid:password@example.com',
    {},
    '<a href="http://userid:password@example.com">http://userid:password@example.com</a>',
  ],
  [
    'message://%3c330e7f8409726r6a4ba78dkf1fd71420c1bf6ff@mail.gmail.com%3e',
    { permittedProtocols: ['http', 'message'] },
    '<a href="message://%3c330e7f8409726r6a4ba78dkf1fd71420c1bf6ff@mail.gmail.com%3e">' +
      'message://%3c330e7f8409726r6a4ba78dkf1fd71420c1bf6ff@mail.gmail.com%3e</a>',
  ],
  ['http://\u27a1.ws/\u4a39', {}, '<a href="http://\u27a1.ws/\u4a39">http://\u27a1.ws/\u4a39</a>'],
  [
    '<tag>http://example.com</tag>',
    {},
    '&lt;tag&gt;<a href="http://example.com">http://example.com</a>&lt;/tag&gt;',
  ],
  [
    'Just a www.example.com link.',
    {},
    'Just a <a href="http://www.example.com">www.example.com</a> link.',
  ],
  ['Just a www.example.com link.', { requireProtocol: true }, 'Just a www.example.com link.'],
  [
    'A http://reallylong.com/link/that/exceedsthelenglimit.html',
    { requireProtocol: true, shorten: true },
    'A <a href="http://reallylong.com/link/that/exceedsthelenglimit.html"' +
      ' title="http://reallylong.com/link/that/exceedsthelenglimit.html">http://reallylong.com/link...</a>',
  ],
  [
    'A http://reallylongdomainnamethatwillbetoolong.com/hi!',
    { shorten: true },
    'A <a href="http://reallylongdomainnamethatwillbetoolong.com/hi"' +
      ' title="http://reallylongdomainnamethatwillbetoolong.com/hi">http://reallylongdomainnametha...</a>!',
  ],
  [
    'A file:///passwords.txt and http://web.com link',
    {},
    'A file:///passwords.txt and <a href="http://web.com">http://web.com</a> link',
  ],
  [
    'A file:///passwords.txt and http://web.com link',
    { permittedProtocols: ['file'] },
    'A <a href="file:///passwords.txt">file:///passwords.txt</a> and http://web.com link',
  ],
  [
    'www.external-link.com',
    { extraParams: 'rel="nofollow" class="external"' },
    '<a href="http://www.external-link.com" rel="nofollow" class="external">www.external-link.com</a>',
  ],
  [
    'www.external-link.com and www.internal-link.com/blogs extra',
    {
      extraParams: (href) =>
        href.startsWith('http://www.internal-link.com')
          ? 'class="internal"'
          : 'rel="nofollow" class="external"',
    },
    '<a href="http://www.external-link.com" rel="nofollow" class="external">www.external-link.com</a>' +
      ' and <a href="http://www.internal-link.com/blogs" class="internal">www.internal-link.com/blogs</a> extra',
  ],
  [
    'www.external-link.com',
    { extraParams: () => '    rel="nofollow" class="external"  ' },
    '<a href="http://www.external-link.com" rel="nofollow" class="external">www.external-link.com</a>',
  ],
];

describe('linkify (test_linkify)', () => {
  it.each(linkifyCases)('%s %o', (text, options, html) => {
    expect(linkify(text, options)).toBe(html);
  });

  it('accepts UTF-8 bytes', () => {
    expect(linkify(utf8('see www.x.com'))).toBe('see <a href="http://www.x.com">www.x.com</a>');
  });

  it('stays fast on inputs that make naive URL patterns backtrack', () => {
    const started = performance.now();
    linkify(`http://x.com/${'('.repeat(5000)}`);
    linkify(`http://x.com/a${'.'.repeat(20000)}`);
    linkify(`www.${'a&amp;'.repeat(5000)}`);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('keeps surrogate pairs whole when shortening', () => {
    const url = `http://example.com/${'\u{1f600}'.repeat(40)}`;
    const out = linkify(url, { shorten: true });
    expect(isWellFormed(out)).toBe(true);
    expect(out).toContain(`title="${url}"`);
  });
});

describe('xhtmlEscape and xhtmlUnescape', () => {
  it('round-trip the five special characters (test_xhtml_escape)', () => {
    const cases: [string | Uint8Array, string][] = [
      ['<foo>', '&lt;foo&gt;'],
      [utf8('<foo>'), '&lt;foo&gt;'],
      ['<>&"\'', '&lt;&gt;&amp;&quot;&#39;'],
      ['&amp;', '&amp;amp;'],
      ['<\u00e9>', '&lt;\u00e9&gt;'],
      [new Uint8Array([0x3c, 0xc3, 0xa9, 0x3e]), '&lt;\u00e9&gt;'],
    ];
    for (const [unescaped, escaped] of cases) {
      expect(xhtmlEscape(unescaped)).toBe(escaped);
      expect(xhtmlUnescape(escaped)).toBe(toUnicode(unescaped));
      expect(xhtmlUnescape(utf8(escaped))).toBe(toUnicode(unescaped));
    }
  });

  it('decodes numeric references and leaves invalid ones (test_xhtml_unescape_numeric)', () => {
    const cases: [string, string][] = [
      ['foo&#32;bar', 'foo bar'],
      ['foo&#x20;bar', 'foo bar'],
      ['foo&#X20;bar', 'foo bar'],
      ['foo&#xabc;bar', 'foo\u0abcbar'],
      ['foo&#xyz;bar', 'foo&#xyz;bar'],
      ['foo&#;bar', 'foo&#;bar'],
      ['foo&#x;bar', 'foo&#x;bar'],
    ];
    for (const [escaped, unescaped] of cases) expect(xhtmlUnescape(escaped)).toBe(unescaped);
  });

  it('decodes HTML 4 named entities only, and leaves unknown ones', () => {
    expect(xhtmlUnescape('&eacute;&nbsp;&hellip;&euro;&AElig;')).toBe(
      '\u00e9\u00a0\u2026\u20ac\u00c6',
    );
    expect(xhtmlUnescape('&apos; &nosuch; &constructor; &#1114112;')).toBe(
      '&apos; &nosuch; &constructor; &#1114112;',
    );
    expect(xhtmlUnescape('&#128512;')).toBe('\u{1f600}');
  });

  it('rejects values that are neither strings nor bytes', () => {
    expect(() => xhtmlEscape(5 as unknown as string)).toThrow(TypeError);
  });
});

describe('urlEscape and urlUnescape', () => {
  it('encode strings as UTF-8 and bytes as they are (test_url_escape_unicode)', () => {
    expect(urlEscape(utf8('\u00e9'))).toBe('%C3%A9');
    expect(urlEscape(new Uint8Array([0xe9]))).toBe('%E9');
    expect(urlEscape('\u00e9')).toBe('%C3%A9');
  });

  it('decode with the given encoding, or to bytes (test_url_unescape_unicode)', () => {
    for (const input of ['%C3%A9', utf8('%C3%A9')]) {
      expect(urlUnescape(input, 'utf8')).toBe('\u00e9');
      expect(urlUnescape(input, 'latin1')).toBe('\u00c3\u00a9');
      expect(urlUnescape(input, null)).toEqual(utf8('\u00e9'));
    }
  });

  it('use + for spaces unless plus is false (test_url_escape_quote_plus)', () => {
    const unescaped = '+ #%';
    const plusEscaped = '%2B+%23%25';
    const escaped = '%2B%20%23%25';
    expect(urlEscape(unescaped)).toBe(plusEscaped);
    expect(urlEscape(unescaped, false)).toBe(escaped);
    expect(urlUnescape(plusEscaped)).toBe(unescaped);
    expect(urlUnescape(escaped, 'utf-8', false)).toBe(unescaped);
    expect(urlUnescape(plusEscaped, null)).toEqual(utf8(unescaped));
    expect(urlUnescape(escaped, null, false)).toEqual(utf8(unescaped));
  });

  it('escape / only in plus mode, and keep the unreserved characters', () => {
    expect(urlEscape('a b/c')).toBe('a+b%2Fc');
    expect(urlEscape('a b/c', false)).toBe('a%20b/c');
    expect(urlEscape("AZaz09_.-~!*'()")).toBe('AZaz09_.-~%21%2A%27%28%29');
  });

  it('keep malformed percent sequences and replace undecodable bytes', () => {
    expect(urlUnescape('100%25 %zz %4')).toBe('100% %zz %4');
    expect(urlUnescape('%FF%41')).toBe('\ufffdA');
    expect(urlUnescape('%E9\u00e9', 'ascii')).toBe('\ufffd\u00e9');
    expect(urlUnescape('%80', 'latin1')).toBe('\u0080');
  });
});

describe('JSON', () => {
  it('decodes strings and UTF-8 bytes (test_json_decode)', () => {
    expect(jsonDecode(utf8('"foo"'))).toBe('foo');
    expect(jsonDecode('"foo"')).toBe('foo');
    expect(jsonDecode(utf8('"\u00e9"'))).toBe('\u00e9');
  });

  it('round-trips non-ASCII text (test_json_encode)', () => {
    expect(jsonDecode(jsonEncode('\u00e9'))).toBe('\u00e9');
  });

  it('escapes </ so the output cannot close a script element', () => {
    expect(jsonEncode('</script>')).toBe('"<\\/script>"');
    expect(jsonEncode({ a: ['</b>', '<\\/x>'] })).toBe('{"a":["<\\/b>","<\\\\/x>"]}');
    expect(jsonDecode(jsonEncode({ a: ['</b>', '<\\/x>'] }))).toEqual({ a: ['</b>', '<\\/x>'] });
  });

  it('rejects values without a JSON form', () => {
    expect(() => jsonEncode(undefined)).toThrow(TypeError);
    expect(() => jsonEncode(() => 1)).toThrow(TypeError);
  });
});

describe('squeeze', () => {
  it('collapses whitespace runs to one space (test_squeeze)', () => {
    expect(squeeze('sequences     of    whitespace   chars')).toBe('sequences of whitespace chars');
    expect(squeeze('\t a\n\r\x00b  ')).toBe('a b');
  });
});

describe('utf8 and toUnicode', () => {
  it('convert between strings and UTF-8 bytes and pass through the other kinds', () => {
    expect(utf8('\u00e9')).toEqual(new Uint8Array([0xc3, 0xa9]));
    const bytes = new Uint8Array([1, 2]);
    expect(utf8(bytes)).toBe(bytes);
    expect(utf8(null)).toBeNull();
    expect(utf8(undefined)).toBeUndefined();
    expect(toUnicode(new Uint8Array([0xc3, 0xa9]))).toBe('\u00e9');
    expect(toUnicode('x')).toBe('x');
    expect(toUnicode(null)).toBeNull();
  });

  it('reject other kinds and invalid UTF-8', () => {
    expect(() => utf8(5 as unknown as string)).toThrow(/got number/);
    expect(() => toUnicode({} as unknown as string)).toThrow(/got Object/);
    expect(() => toUnicode(new Uint8Array([0xff]))).toThrow(TypeError);
  });
});
