/**
 * Cookies through RequestHandler: signed cookies on a stubbed handler (Tornado's
 * SecureCookieV1Test and SecureCookieV2Test) and plain cookies over HTTP (CookieTest).
 */
import { createHmac } from 'node:crypto';
import type { HTTPServerRequest } from '@tronada/httputil';
import { useTestLoop } from '@tronada/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Application, CookieOptions } from '../src/index.js';
import { Application as App, RequestHandler } from '../src/index.js';
import type { CookieSecret } from '../src/security/signed-value.js';
import { useAsyncHTTPTestCase } from '../src/testing/index.js';

useTestLoop({ beforeEach, afterEach }, { clock: false });

/**
 * A handler with no request: settings come from a stand-in application and cookies live in a
 * map, so the signed-cookie methods can be exercised on their own.
 */
class CookieStubHandler extends RequestHandler {
  jar = new Map<string, string>();

  constructor(cookieSecret: CookieSecret = '0123456789', keyVersion?: number) {
    const settings = keyVersion === undefined ? { cookieSecret } : { cookieSecret, keyVersion };
    super({ settings } as unknown as Application, {} as HTTPServerRequest);
  }

  override getCookie(name: string, defaultValue?: string): string | undefined {
    return this.jar.get(name) ?? defaultValue;
  }

  override setCookie(name: string, value: string | Uint8Array, _options: CookieOptions = {}): void {
    this.jar.set(name, typeof value === 'string' ? value : Buffer.from(value).toString('utf8'));
  }
}

function signatureV1(secret: string, ...parts: string[]): string {
  const hmac = createHmac('sha1', secret);
  for (const part of parts) hmac.update(part, 'latin1');
  return hmac.digest('hex');
}

describe('SecureCookieV1Test', () => {
  it('reads back a v1 signed cookie it set (SecureCookieV1Test.test_round_trip)', () => {
    const handler = new CookieStubHandler();
    handler.setSecureCookie('foo', Buffer.from('bar'), { version: 1 });
    expect(handler.getSecureCookie('foo', undefined, { minVersion: 1 })).toEqual(
      Buffer.from('bar'),
    );
  });

  it('rejects a v1 cookie whose payload digits were moved into the timestamp (SecureCookieV1Test.test_cookie_tampering_future_timestamp)', () => {
    const handler = new CookieStubHandler();
    // These bytes base64-encode to "12345678".
    handler.setSecureCookie('foo', Buffer.from('d76df8e7aefc', 'hex'), { version: 1 });
    const cookie = handler.jar.get('foo')!;
    const match = /^12345678\|([0-9]+)\|([0-9a-f]+)$/.exec(cookie);
    expect(match).not.toBeNull();
    const [, timestamp, signature] = match as unknown as [string, string, string];
    expect(signatureV1('0123456789', 'foo', '12345678', timestamp)).toBe(signature);
    // v1 signs the parts with no separator, so the shifted digits keep the same signature...
    expect(signatureV1('0123456789', 'foo', '1234', `5678${timestamp}`)).toBe(signature);
    handler.jar.set('foo', `1234|5678${timestamp}|${signature}`);
    // ...and only the far-future timestamp gives the forgery away.
    expect(handler.getSecureCookie('foo', undefined, { minVersion: 1 })).toBeNull();
  });

  it('signs arbitrary bytes, not just cookie-safe text (SecureCookieV1Test.test_arbitrary_bytes)', () => {
    const handler = new CookieStubHandler();
    handler.setSecureCookie('foo', Buffer.from([0xe9]), { version: 1 });
    expect(handler.getSecureCookie('foo', undefined, { minVersion: 1 })).toEqual(
      Buffer.from([0xe9]),
    );
  });
});

describe('SecureCookieV2Test', () => {
  const KEY_VERSIONS = { 0: 'ajklasdf0ojaisdf', 1: 'aslkjasaolwkjsdf' };

  it('reads back a v2 signed cookie it set (SecureCookieV2Test.test_round_trip)', () => {
    const handler = new CookieStubHandler();
    handler.setSecureCookie('foo', Buffer.from('bar'), { version: 2 });
    expect(handler.jar.get('foo')).toMatch(/^2\|/);
    expect(handler.getSecureCookie('foo', undefined, { minVersion: 2 })).toEqual(
      Buffer.from('bar'),
    );
  });

  it('round-trips with key version 0 of a key map (SecureCookieV2Test.test_key_version_roundtrip)', () => {
    const handler = new CookieStubHandler(KEY_VERSIONS, 0);
    handler.setSecureCookie('foo', Buffer.from('bar'));
    expect(handler.getSignedCookieKeyVersion('foo')).toBe(0);
    expect(handler.getSecureCookie('foo')).toEqual(Buffer.from('bar'));
  });

  it('round-trips with another key version of the map (SecureCookieV2Test.test_key_version_roundtrip_differing_version)', () => {
    const handler = new CookieStubHandler(KEY_VERSIONS, 1);
    handler.setSecureCookie('foo', Buffer.from('bar'));
    expect(handler.getSignedCookieKeyVersion('foo')).toBe(1);
    expect(handler.getSecureCookie('foo')).toEqual(Buffer.from('bar'));
  });

  it('still reads cookies signed with an older key version after the version moves on (SecureCookieV2Test.test_key_version_increment_version)', () => {
    const handler = new CookieStubHandler(KEY_VERSIONS, 0);
    handler.setSecureCookie('foo', Buffer.from('bar'));
    const next = new CookieStubHandler(KEY_VERSIONS, 1);
    next.jar = handler.jar;
    expect(next.getSecureCookie('foo')).toEqual(Buffer.from('bar'));
  });

  it('refuses cookies signed with a key version that was removed (SecureCookieV2Test.test_key_version_invalidate_version)', () => {
    const handler = new CookieStubHandler(KEY_VERSIONS, 0);
    handler.setSecureCookie('foo', Buffer.from('bar'));
    const next = new CookieStubHandler({ 1: KEY_VERSIONS[1] }, 1);
    next.jar = handler.jar;
    expect(next.getSecureCookie('foo')).toBeNull();
  });
});

describe('CookieTest', () => {
  class SetCookieHandler extends RequestHandler {
    override get() {
      this.setCookie('str', 'asdf');
      this.setCookie('unicode', 'qwer');
      this.setCookie('bytes', Buffer.from('zxcv'));
    }
  }
  class GetCookieHandler extends RequestHandler {
    override get() {
      this.write(this.getCookie('foo', 'default')!);
    }
  }
  class SetCookieDomainHandler extends RequestHandler {
    override get() {
      this.setCookie('unicode_args', 'blah', { domain: 'foo.com', path: '/foo' });
    }
  }
  class SetCookieSpecialCharHandler extends RequestHandler {
    override get() {
      this.setCookie('equals', 'a=b');
      this.setCookie('semicolon', 'a;b');
      this.setCookie('quote', 'a"b');
    }
  }
  class SetCookieOverwriteHandler extends RequestHandler {
    override get() {
      this.setCookie('a', 'b', { domain: 'example.com' });
      this.setCookie('c', 'd', { domain: 'example.com' });
      // Setting a name again replaces the first cookie, attributes and all.
      this.setCookie('a', 'e');
    }
  }
  class SetCookieMaxAgeHandler extends RequestHandler {
    override get() {
      this.setCookie('foo', 'bar', { maxAge: 10 });
    }
  }
  class SetCookieExpiresDaysHandler extends RequestHandler {
    override get() {
      this.setCookie('foo', 'bar', { expiresDays: 10 });
    }
  }
  class SetCookieFalsyFlags extends RequestHandler {
    override get() {
      this.setCookie('a', '1', { secure: true });
      this.setCookie('b', '1', { secure: false });
      this.setCookie('c', '1', { httponly: true });
      this.setCookie('d', '1', { httponly: false });
    }
  }

  class CookieNamesHandler extends RequestHandler {
    override get() {
      this.write({ names: Object.keys(this.cookies) });
    }
  }
  class ClearAllCookiesHandler extends RequestHandler {
    override get() {
      this.clearAllCookies();
    }
  }

  const server = useAsyncHTTPTestCase(
    { beforeEach, afterEach },
    () =>
      new App([
        ['/names', CookieNamesHandler],
        ['/clear_all', ClearAllCookiesHandler],
        ['/set', SetCookieHandler],
        ['/get', GetCookieHandler],
        ['/set_domain', SetCookieDomainHandler],
        ['/special_char', SetCookieSpecialCharHandler],
        ['/set_overwrite', SetCookieOverwriteHandler],
        ['/set_max_age', SetCookieMaxAgeHandler],
        ['/set_expires_days', SetCookieExpiresDaysHandler],
        ['/set_falsy_flags', SetCookieFalsyFlags],
      ]),
  );

  async function setCookies(path: string): Promise<string[]> {
    return (await server.current.fetch(path)).headers.getList('Set-Cookie');
  }

  it('sets cookies from strings and bytes alike (CookieTest.test_set_cookie)', async () => {
    expect((await setCookies('/set')).sort()).toEqual([
      'bytes=zxcv; Path=/',
      'str=asdf; Path=/',
      'unicode=qwer; Path=/',
    ]);
  });

  it('reads a cookie, unquotes it, and falls back to the default (CookieTest.test_get_cookie)', async () => {
    const get = async (cookie: string) =>
      (await server.current.fetch('/get', { headers: { Cookie: cookie } })).text;
    expect(await get('foo=bar')).toBe('bar');
    expect(await get('foo="bar"')).toBe('bar');
    expect(await get('/=exception;')).toBe('default');
  });

  it('writes the domain and path attributes (CookieTest.test_set_cookie_domain)', async () => {
    expect(await setCookies('/set_domain')).toEqual([
      'unicode_args=blah; Domain=foo.com; Path=/foo',
    ]);
  });

  it('quotes special characters when setting and unquotes them when reading (CookieTest.test_cookie_special_char)', async () => {
    const headers = (await setCookies('/special_char')).sort();
    expect(headers).toEqual([
      'equals="a=b"; Path=/',
      'quote="a\\"b"; Path=/',
      'semicolon="a\\073b"; Path=/',
    ]);
    const data: [string, string][] = [
      ['foo=a=b', 'a=b'],
      ['foo="a=b"', 'a=b'],
      // Even inside quotes, ";" ends a cookie.
      ['foo="a;b"', '"a'],
      // Escapes are decoded only inside quotes.
      ['foo=a\\073b', 'a\\073b'],
      ['foo="a\\073b"', 'a;b'],
      ['foo="a\\"b"', 'a"b'],
    ];
    for (const [header, expected] of data) {
      const response = await server.current.fetch('/get', { headers: { Cookie: header } });
      expect(response.text, header).toBe(expected);
    }
  });

  it('replaces an earlier cookie of the same name without its attributes (CookieTest.test_set_cookie_overwrite)', async () => {
    expect((await setCookies('/set_overwrite')).sort()).toEqual([
      'a=e; Path=/',
      'c=d; Domain=example.com; Path=/',
    ]);
  });

  it('writes Max-Age (CookieTest.test_set_cookie_max_age)', async () => {
    expect(await setCookies('/set_max_age')).toEqual(['foo=bar; Max-Age=10; Path=/']);
  });

  it('turns expiresDays into an expires date that many days ahead (CookieTest.test_set_cookie_expires_days)', async () => {
    const [header] = await setCookies('/set_expires_days');
    const match = /^foo=bar; expires=(.+); Path=\/$/.exec(header!);
    expect(match).not.toBeNull();
    const expires = Date.parse(match![1]!);
    expect(Math.abs(expires - (Date.now() + 10 * 86400 * 1000))).toBeLessThan(10_000);
  });

  it('writes Secure and HttpOnly only when true (CookieTest.test_set_cookie_false_flags)', async () => {
    const headers = (await setCookies('/set_falsy_flags')).sort().map((h) => h.toLowerCase());
    expect(headers).toEqual([
      'a=1; path=/; secure',
      'b=1; path=/',
      'c=1; httponly; path=/',
      'd=1; path=/',
    ]);
  });

  it('leaves out request cookies whose names Python refuses, so clearAllCookies cannot fail on them', async () => {
    const headers = { Cookie: '/=e; path=x; Expires=3; a b=2; =v; ok=1; c="q"' };
    expect((await server.current.fetch('/names', { headers })).json()).toEqual({
      names: ['ok', 'c'],
    });
    const cleared = await server.current.fetch('/clear_all', { headers });
    expect(cleared.code).toBe(200);
    expect(cleared.headers.getList('Set-Cookie').map((h) => h.split(';')[0])).toEqual([
      'ok=',
      'c=',
    ]);
  });
});
