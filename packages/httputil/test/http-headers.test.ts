// HTTPHeaders: Tornado's HTTPHeadersTest, plus injection checks and a model test over both
// storage forms (the flat small form and the Map it grows into).
import { HTTPHeaders, HTTPInputError, InvalidHeaderError } from '@tronada/httputil';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const sortedPairs = (h: HTTPHeaders) => [...h].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

describe('HTTPHeaders (Tornado HTTPHeadersTest)', () => {
  it('appends continuation lines to the previous value with one space (test_multi_line)', () => {
    const data =
      'Foo: bar\r\n baz\r\nAsdf: qwer\r\n\tzxcv\r\nFoo: even\r\n     more\r\n     lines\r\n';
    const headers = HTTPHeaders.parse(data);
    expect(headers.get('asdf')).toBe('qwer zxcv');
    expect(headers.getList('asdf')).toEqual(['qwer zxcv']);
    expect(headers.get('Foo')).toBe('bar baz,even more lines');
    expect(headers.getList('foo')).toEqual(['bar baz', 'even more lines']);
    expect(sortedPairs(headers)).toEqual([
      ['Asdf', 'qwer zxcv'],
      ['Foo', 'bar baz'],
      ['Foo', 'even more lines'],
    ]);
    expect(headers.has('asdf')).toBe(true);
    expect(headers.has('Asdf')).toBe(true);
  });

  it('rejects a continuation line with nothing to continue (test_malformed_continuation)', () => {
    expect(() => HTTPHeaders.parse(' Foo: bar')).toThrow(HTTPInputError);
  });

  it('splits lines only at LF, not at other newline-like characters (test_unicode_newlines)', () => {
    const newlines = ['\u001b', '\u001c', '\u001d', '\u001e', '\u0085', '\u2028', '\u2029'];
    for (const newline of newlines) {
      for (const encoding of ['utf8', 'latin1'] as const) {
        if (encoding === 'latin1' && newline.charCodeAt(0) > 0xff) continue;
        const encoded = Buffer.from(newline, encoding);
        const data = Buffer.concat([Buffer.from('Cookie: foo='), encoded, Buffer.from('bar')]);
        // parse() takes text; decode through Latin-1 as the wire parser does.
        const headers = HTTPHeaders.parse(data.toString('latin1'));
        expect([...headers]).toEqual([['Cookie', `foo=${encoded.toString('latin1')}bar`]]);
      }
    }
  });

  it('accepts CRLF and LF line ends and rejects a bare CR (test_optional_cr, deviation)', () => {
    const headers = HTTPHeaders.parse('CRLF: crlf\r\nLF: lf\nMore: more\r\n');
    expect(sortedPairs(headers)).toEqual([
      ['Crlf', 'crlf'],
      ['Lf', 'lf'],
      ['More', 'more'],
    ]);
    // Tornado keeps "cr\rMore: more" as one value; RFC 9110 §5.5 says reject or replace.
    const error = (() => {
      try {
        HTTPHeaders.parse('CR: cr\rMore: more\r\n');
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(HTTPInputError);
    expect((error as HTTPInputError).rule).toBe('bare-cr');
  });

  it('copies share neither the dictionary nor its value lists (test_copy)', () => {
    const allPairs: [string, string][] = [
      ['A', '1'],
      ['A', '2'],
      ['B', 'c'],
    ];
    const h1 = new HTTPHeaders();
    for (const [k, v] of allPairs) h1.add(k, v);
    const h2 = h1.copy();
    const h3 = new HTTPHeaders(h1);
    for (const headers of [h1, h2, h3]) expect(sortedPairs(headers)).toEqual(allPairs);
    for (const headers of [h2, h3]) {
      expect(headers).not.toBe(h1);
      expect(headers.getList('A')).not.toBe(h1.getList('A'));
      headers.add('A', '3');
      expect(h1.getList('A')).toEqual(['1', '2']);
    }
  });

  it('copies keep order, size and the line a continuation extends, repeated names or not', () => {
    const distinct = HTTPHeaders.parse('Server: a\r\nContent-Type: b\r\nDate: c\r\n');
    const repeated = HTTPHeaders.parse('A: 1\r\nB: 2\r\nA: 3\r\n');
    for (const source of [distinct, repeated]) {
      const copy = source.copy();
      expect([...copy]).toEqual([...source]);
      expect(copy.size).toBe(source.size);
      expect(copy.formatLines()).toBe(source.formatLines());
      // What appending each pair in iteration order leaves as the last name.
      const last = [...source].at(-1)![0];
      copy.parseLine(' more');
      expect(copy.getList(last).at(-1)).toMatch(/ more$/);
      copy.set('Date', 'changed');
      expect(source.get('Date')).toBe(distinct === source ? 'c' : undefined);
    }
    const empty = new HTTPHeaders().copy();
    expect(empty.size).toBe(0);
    expect(() => empty.parseLine(' more')).toThrow(HTTPInputError);
  });

  it('counts distinct names in size, repeated ones once', () => {
    const headers = new HTTPHeaders();
    expect(headers.size).toBe(0);
    headers.add('A', '1');
    headers.add('B', '2');
    headers.add('a', '3');
    expect(headers.size).toBe(2);
  });

  it('round-trips through its list of pairs (test_pickle_roundtrip, deviation)', () => {
    const headers = new HTTPHeaders();
    headers.add('Set-Cookie', 'a=b');
    headers.add('Set-Cookie', 'c=d');
    headers.add('Content-Type', 'text/html');
    const restored = new HTTPHeaders(JSON.parse(JSON.stringify([...headers])));
    expect(sortedPairs(restored)).toEqual(sortedPairs(headers));
    expect(restored.get('Set-Cookie')).toBe('a=b,c=d');
  });

  it('setDefault returns an existing value or sets a new one (test_setdefault)', () => {
    const headers = new HTTPHeaders();
    headers.set('foo', 'bar');
    expect(headers.setDefault('foo', 'baz')).toBe('bar');
    expect(headers.get('foo')).toBe('bar');
    expect(headers.setDefault('quux', 'xyzzy')).toBe('xyzzy');
    expect(headers.get('quux')).toBe('xyzzy');
    expect(sortedPairs(headers)).toEqual([
      ['Foo', 'bar'],
      ['Quux', 'xyzzy'],
    ]);
  });

  it('parses its own string form back to the same headers (test_string)', () => {
    const headers = new HTTPHeaders();
    headers.add('Foo', '1');
    headers.add('Foo', '2');
    headers.add('Foo', '3');
    const headers2 = HTTPHeaders.parse(String(headers));
    expect([...headers2]).toEqual([...headers]);
  });

  it('adds in linear time however often a name repeats (test_linear_performance)', () => {
    const time = (n: number) => {
      let best = Number.POSITIVE_INFINITY;
      for (let round = 0; round < 3; round++) {
        const start = performance.now();
        const headers = new HTTPHeaders();
        for (let i = 0; i < n; i++) headers.add('X-Foo', 'bar');
        expect(headers.getList('X-Foo')).toHaveLength(n);
        best = Math.min(best, performance.now() - start);
      }
      return best;
    };
    const d1 = time(10_000);
    const d2 = time(100_000);
    // About 10x for linear; quadratic would be about 100x. Allow a wide margin for noise.
    expect(d2 / Math.max(d1, 0.05)).toBeLessThan(40);
  });
});

describe('HTTPHeaders', () => {
  it('stores names in Http-Header-Case and finds them in any case', () => {
    const headers = new HTTPHeaders({ 'content-TYPE': 'text/html', 'x-real-ip': '1.2.3.4' });
    expect([...headers.names()]).toEqual(['Content-Type', 'X-Real-Ip']);
    expect(headers.get('CONTENT-type')).toBe('text/html');
    expect(headers.get('Missing')).toBeUndefined();
    expect(headers.get('Missing', 'default')).toBe('default');
  });

  it('builds from a record with lists, from pairs, and from another HTTPHeaders', () => {
    const fromRecord = new HTTPHeaders({ Canary: ['Coal Mine'], 'Set-Cookie': ['a=1', 'b=2'] });
    expect([...fromRecord]).toEqual([
      ['Canary', 'Coal Mine'],
      ['Set-Cookie', 'a=1'],
      ['Set-Cookie', 'b=2'],
    ]);
    const fromPairs = new HTTPHeaders([
      ['a', '1'],
      ['b', '2'],
      ['A', '3'],
    ]);
    expect([...fromPairs]).toEqual([
      ['A', '1'],
      ['A', '3'],
      ['B', '2'],
    ]);
    expect([...new HTTPHeaders(fromPairs)]).toEqual([...fromPairs]);
  });

  it('keeps a name at its first place when it is set again, and moves it to the end after delete', () => {
    const headers = new HTTPHeaders([
      ['A', '1'],
      ['B', '2'],
      ['A', '3'],
    ]);
    headers.set('a', 'x');
    expect([...headers]).toEqual([
      ['A', 'x'],
      ['B', '2'],
    ]);
    expect(headers.delete('A')).toBe(true);
    expect(headers.delete('A')).toBe(false);
    headers.add('A', 'y');
    expect([...headers]).toEqual([
      ['B', '2'],
      ['A', 'y'],
    ]);
    expect(headers.size).toBe(2);
  });

  it('refuses CR, LF and NUL in values and non-token names on every way in', () => {
    const headers = new HTTPHeaders();
    for (const value of ['a\r\nInjected: 1', 'a\nb', 'a\rb', 'a\0b']) {
      expect(() => headers.add('X', value)).toThrow(InvalidHeaderError);
      expect(() => headers.set('X', value)).toThrow(InvalidHeaderError);
      expect(() => new HTTPHeaders({ X: value })).toThrow(InvalidHeaderError);
    }
    for (const name of ['', 'Bad Name', 'X:Y', 'X\r\nY', 'Ñame', 'a(b)']) {
      expect(() => headers.add(name, 'v')).toThrow(InvalidHeaderError);
      expect(() => new HTTPHeaders([[name, 'v']])).toThrow(InvalidHeaderError);
    }
    expect(headers.size).toBe(0);
    try {
      headers.add('X-Test', 'a\nb');
    } catch (error) {
      expect((error as InvalidHeaderError).code).toBe('ERR_INVALID_HEADER');
      expect((error as InvalidHeaderError).headerName).toBe('X-Test');
      expect((error as Error).message).toMatch(/CR, LF and NUL are not allowed/);
    }
  });

  it('keeps other control and non-ASCII characters in values, as Tornado does', () => {
    const headers = new HTTPHeaders();
    headers.add('X', 'tab\there \u001b é \u2028');
    expect(headers.get('X')).toBe('tab\there \u001b é \u2028');
  });

  it('rejects malformed lines in parse with HTTPInputError naming the rule', () => {
    const cases: [string, string][] = [
      ['NoColon\r\n', 'field-no-colon'],
      ['Bad Name: x\r\n', 'field-name-invalid'],
      ['X: a\0b\r\n', 'nul-in-field'],
      [' continuation\r\n', 'fold-without-field'],
    ];
    for (const [text, rule] of cases) {
      try {
        HTTPHeaders.parse(text);
        expect.unreachable(`no error for ${JSON.stringify(text)}`);
      } catch (error) {
        expect(error).toBeInstanceOf(HTTPInputError);
        expect((error as HTTPInputError).rule).toBe(rule);
        expect((error as HTTPInputError).status).toBe(400);
      }
    }
  });

  it('behaves like a dict of lists under any sequence of operations, small or large', () => {
    const name = fc
      .constantFrom('host', 'Content-Type', 'x-a', 'X-B', 'set-cookie', 'Y')
      .chain((n) => fc.constantFrom(n, n.toUpperCase(), n.toLowerCase()));
    const value = fc.string({ unit: fc.constantFrom('a', 'b', ' ', ',', 'é') });
    const op = fc.oneof(
      fc.record({ kind: fc.constant('add' as const), name, value }),
      fc.record({ kind: fc.constant('set' as const), name, value }),
      fc.record({ kind: fc.constant('delete' as const), name }),
      fc.record({ kind: fc.constant('fold' as const), value }),
      fc.record({
        kind: fc.constant('bulk' as const),
        name,
        count: fc.integer({ min: 1, max: 40 }),
      }),
    );
    const norm = (n: string) =>
      n
        .split('-')
        .map((w) => w.charAt(0).toUpperCase() + w.slice(1).toLowerCase())
        .join('-');
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
        const headers = new HTTPHeaders();
        const model = new Map<string, string[]>();
        let last: string | undefined;
        for (const o of ops) {
          if (o.kind === 'add' || o.kind === 'bulk') {
            const times = o.kind === 'bulk' ? o.count : 1;
            const v = o.kind === 'add' ? o.value : 'v';
            for (let i = 0; i < times; i++) {
              headers.add(o.name, v);
              const key = norm(o.name);
              model.set(key, [...(model.get(key) ?? []), v]);
              last = key;
            }
          } else if (o.kind === 'set') {
            headers.set(o.name, o.value);
            model.set(norm(o.name), [o.value]);
          } else if (o.kind === 'delete') {
            expect(headers.delete(o.name)).toBe(model.delete(norm(o.name)));
          } else {
            const ok = last !== undefined && model.has(last);
            if (ok) {
              headers.parseLine(` ${o.value}`);
              const list = model.get(last!)!;
              list[list.length - 1] += ` ${o.value.replace(/^ +| +$/g, '')}`;
            } else {
              expect(() => headers.parseLine(` ${o.value}`)).toThrow(HTTPInputError);
            }
          }
        }
        const expected = [...model].flatMap(([k, vs]) => vs.map((v) => [k, v]));
        expect([...headers]).toEqual(expected);
        expect([...headers.names()]).toEqual([...model.keys()]);
        expect(headers.size).toBe(model.size);
        for (const n of ['host', 'x-a', 'X-B', 'set-cookie', 'y', 'missing']) {
          const vs = model.get(norm(n));
          expect(headers.has(n)).toBe(vs !== undefined);
          expect(headers.getList(n)).toEqual(vs ?? []);
          expect(headers.get(n)).toBe(vs?.join(','));
        }
      }),
    );
  });
});
