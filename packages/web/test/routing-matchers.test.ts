import { HTTPServerRequest } from '@tronada/httputil';
import { describe, expect, it } from 'vitest';
import {
  AnyMatches,
  HostMatches,
  InvalidPathEncodingError,
  MixedGroupsError,
  PathMatches,
} from '../src/index.js';

const request = (path: string, hostName = 'localhost') => ({ path, hostName });

describe('AnyMatches', () => {
  it('matches every request with no arguments', () => {
    expect(new AnyMatches().match(request('/anything'))).toEqual({ pathArgs: [], pathKwargs: {} });
    expect(new AnyMatches().reverse()).toBeNull();
  });
});

describe('HostMatches', () => {
  it('matches the host name from its start and anchors a string pattern at the end', () => {
    const matcher = new HostMatches('www\\.example\\.com');
    expect(matcher.match(request('/', 'www.example.com'))).toEqual({
      pathArgs: [],
      pathKwargs: {},
    });
    expect(matcher.match(request('/', 'www.example.com.evil'))).toBeNull();
    expect(matcher.match(request('/', 'xwww.example.com'))).toBeNull();
  });

  it('accepts a pattern with wildcards and a RegExp', () => {
    expect(new HostMatches('.*').match(request('/', 'any.host'))).not.toBeNull();
    expect(new HostMatches(/api\./).match(request('/', 'api.example.com'))).not.toBeNull();
    expect(new HostMatches(/api\./).match(request('/', 'www.api.example.com'))).toBeNull();
  });

  it('reads hostName of an HTTPServerRequest, lower case and without the port', () => {
    const real = new HTTPServerRequest({ uri: '/', host: 'WWW.Example.com:8080' });
    expect(new HostMatches('www\\.example\\.com').match(real)).not.toBeNull();
  });

  it('has no URL to reverse', () => {
    expect(new HostMatches('.*').reverse()).toBeNull();
  });
});

describe('PathMatches', () => {
  it('matches the whole path: a string pattern is anchored at both ends', () => {
    const matcher = new PathMatches('/first_handler');
    expect(matcher.match(request('/first_handler'))).toEqual({ pathArgs: [], pathKwargs: {} });
    expect(matcher.match(request('/first_handler/more'))).toBeNull();
    expect(matcher.match(request('/x/first_handler'))).toBeNull();
  });

  it('does not append a second $ to a pattern that ends with one', () => {
    const matcher = new PathMatches('^/a$');
    expect(matcher.match(request('/a'))).not.toBeNull();
    expect(matcher.match(request('/ab'))).toBeNull();
  });

  it('uses a RegExp as written, anchored only at the start', () => {
    const matcher = new PathMatches(/\/prefix/);
    expect(matcher.match(request('/prefix/and/more'))).not.toBeNull();
    expect(matcher.match(request('/x/prefix'))).toBeNull();
  });

  it('passes positional groups in order, percent-decoded, with + kept as a plus', () => {
    const matcher = new PathMatches('/(.*)/(.*)');
    expect(matcher.match(request('/a%20b+c/%C3%A9t%C3%A9'))).toEqual({
      pathArgs: ['a b+c', 'été'],
      pathKwargs: {},
    });
  });

  it('matches against the still encoded path, so %2F does not split a segment', () => {
    const matcher = new PathMatches('/([^/]+)/([^/]+)');
    expect(matcher.match(request('/a%2Fb/c'))).toEqual({ pathArgs: ['a/b', 'c'], pathKwargs: {} });
  });

  it('passes named groups positionally and by name', () => {
    const matcher = new PathMatches('/(?<year>[0-9]{4})/(?<slug>[a-z-]+)');
    expect(matcher.match(request('/2024/hello-world'))).toEqual({
      pathArgs: ['2024', 'hello-world'],
      pathKwargs: { year: '2024', slug: 'hello-world' },
    });
  });

  it('gives undefined for an optional group that did not match', () => {
    const matcher = new PathMatches('/page(?:/([0-9]+))?');
    expect(matcher.match(request('/page'))).toEqual({ pathArgs: [undefined], pathKwargs: {} });
    expect(matcher.match(request('/page/3'))).toEqual({ pathArgs: ['3'], pathKwargs: {} });
    const named = new PathMatches('/(?<a>x)?y');
    expect(named.match(request('/y'))).toEqual({
      pathArgs: [undefined],
      pathKwargs: { a: undefined },
    });
  });

  it('keeps a malformed percent escape as written', () => {
    expect(new PathMatches('/(.*)').match(request('/100%'))?.pathArgs).toEqual(['100%']);
    expect(new PathMatches('/(.*)').match(request('/%zz'))?.pathArgs).toEqual(['%zz']);
  });

  it('throws InvalidPathEncodingError when a group decodes to invalid UTF-8', () => {
    const matcher = new PathMatches('/(.*)');
    expect(() => matcher.match(request('/%FF'))).toThrow(InvalidPathEncodingError);
    expect(() => matcher.match(request('/%FF'))).toThrow(/Invalid unicode in url/);
    // Invalid bytes outside the groups are never decoded.
    expect(new PathMatches('/%FF/(.*)').match(request('/%FF/ok'))?.pathArgs).toEqual(['ok']);
  });

  it('rejects patterns that mix named and positional groups', () => {
    expect(() => new PathMatches('/(?<a>x)/(y)')).toThrow(MixedGroupsError);
  });

  it('counts its groups and names', () => {
    expect(new PathMatches('/(a)(b)').groupCount).toBe(2);
    expect(new PathMatches('/(?<a>a)').groupNames).toEqual(['a']);
  });

  it('matches the path of an HTTPServerRequest, still percent-encoded', () => {
    const real = new HTTPServerRequest({ uri: '/files/a%20b?x=1' });
    expect(new PathMatches('/files/(.*)').match(real)?.pathArgs).toEqual(['a b']);
  });
});
