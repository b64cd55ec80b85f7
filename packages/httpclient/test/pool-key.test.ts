// poolKey: requests share a connection only when every connection setting matches; the plain
// direct case reuses the target's origin string.
import { describe, expect, it } from 'vitest';
import { HTTPRequest } from '../src/index.js';
import { parseTarget, poolKey } from '../src/request-target.js';

function key(url: string, options: ConstructorParameters<typeof HTTPRequest>[1] = {}): string {
  return poolKey(new HTTPRequest(url, options), parseTarget(url));
}

describe('poolKey', () => {
  it('is the origin for a plain direct request, whatever the path', () => {
    expect(key('http://example.com:8080/a')).toBe('http://example.com:8080');
    expect(key('http://example.com:8080/b?q')).toBe(key('http://example.com:8080/a'));
  });

  it('differs when any connection setting differs', () => {
    const url = 'http://example.com/';
    const keys = [
      key(url),
      key('http://example.com:81/'),
      key('https://example.com/'),
      key('https://example.com/', { validateCert: false }),
      key(url, { proxyHost: 'proxy', proxyPort: 3128 }),
      key(url, { proxyHost: 'proxy', proxyPort: 3128, proxyUsername: 'u' }),
      key(url, { networkInterface: '127.0.0.1' }),
      key(url, { allowIpv6: false }),
    ];
    expect(new Set(keys).size).toBe(keys.length);
  });
});
