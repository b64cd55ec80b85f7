/**
 * Resolvers (Tornado's netutil_test resolver classes): DefaultResolver through the system's
 * getaddrinfo (localhost comes from /etc/hosts, so no network is used), its error path through
 * an injected lookup, and OverrideResolver's three mapping forms.
 */
import { Future } from '@tronada/ioloop';
import { describe, expect, it } from 'vitest';
import { ResolveError } from '../src/network-errors.js';
import { OverrideResolver } from '../src/override-resolver.js';
import type { AddressFamily, LookupFunction, ResolvedAddress, Resolver } from '../src/resolver.js';
import { DefaultResolver } from '../src/resolver.js';

/** Records the calls it gets and answers each host with the given addresses. */
class RecordingResolver implements Resolver {
  readonly calls: Array<[string, number, AddressFamily | undefined]> = [];
  closed = false;
  resolve(host: string, port: number, family?: AddressFamily): Future<ResolvedAddress[]> {
    this.calls.push([host, port, family]);
    return Future.resolved([{ family: family ?? 4, address: host, port }]);
  }
  close(): void {
    this.closed = true;
  }
}

describe('DefaultResolver', () => {
  it('resolves localhost to 127.0.0.1 among its addresses', async () => {
    const result = await new DefaultResolver().resolve('localhost', 80);
    expect(result).toContainEqual({ family: 4, address: '127.0.0.1', port: 80 });
  });

  it('returns only addresses of the family asked for', async () => {
    const result = await new DefaultResolver().resolve('localhost', 80, 4);
    expect(result.length).toBeGreaterThan(0);
    expect(result.every((a) => a.family === 4)).toBe(true);
  });

  it('returns an IP literal as it is', async () => {
    expect(await new DefaultResolver().resolve('::1', 443)).toEqual([
      { family: 6, address: '::1', port: 443 },
    ]);
  });

  it('fails with ResolveError, carrying the lookup error, when the lookup fails', async () => {
    const failure = Object.assign(new Error('mock: lookup failed'), { code: 'EAI_FAIL' });
    const lookup: LookupFunction = (_host, _options, callback) => callback(failure, []);
    const error = await new DefaultResolver({ lookup }).resolve('an invalid domain', 80).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ResolveError);
    expect((error as ResolveError).host).toBe('an invalid domain');
    expect((error as ResolveError).cause).toBe(failure);
    expect((error as ResolveError).message).toMatch(/EAI_FAIL/);
  });

  it('fails with ResolveError when the lookup finds nothing', async () => {
    const lookup: LookupFunction = (_host, _options, callback) => callback(null, []);
    await expect(new DefaultResolver({ lookup }).resolve('nothing.test', 80)).rejects.toThrow(
      ResolveError,
    );
  });

  it('passes the family to the lookup, 0 when none is given', async () => {
    const seen: number[] = [];
    const lookup: LookupFunction = (_host, options, callback) => {
      seen.push(options.family);
      callback(null, [{ address: '10.0.0.1', family: 4 }]);
    };
    const resolver = new DefaultResolver({ lookup });
    await resolver.resolve('a.test', 1);
    await resolver.resolve('a.test', 1, 6);
    expect(seen).toEqual([0, 6]);
  });
});

describe('OverrideResolver', () => {
  const mapping = [
    [
      ['google.com', 80],
      ['1.2.3.4', 80],
    ],
    [
      ['google.com', 80, 4],
      ['1.2.3.4', 80],
    ],
    [
      ['google.com', 80, 6],
      ['2a02:6b8:7c:40c:c51e:495f:e23a:3', 80],
    ],
  ] as const;

  it('resolves a host it has no override for through the wrapped resolver', async () => {
    const resolver = new OverrideResolver(new DefaultResolver(), mapping);
    const result = await resolver.resolve('localhost', 80);
    expect(result).toContainEqual({ family: 4, address: '127.0.0.1', port: 80 });
  });

  it('maps a host, port and family to their own target', async () => {
    const resolver = new OverrideResolver(new DefaultResolver(), mapping);
    expect(await resolver.resolve('google.com', 80, 4)).toContainEqual({
      family: 4,
      address: '1.2.3.4',
      port: 80,
    });
    expect(await resolver.resolve('google.com', 80, 6)).toContainEqual({
      family: 6,
      address: '2a02:6b8:7c:40c:c51e:495f:e23a:3',
      port: 80,
    });
  });

  it('prefers host+port+family over host+port over host', async () => {
    const inner = new RecordingResolver();
    const resolver = new OverrideResolver(inner, [
      ['example.com', 'host-only'],
      [
        ['example.com', 443],
        ['host-port', 1443],
      ],
      [
        ['example.com', 443, 6],
        ['host-port-family', 2443],
      ],
    ]);
    await resolver.resolve('example.com', 443, 6);
    await resolver.resolve('example.com', 443, 4);
    await resolver.resolve('example.com', 443);
    await resolver.resolve('example.com', 80);
    await resolver.resolve('other.com', 80);
    expect(inner.calls).toEqual([
      ['host-port-family', 2443, 6],
      ['host-port', 1443, 4],
      ['host-port', 1443, undefined],
      ['host-only', 80, undefined],
      ['other.com', 80, undefined],
    ]);
  });

  it('takes a plain record of host to host', async () => {
    const inner = new RecordingResolver();
    const resolver = new OverrideResolver(inner, { 'example.com': '127.0.0.1' });
    await resolver.resolve('example.com', 8080);
    expect(inner.calls).toEqual([['127.0.0.1', 8080, undefined]]);
  });

  it('takes a Map of host to host', async () => {
    const inner = new RecordingResolver();
    const resolver = new OverrideResolver(inner, new Map([['a.test', 'b.test']]));
    await resolver.resolve('a.test', 1);
    expect(inner.calls).toEqual([['b.test', 1, undefined]]);
  });

  it('closes the wrapped resolver', () => {
    const inner = new RecordingResolver();
    new OverrideResolver(inner, {}).close();
    expect(inner.closed).toBe(true);
  });
});
