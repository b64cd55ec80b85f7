/**
 * The `authenticated` wrapper's redirect to the login URL (Tornado's AuthRedirectTest).
 */
import { useTestLoop } from '@tronada/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Application, authenticated, RequestHandler } from '../src/index.js';
import { useAsyncHTTPTestCase } from '../src/testing/index.js';

useTestLoop({ beforeEach, afterEach }, { clock: false });

class AuthRedirectRequestHandler extends RequestHandler {
  loginUrl = '';

  override initialize(kwargs: { loginUrl: string }): void {
    this.loginUrl = kwargs.loginUrl;
  }

  override getLoginUrl(): string {
    return this.loginUrl;
  }

  // Never reached: the test does not follow the redirect.
  override get: () => unknown = authenticated(function (this: AuthRedirectRequestHandler) {
    this.sendError(500);
  });

  override post: () => unknown = authenticated(function (this: AuthRedirectRequestHandler) {
    this.sendError(500);
  });
}

describe('AuthRedirectTest', () => {
  const server = useAsyncHTTPTestCase(
    { beforeEach, afterEach },
    () =>
      new Application([
        ['/relative', AuthRedirectRequestHandler, { loginUrl: '/login' }],
        ['/absolute', AuthRedirectRequestHandler, { loginUrl: 'http://example.com/login' }],
      ]),
  );

  it('redirects to a relative login URL with the path as next (AuthRedirectTest.test_relative_auth_redirect)', async () => {
    const response = await server.current.fetch('/relative', { followRedirects: false });
    expect(response.code).toBe(302);
    expect(response.headers.get('Location')).toBe('/login?next=%2Frelative');
  });

  it('redirects to an absolute login URL with the full URL as next (AuthRedirectTest.test_absolute_auth_redirect)', async () => {
    const response = await server.current.fetch('/absolute', { followRedirects: false });
    expect(response.code).toBe(302);
    expect(response.headers.get('Location')).toMatch(
      /^http:\/\/example\.com\/login\?next=http%3A%2F%2F127\.0\.0\.1%3A[0-9]+%2Fabsolute$/,
    );
  });

  it('answers 403 instead of redirecting a POST from an anonymous user', async () => {
    const response = await server.current.fetch('/relative', {
      method: 'POST',
      body: '',
      followRedirects: false,
    });
    expect(response.code).toBe(403);
    expect(response.headers.get('Location')).toBeUndefined();
  });
});
