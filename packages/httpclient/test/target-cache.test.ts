// TargetCache: parsed request URLs reused across fetches; a hit must equal a fresh parse, and
// the cache must stay bounded and never remember a failure.
import { describe, expect, it } from 'vitest';
import { parseTarget } from '../src/request-target.js';
import { TargetCache } from '../src/target-cache.js';

describe('TargetCache', () => {
  it('returns what parseTarget returns, the same frozen object on every hit', () => {
    const cache = new TargetCache(4);
    const url = 'http://user:p%40ss@[::1]:8080/a/b?x=1#frag';
    const target = cache.get(url);
    expect(target).toEqual(parseTarget(url));
    expect(cache.get(url)).toBe(target);
    expect(Object.isFrozen(target)).toBe(true);
    expect(target).toMatchObject({
      host: '::1',
      hostname: '[::1]',
      port: 8080,
      hostHeader: '[::1]:8080',
      path: '/a/b?x=1',
      origin: 'http://::1:8080',
      username: 'user',
      password: 'p%40ss',
    });
  });

  it('keeps URLs that differ apart, however slightly', () => {
    const cache = new TargetCache(8);
    const a = cache.get('http://example.com/a');
    const b = cache.get('http://example.com/a?');
    const c = cache.get('https://example.com/a');
    expect([a.path, b.path, c.path]).toEqual(['/a', '/a', '/a']);
    expect([a.port, c.port]).toEqual([80, 443]);
    expect(a).not.toBe(c);
    expect(cache.size).toBe(3);
  });

  it('drops the oldest entry beyond its capacity', () => {
    const cache = new TargetCache(2);
    const first = cache.get('http://a.example/');
    cache.get('http://b.example/');
    cache.get('http://c.example/');
    expect(cache.size).toBe(2);
    const again = cache.get('http://a.example/');
    expect(again).not.toBe(first);
    expect(again).toEqual(first);
  });

  it('throws on every lookup of a bad URL and keeps nothing for it', () => {
    const cache = new TargetCache(2);
    expect(() => cache.get('not a url')).toThrow(TypeError);
    expect(() => cache.get('ftp://example.com/')).toThrow('Unsupported url scheme');
    expect(() => cache.get('not a url')).toThrow(TypeError);
    expect(cache.size).toBe(0);
  });

  it('parses a very long URL every time instead of keeping it', () => {
    const cache = new TargetCache(2);
    const url = `http://example.com/?q=${'x'.repeat(TargetCache.MAX_URL_LENGTH)}`;
    const target = cache.get(url);
    expect(target).toEqual(parseTarget(url));
    expect(cache.size).toBe(0);
    expect(cache.get(url)).not.toBe(target);
  });

  it('refuses a capacity below 1', () => {
    expect(() => new TargetCache(0)).toThrow(RangeError);
  });
});
