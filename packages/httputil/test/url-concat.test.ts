// urlConcat: Tornado's TestUrlConcat.
import { urlConcat } from '@tronada/httputil';
import { describe, expect, it } from 'vitest';

describe('urlConcat (Tornado TestUrlConcat)', () => {
  it('adds a query to a URL without one (test_url_concat_no_query_params)', () => {
    expect(
      urlConcat('https://localhost/path', [
        ['y', 'y'],
        ['z', 'z'],
      ]),
    ).toBe('https://localhost/path?y=y&z=z');
  });

  it('encodes argument values (test_url_concat_encode_args)', () => {
    expect(
      urlConcat('https://localhost/path', [
        ['y', '/y'],
        ['z', 'z'],
      ]),
    ).toBe('https://localhost/path?y=%2Fy&z=z');
  });

  it('drops a trailing "?" (test_url_concat_trailing_q)', () => {
    expect(
      urlConcat('https://localhost/path?', [
        ['y', 'y'],
        ['z', 'z'],
      ]),
    ).toBe('https://localhost/path?y=y&z=z');
  });

  it('turns a bare name into name= (test_url_concat_q_with_no_trailing_amp)', () => {
    expect(
      urlConcat('https://localhost/path?x', [
        ['y', 'y'],
        ['z', 'z'],
      ]),
    ).toBe('https://localhost/path?x=&y=y&z=z');
  });

  it('drops a trailing "&" (test_url_concat_trailing_amp)', () => {
    expect(
      urlConcat('https://localhost/path?x&', [
        ['y', 'y'],
        ['z', 'z'],
      ]),
    ).toBe('https://localhost/path?x=&y=y&z=z');
  });

  it('appends after existing parameters (test_url_concat_mult_params)', () => {
    expect(
      urlConcat('https://localhost/path?a=1&b=2', [
        ['y', 'y'],
        ['z', 'z'],
      ]),
    ).toBe('https://localhost/path?a=1&b=2&y=y&z=z');
  });

  it('leaves the query alone with no arguments (test_url_concat_no_params)', () => {
    expect(urlConcat('https://localhost/path?r=1&t=2', [])).toBe('https://localhost/path?r=1&t=2');
  });

  it('returns the URL unchanged for null arguments (test_url_concat_none_params)', () => {
    expect(urlConcat('https://localhost/path?r=1&t=2', null)).toBe(
      'https://localhost/path?r=1&t=2',
    );
    expect(urlConcat('https://localhost/path?r=1&t=2', undefined)).toBe(
      'https://localhost/path?r=1&t=2',
    );
  });

  it('keeps the fragment after the query (test_url_concat_with_frag)', () => {
    expect(urlConcat('https://localhost/path#tab', [['y', 'y']])).toBe(
      'https://localhost/path?y=y#tab',
    );
  });

  it('keeps repeated argument names (test_url_concat_multi_same_params)', () => {
    expect(
      urlConcat('https://localhost/path', [
        ['y', 'y1'],
        ['y', 'y2'],
      ]),
    ).toBe('https://localhost/path?y=y1&y=y2');
  });

  it('keeps repeated names already in the query (test_url_concat_multi_same_query_params)', () => {
    expect(urlConcat('https://localhost/path?r=1&r=2', [['y', 'y']])).toBe(
      'https://localhost/path?r=1&r=2&y=y',
    );
  });

  it('accepts a record of arguments (test_url_concat_dict_params)', () => {
    expect(urlConcat('https://localhost/path', { y: 'y' })).toBe('https://localhost/path?y=y');
  });
});

describe('urlConcat', () => {
  it('encodes like Python quote_plus: UTF-8, space as +, only letters, digits and _.-~ kept', () => {
    expect(urlConcat('/p', [['q', "a b/~!*()'é"]])).toBe('/p?q=a+b%2F~%21%2A%28%29%27%C3%A9');
    expect(urlConcat('/p', { n: 3 })).toBe('/p?n=3');
  });

  it('re-encodes the existing query, replacing invalid UTF-8 as Python does', () => {
    expect(urlConcat('http://x/p?a=%C3%A9&b=%FF', [['a', 'b']])).toBe(
      'http://x/p?a=%C3%A9&b=%EF%BF%BD&a=b',
    );
    expect(urlConcat('http://x/p;par?a=%7e&b#f', [['c', 'd']])).toBe('http://x/p;par?a=~&b=&c=d#f');
  });
});
