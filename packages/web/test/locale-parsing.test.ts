/**
 * The parsers under the locale module: Accept-Language weights, Python's CSV dialect,
 * gettext `.mo` files and plural expressions.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { genLog } from '@tronada/ioloop';
import { expectLog } from '@tronada/testing';
import { describe, expect, test } from 'vitest';
import { parseAcceptLanguage } from '../src/locale/accept-language.js';
import { parseCsvRows } from '../src/locale/csv-rows.js';
import { decodeText } from '../src/locale/decode-text.js';
import { GettextCatalog } from '../src/locale/gettext-catalog.js';
import { MoFileError } from '../src/locale/locale-errors.js';
import { compilePluralExpression } from '../src/locale/plural-forms.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'locale');
const mo = (dir: string, lang: string): Buffer =>
  readFileSync(join(FIXTURES, dir, lang, 'LC_MESSAGES', 'tronada_test.mo'));

/** A .mo file with the given entries (sorted by the caller), little- or big-endian. */
function buildMo(entries: [string, string][], options: { little?: boolean; major?: number } = {}) {
  const little = options.little ?? true;
  const strings = entries.flat().map((s) => Buffer.from(s, 'utf8'));
  const tablesEnd = 28 + entries.length * 16;
  const out = Buffer.alloc(tablesEnd + strings.reduce((n, s) => n + s.length + 1, 0));
  const put = (offset: number, value: number): void => {
    if (little) out.writeUInt32LE(value, offset);
    else out.writeUInt32BE(value, offset);
  };
  put(0, 0x950412de);
  put(4, (options.major ?? 0) << 16);
  put(8, entries.length);
  put(12, 28);
  put(16, 28 + entries.length * 8);
  let at = tablesEnd;
  strings.forEach((s, i) => {
    const table = i % 2 === 0 ? 28 : 28 + entries.length * 8;
    const slot = table + Math.floor(i / 2) * 8;
    put(slot, s.length);
    put(slot + 4, at);
    s.copy(out, at);
    at += s.length + 1;
  });
  return out;
}

describe('parseAcceptLanguage', () => {
  test('orders tags by weight, keeping header order for ties', () => {
    expect(parseAcceptLanguage('fr-CH, fr;q=0.9, en;q=0.8, de;q=0.9, *;q=0.5')).toEqual([
      'fr-CH',
      'fr',
      'de',
      'en',
      '*',
    ]);
  });

  test('drops q=0 and treats malformed or negative weights as 0', () => {
    expect(parseAcceptLanguage('a;q=0, b;q=abc, c;q=-1, d;q=, e;q=0.000, f')).toEqual(['f']);
  });

  test("reads weights as Python's float() does", () => {
    expect(parseAcceptLanguage('a;q=1e-1, b;q= .5, c;q=1_0, d;q=inf, e;q=nan, f;q=1__0')).toEqual([
      'd',
      'c',
      'b',
      'a',
    ]);
  });

  test('ignores parameters other than a leading q, and empty entries', () => {
    expect(parseAcceptLanguage(' en ; level=1 ;q=0.1, , de ;q=0.5,')).toEqual(['en', 'de']);
    expect(parseAcceptLanguage('')).toEqual([]);
  });
});

describe('parseCsvRows', () => {
  test("splits like Python's csv module in the excel dialect", () => {
    expect(parseCsvRows('"abc')).toEqual([['abc']]);
    expect(parseCsvRows('a,"b"c,d\n')).toEqual([['a', 'bc', 'd']]);
    expect(parseCsvRows('a"b,c\n')).toEqual([['a"b', 'c']]);
    expect(parseCsvRows('\n\na,b\n')).toEqual([[], [], ['a', 'b']]);
    expect(parseCsvRows('"a\nb",c')).toEqual([['a\nb', 'c']]);
    expect(parseCsvRows('a,b,')).toEqual([['a', 'b', '']]);
    expect(parseCsvRows('"a""b",c\n')).toEqual([['a"b', 'c']]);
    expect(parseCsvRows(' "a",b\n')).toEqual([[' "a"', 'b']]);
  });

  test('folds CRLF and CR line ends to LF, inside quotes too', () => {
    expect(parseCsvRows('a,b\r\n"c\r\nd",e\rf,g')).toEqual([
      ['a', 'b'],
      ['c\nd', 'e'],
      ['f', 'g'],
    ]);
  });
});

describe('decodeText', () => {
  test('strips byte-order marks and honours Python encoding names', () => {
    expect(decodeText(Buffer.from([0xef, 0xbb, 0xbf, 0x61]))).toBe('a');
    expect(decodeText(Buffer.from([0xfe, 0xff, 0x00, 0x61]))).toBe('a');
    expect(decodeText(Buffer.from([0x61, 0x00]), 'utf-16')).toBe('a');
    expect(decodeText(Buffer.from([0xe9]), 'latin_1')).toBe('\u00e9');
    expect(() => decodeText(Buffer.from([0xe9]))).toThrow(TypeError);
    expect(() => decodeText(Buffer.from('a'), 'klingon')).toThrow(RangeError);
  });
});

describe('GettextCatalog', () => {
  test('little- and big-endian msgfmt output hold the same catalog', () => {
    const little = GettextCatalog.parse(mo('gettext', 'fr_FR'));
    const big = GettextCatalog.parse(mo('gettext-big-endian', 'fr_FR'));
    for (const catalog of [little, big]) {
      expect(catalog.gettext('school')).toBe('\u00e9cole');
      expect(catalog.gettext('river\x04bank')).toBe('la rive');
      expect(catalog.ngettext('club', 'clubs', 3)).toBe('des clubs');
      expect(catalog.headers.get('language')).toBe('fr_FR');
      expect(catalog.pluralIndex(0)).toBe(0);
    }
  });

  test('a plural entry is not found by gettext, nor a plain one by ngettext', () => {
    const catalog = GettextCatalog.parse(
      buildMo([
        ['', 'Content-Type: text/plain; charset=UTF-8\n'],
        ['cat', 'chat'],
        ['dog\0dogs', 'chien\0chiens'],
      ]),
    );
    expect(catalog.gettext('dog')).toBe('dog');
    expect(catalog.ngettext('cat', 'cats', 2)).toBe('cats');
    expect(catalog.ngettext('dog', 'dogs', 2)).toBe('chiens');
    expect(catalog.gettext('')).toBe('Content-Type: text/plain; charset=UTF-8\n');
  });

  test('without a header, strings are UTF-8 and plurals follow n != 1', () => {
    const catalog = GettextCatalog.parse(
      buildMo([['dog\0dogs', 'Hund\0Hunde']], { little: false }),
    );
    expect(catalog.ngettext('dog', 'dogs', 0)).toBe('Hunde');
    expect(catalog.ngettext('dog', 'dogs', 1)).toBe('Hund');
    expect(catalog.headers.size).toBe(0);
  });

  test('a header field may continue on the next line', () => {
    const catalog = GettextCatalog.parse(
      buildMo([['', 'Plural-Forms: nplurals=3;\n plural=(n%3);\nX: y\n']]),
    );
    expect(catalog.headers.get('plural-forms')).toBe('nplurals=3;\nplural=(n%3);');
    expect(catalog.headers.get('x')).toBe('y');
    expect([1, 2, 3].map((n) => catalog.pluralIndex(n))).toEqual([1, 2, 0]);
  });

  test('a form the catalog lacks falls back to the untranslated message', () => {
    const catalog = GettextCatalog.parse(
      buildMo([
        ['', 'Plural-Forms: nplurals=3; plural=n%3;\n'],
        ['dog\0dogs', 'A\0B'],
      ]),
    );
    // 5 % 3 picks form 2, which the entry does not have.
    expect([3, 4, 5].map((n) => catalog.ngettext('dog', 'dogs', n))).toEqual(['A', 'B', 'dogs']);
  });

  test('an invalid Plural-Forms rule warns and falls back to n != 1', () => {
    const bytes = buildMo([
      ['', 'Plural-Forms: nplurals=2; plural=n ** 2;\n'],
      ['dog\0dogs', 'A\0B'],
    ]);
    const catalog = expectLog(genLog, /Invalid Plural-Forms expression "n \*\* 2"/, () =>
      GettextCatalog.parse(bytes, { source: 'x.mo' }),
    );
    expect(catalog.ngettext('dog', 'dogs', 2)).toBe('B');
  });

  test('withFallback consults a second catalog without changing the first', () => {
    const first = GettextCatalog.parse(buildMo([['a', 'A1']]));
    const second = GettextCatalog.parse(
      buildMo([
        ['a', 'A2'],
        ['b', 'B2'],
        ['c\0cs', 'C\0Cs'],
      ]),
    );
    const third = GettextCatalog.parse(buildMo([['d', 'D3']]));
    const chained = first.withFallback(second).withFallback(third);
    expect(['a', 'b', 'd', 'e'].map((m) => chained.gettext(m))).toEqual(['A1', 'B2', 'D3', 'e']);
    expect(chained.ngettext('c', 'cs', 2)).toBe('Cs');
    expect(first.gettext('b')).toBe('b');
  });

  test('refuses bytes that are not a catalog, with a coded error', () => {
    const good = buildMo([['a', 'b']]);
    const latin1 = buildMo([
      ['', 'Content-Type: text/plain; charset=UTF-8\n'],
      ['a', 'X'],
    ]);
    latin1[latin1.lastIndexOf('X')] = 0xe9;
    const cases: [Uint8Array, RegExp][] = [
      [Buffer.from('short'), /too short/],
      [Buffer.alloc(28), /bad magic number/],
      [buildMo([['a', 'b']], { major: 2 }), /unknown major version 2/],
      [good.subarray(0, good.length - 1), /runs past the end/],
      [good.subarray(0, 30), /runs past the end/],
      [buildMo([['', 'Content-Type: text/plain; charset=CHARSET\n']]), /unknown charset "CHARSET"/],
      [latin1, /not valid UTF-8/],
    ];
    for (const [bytes, message] of cases) {
      let error: unknown;
      try {
        GettextCatalog.parse(bytes, { source: 'bad.mo' });
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(MoFileError);
      expect((error as MoFileError).code).toBe('ERR_MO_FILE');
      expect((error as Error).message).toMatch(message);
    }
  });
});

describe('compilePluralExpression', () => {
  test('evaluates C precedence, ternaries and integer division', () => {
    const rules: [string, number[]][] = [
      ['n != 1', [1, 0, 1]],
      ['n>1', [0, 0, 1]],
      ['0', [0, 0, 0]],
      ['n/2', [0, 0, 1]],
      ['n%2 ? 1 : n ? 2 : 3', [3, 1, 2]],
      ['1 + 2 * n == 5', [0, 0, 1]],
      ['!n', [1, 0, 0]],
      ['!!n', [0, 1, 1]],
      ['(n == 0 || n == 2) && 1', [1, 0, 1]],
      ['n < 2 == 1', [1, 1, 0]],
      ['n / 0', [-1, -1, -1]],
    ];
    for (const [source, expected] of rules) {
      const rule = compilePluralExpression(source);
      expect([0, 1, 2].map(rule), source).toEqual(expected);
    }
  });

  test('refuses anything outside the C subset', () => {
    for (const source of ['n ** 2', 'nn', 'x', '(n', 'n ? 1', '1 2', 'n; 1', '', '~n', 'n & 1']) {
      expect(() => compilePluralExpression(source), source).toThrow(SyntaxError);
    }
    expect(() => compilePluralExpression(`${'('.repeat(50)}n${')'.repeat(50)}`)).toThrow(/deeply/);
    expect(() => compilePluralExpression(`${'n+'.repeat(600)}n`)).toThrow(/too long/);
  });
});
