import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NonReversibleUrlError, PathMatches, ReverseArgumentsError, url } from '../src/index.js';

const request = (path: string) => ({ path, hostName: 'localhost' });

describe('URLSpec reverse', () => {
  it('reverses a pattern without groups, with or without anchors', () => {
    expect(url('/favicon\\.ico', null).reverse()).toBe('/favicon.ico');
    expect(url('^/favicon\\.ico$', null).reverse()).toBe('/favicon.ico');
  });

  it('fills groups with the arguments, turned into strings', () => {
    expect(url('^/api/v1/foo/(\\w+)$', null).reverse('bar')).toBe('/api/v1/foo/bar');
    expect(url('/api\\.v1/foo/([0-9]+)/icon\\.png', null).reverse(5)).toBe(
      '/api.v1/foo/5/icon.png',
    );
  });

  it('fills named groups in order', () => {
    expect(url('/(?<year>[0-9]{4})/(?<slug>[a-z-]+)', null).reverse(2024, 'post')).toBe(
      '/2024/post',
    );
  });

  it('percent-encodes arguments as UTF-8, keeping / and writing a space as %20', () => {
    expect(url('/files/(.*)', null).reverse('a b/c+d')).toBe('/files/a%20b/c%2Bd');
    expect(url('/u/(.*)', null).reverse('été')).toBe('/u/%C3%A9t%C3%A9');
    expect(url('/b/(.*)', null).reverse(new Uint8Array([0xff, 0x41]))).toBe('/b/%FFA');
  });

  it('leaves an optional group empty when its argument is undefined', () => {
    const spec = url('/items/([0-9]+)?', null);
    expect(spec.reverse(undefined)).toBe('/items/');
    expect(spec.reverse(7)).toBe('/items/7');
  });

  it('refuses to reverse a pattern with regex features outside its groups', () => {
    for (const pattern of [
      '^/api/v\\d+/foo/(\\w+)$',
      '/a|/b',
      '/[ab]/(x)',
      '/a*',
      '/(?:x)',
      '/(x)+',
      '/((x))',
      '/(?=x)x',
    ]) {
      // The spec itself can still be built and matched; only reverse fails.
      const spec = url(pattern, null);
      expect(() => spec.reverse('v'), pattern).toThrow(NonReversibleUrlError);
    }
    expect(() => url('/v\\d', null).reverse()).toThrow(/Cannot reverse URL pattern/);
  });

  it('refuses the wrong number of arguments', () => {
    expect(() => url('/(a)/(b)', null).reverse('x')).toThrow(ReverseArgumentsError);
    expect(() => url('/static', null).reverse('x')).toThrow(/needs 0 argument/);
  });

  it('refuses undefined for a group that is not optional', () => {
    expect(() => url('/(a)', null).reverse(undefined)).toThrow(ReverseArgumentsError);
  });

  it('keeps character classes and escapes inside a group out of the template', () => {
    expect(url('/x/([^)/]+)/y', null).reverse('q')).toBe('/x/q/y');
    expect(url('/x/(\\))', null).reverse(')')).toBe('/x/%29');
  });

  it('matches what it reversed, for any arguments (round trip)', () => {
    const spec = new PathMatches('/items/([^/]*)/tail/(.*)');
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary' }).filter((s) => !s.includes('/')),
        fc.string({ unit: 'binary' }),
        (first, rest) => {
          const path = spec.reverse(first, rest);
          expect(spec.match(request(path))?.pathArgs).toEqual([first, rest]);
        },
      ),
    );
  });

  it('round-trips named groups and optional groups too', () => {
    const spec = new PathMatches('/n/(?<a>[^/]+)/(?<b>[^/]*)?');
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', minLength: 1 }).filter((s) => !s.includes('/')),
        fc.option(
          fc.string({ unit: 'binary', minLength: 1 }).filter((s) => !s.includes('/')),
          {
            nil: undefined,
          },
        ),
        (a, b) => {
          const found = spec.match(request(spec.reverse(a, b)));
          expect(found).toEqual({ pathArgs: [a, b], pathKwargs: { a, b } });
        },
      ),
    );
  });
});
