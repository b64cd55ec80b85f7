import { genLog } from '@tronada/ioloop';
import { expectLog, useTestLoop } from '@tronada/testing';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Application, RequestHandler } from '../src/index.js';
import { encodeXsrfToken } from '../src/security/xsrf-token.js';
import { useAsyncHTTPTestCase } from '../src/testing/index.js';

useTestLoop({ beforeEach, afterEach }, { clock: false });
const hooks = { beforeEach, afterEach };

class TokenHandler extends RequestHandler {
  override get(): void {
    // Changing a setting per request is no way to run an application, but it suits this test.
    this.settings.xsrfCookieVersion = Number(this.getArgument('version', '2')) as 1 | 2;
    this.write(this.xsrfToken);
  }
  override post(): void {
    this.write('ok');
  }
}

const FORM = { 'Content-Type': 'application/x-www-form-urlencoded' };

describe('XSRFTest', () => {
  const server = useAsyncHTTPTestCase(
    hooks,
    () => new Application([['/', TokenHandler]], { xsrfCookies: true }),
  );
  let xsrfToken = '';

  async function getToken(oldToken?: string, version?: number): Promise<string> {
    const response = await server.current.fetch(
      version === undefined ? '/' : `/?version=${version}`,
      {
        headers: oldToken === undefined ? {} : cookieHeaders(oldToken),
      },
    );
    expect(response.code).toBe(200);
    return response.text;
  }
  function cookieHeaders(token = xsrfToken): Record<string, string> {
    return { Cookie: `_xsrf=${token}` };
  }
  function post(options: {
    body?: Record<string, string>;
    query?: Record<string, string>;
    headers?: Record<string, string>;
  }) {
    const query = options.query === undefined ? '' : `?${new URLSearchParams(options.query)}`;
    return server.current.fetch(`/${query}`, {
      method: 'POST',
      body: options.body === undefined ? '' : new URLSearchParams(options.body).toString(),
      headers: { ...FORM, ...options.headers },
    });
  }
  beforeEach(async () => {
    xsrfToken = await getToken();
  });

  it('refuses a POST without a token (XSRFTest.test_xsrf_fail_no_token)', async () => {
    const response = await expectLog(genLog, /'_xsrf' argument missing/, () => post({}));
    expect(response.code).toBe(403);
  });

  it('refuses a token in the body without a cookie (XSRFTest.test_xsrf_fail_body_no_cookie)', async () => {
    const response = await expectLog(genLog, /XSRF cookie does not match POST/, () =>
      post({ body: { _xsrf: xsrfToken } }),
    );
    expect(response.code).toBe(403);
  });

  it('refuses a malformed token argument (XSRFTest.test_xsrf_fail_argument_invalid_format)', async () => {
    const response = await expectLog(genLog, /'_xsrf' argument has invalid format/, () =>
      post({ body: { _xsrf: '3|' }, headers: cookieHeaders() }),
    );
    expect(response.code).toBe(403);
  });

  it('refuses a malformed cookie (XSRFTest.test_xsrf_fail_cookie_invalid_format)', async () => {
    const response = await expectLog(genLog, /XSRF cookie does not match POST/, () =>
      post({ body: { _xsrf: xsrfToken }, headers: cookieHeaders('3|') }),
    );
    expect(response.code).toBe(403);
  });

  it('refuses a cookie without a token in the request (XSRFTest.test_xsrf_fail_cookie_no_body)', async () => {
    const response = await expectLog(genLog, /'_xsrf' argument missing/, () =>
      post({ headers: cookieHeaders() }),
    );
    expect(response.code).toBe(403);
  });

  it('accepts a short hex token matching the cookie (XSRFTest.test_xsrf_success_short_token)', async () => {
    const response = await post({
      body: { _xsrf: 'deadbeef' },
      headers: cookieHeaders('deadbeef'),
    });
    expect(response.code).toBe(200);
  });

  it('accepts a non-hex token matching the cookie (XSRFTest.test_xsrf_success_non_hex_token)', async () => {
    const response = await post({ body: { _xsrf: 'xoxo' }, headers: cookieHeaders('xoxo') });
    expect(response.code).toBe(200);
  });

  it('accepts the token in the body (XSRFTest.test_xsrf_success_post_body)', async () => {
    const response = await post({ body: { _xsrf: xsrfToken }, headers: cookieHeaders() });
    expect(response.code).toBe(200);
    expect(response.text).toBe('ok');
  });

  it('accepts the token in the query string (XSRFTest.test_xsrf_success_query_string)', async () => {
    const response = await post({ query: { _xsrf: xsrfToken }, headers: cookieHeaders() });
    expect(response.code).toBe(200);
  });

  it('accepts the token in the X-Xsrftoken or X-Csrftoken header (XSRFTest.test_xsrf_success_header)', async () => {
    let response = await post({ headers: { 'X-Xsrftoken': xsrfToken, ...cookieHeaders() } });
    expect(response.code).toBe(200);
    response = await post({ headers: { 'X-Csrftoken': xsrfToken, ...cookieHeaders() } });
    expect(response.code).toBe(200);
  });

  it('gives every request a distinct token (XSRFTest.test_distinct_tokens)', async () => {
    const tokens = new Set<string>();
    for (let i = 0; i < 10; i++) tokens.add(await getToken());
    expect(tokens.size).toBe(10);
  });

  it("accepts each user's token only with that user's cookie (XSRFTest.test_cross_user)", async () => {
    const token2 = await getToken();
    for (const token of [xsrfToken, token2]) {
      expect((await post({ body: { _xsrf: token }, headers: cookieHeaders(token) })).code).toBe(
        200,
      );
    }
    for (const [cookieToken, bodyToken] of [
      [xsrfToken, token2],
      [token2, xsrfToken],
    ] as const) {
      const response = await expectLog(genLog, /XSRF cookie does not match POST/, () =>
        post({ body: { _xsrf: bodyToken }, headers: cookieHeaders(cookieToken) }),
      );
      expect(response.code).toBe(403);
    }
  });

  it('keeps old page tokens valid while re-encoding the token each time (XSRFTest.test_refresh_token)', async () => {
    let token = xsrfToken;
    const seen = new Set([token]);
    for (let i = 0; i < 5; i++) {
      token = await getToken(token);
      seen.add(token);
      const response = await post({ body: { _xsrf: xsrfToken }, headers: cookieHeaders(token) });
      expect(response.code).toBe(200);
    }
    expect(seen.size).toBe(6);
  });

  it('keeps v1 tokens stable, upgrades them to v2, and accepts either against the other (XSRFTest.test_versioning)', async () => {
    expect(await getToken(undefined, 1)).not.toBe(await getToken(undefined, 1));
    const v1Token = await getToken(undefined, 1);
    expect(v1Token).toMatch(/^[0-9a-f]{32}$/);
    for (let i = 0; i < 5; i++) expect(await getToken(v1Token, 1)).toBe(v1Token);
    const v2Token = await getToken(v1Token);
    expect(v2Token).not.toBe(v1Token);
    expect(v2Token).not.toBe(await getToken(v1Token));
    for (const [cookieToken, bodyToken] of [
      [v1Token, v2Token],
      [v2Token, v1Token],
    ] as const) {
      expect(
        (await post({ body: { _xsrf: bodyToken }, headers: cookieHeaders(cookieToken) })).code,
      ).toBe(200);
    }
  });

  it('sets the _xsrf cookie only when the request had none', async () => {
    const fresh = await server.current.fetch('/');
    expect(fresh.headers.getList('Set-Cookie').filter((c) => c.startsWith('_xsrf='))).toHaveLength(
      1,
    );
    const again = await server.current.fetch('/', { headers: cookieHeaders() });
    expect(again.headers.has('Set-Cookie')).toBe(false);
  });

  it('accepts a token only with its own cookie, for any two tokens (fast-check)', async () => {
    const token = fc.uint8Array({ minLength: 16, maxLength: 16 });
    await fc.assert(
      fc.asyncProperty(
        token,
        token,
        fc.constantFrom(1 as const, 2 as const),
        async (a, b, version) => {
          fc.pre(!Buffer.from(a).equals(Buffer.from(b)));
          const now = Date.now() / 1000;
          const cookieA = encodeXsrfToken(Buffer.from(a), now, version);
          const cookieB = encodeXsrfToken(Buffer.from(b), now, version);
          // The form carries a fresh encoding of A's token, as a page rendered for A would.
          const formToken = encodeXsrfToken(Buffer.from(a), now, 2);
          const refused = await expectLog(genLog, /XSRF cookie does not match POST/, () =>
            post({ body: { _xsrf: formToken }, headers: cookieHeaders(cookieB) }),
          );
          expect(refused.code).toBe(403);
          const accepted = await post({
            body: { _xsrf: formToken },
            headers: cookieHeaders(cookieA),
          });
          expect(accepted.code).toBe(200);
        },
      ),
      { numRuns: 25 },
    );
  });
});

describe('XSRFCookieKwargsTest', () => {
  class Handler extends RequestHandler {
    override get(): void {
      this.write(this.xsrfToken);
    }
  }
  const server = useAsyncHTTPTestCase(
    hooks,
    () =>
      new Application([['/', Handler]], {
        xsrfCookies: true,
        xsrfCookieKwargs: { httponly: true, expiresDays: 2 },
      }),
  );

  it('sets the _xsrf cookie with xsrfCookieKwargs (XSRFCookieKwargsTest.test_xsrf_httponly)', async () => {
    const response = await server.current.fetch('/');
    const header = response.headers.get('Set-Cookie')!;
    expect(header.toLowerCase()).toContain('httponly');
    const expires = /; expires=([^;]+)/i.exec(header)?.[1];
    expect(expires).toBeDefined();
    const inTwoDays = Date.now() + 2 * 86400 * 1000;
    expect(Math.abs(Date.parse(expires!) - inTwoDays)).toBeLessThan(10_000);
  });
});

describe('the _xsrf cookie of a logged-in user (beyond Tornado tests)', () => {
  class UserHandler extends RequestHandler {
    override getCurrentUser(): unknown {
      return this.getArgument('user', null);
    }
    override get(): void {
      this.write(this.xsrfToken);
    }
  }
  const server = useAsyncHTTPTestCase(
    hooks,
    () => new Application([['/', UserHandler]], { xsrfCookies: true }),
  );

  it('lasts 30 days for a logged-in user and the session otherwise', async () => {
    const withUser = (await server.current.fetch('/?user=ada')).headers.get('Set-Cookie')!;
    const expires = /; expires=([^;]+)/i.exec(withUser)?.[1];
    expect(Math.abs(Date.parse(expires!) - (Date.now() + 30 * 86400 * 1000))).toBeLessThan(10_000);
    const anonymous = (await server.current.fetch('/')).headers.get('Set-Cookie')!;
    expect(anonymous).toMatch(/^_xsrf=2\|/);
    expect(anonymous.toLowerCase()).not.toContain('expires=');
  });
});
