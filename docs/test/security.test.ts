import { genLog } from '@tronada/ioloop';
import { expectLog, useTestLoop } from '@tronada/testing';
import { useAsyncHTTPTestCase } from '@tronada/web/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as auth from '../guide/examples/security/authenticated.js';
import * as cookies from '../guide/examples/security/cookies.js';
import { makeToken, readToken } from '../guide/examples/security/signed-value.js';
import * as xsrf from '../guide/examples/security/xsrf.js';

const hooks = { beforeEach, afterEach };
const SECRET = 'a long random string from your configuration';
useTestLoop(hooks, { clock: false });

/** The name=value pairs of a response's Set-Cookie headers, as a Cookie header. */
function cookieHeader(setCookies: readonly string[]): string {
  return setCookies.map((line) => line.split(';')[0]).join('; ');
}

describe('security/cookies.ts', () => {
  const server = useAsyncHTTPTestCase(hooks, () => cookies.makeApp(SECRET));

  it('counts visits in a plain cookie the client can change', async () => {
    const first = await server.current.fetch('/visits');
    expect(first.text).toBe('visit number 1');
    expect(first.headers.getList('Set-Cookie')[0]).toMatch(
      /^visits=1; HttpOnly; Path=\/; SameSite=Lax$/,
    );
    const forged = await server.current.fetch('/visits', { headers: { Cookie: 'visits=41' } });
    expect(forged.text).toBe('visit number 42');
  });

  it('counts visits in a signed cookie and ignores a forged one', async () => {
    const first = await server.current.fetch('/signed-visits');
    const second = await server.current.fetch('/signed-visits', {
      headers: { Cookie: cookieHeader(first.headers.getList('Set-Cookie')) },
    });
    expect(second.text).toBe('signed visit number 2');
    const forged = await expectLog(
      genLog,
      /Invalid cookie signature/,
      () =>
        server.current.fetch('/signed-visits', {
          headers: { Cookie: 'signed_visits="2|1:0|10:1700000000|13:signed_visits|4:NDE=|00"' },
        }),
      { required: false },
    );
    expect(forged.text).toBe('signed visit number 1');
  });
});

describe('security/authenticated.ts', () => {
  const server = useAsyncHTTPTestCase(hooks, () => auth.makeApp(SECRET));

  it('sends anonymous users to the login page and greets them after it', async () => {
    const anonymous = await server.current.fetch('/', { followRedirects: false });
    expect([anonymous.code, anonymous.headers.get('Location')]).toEqual([302, '/login?next=%2F']);
    const login = await server.current.fetch('/login?next=%2F', {
      method: 'POST',
      body: 'name=Ada',
      followRedirects: false,
    });
    expect(login.headers.get('Location')).toBe('/');
    const home = await server.current.fetch('/', {
      headers: { Cookie: cookieHeader(login.headers.getList('Set-Cookie')) },
    });
    expect(home.text).toBe('Hello, Ada');
  });
});

describe('security/xsrf.ts', () => {
  const server = useAsyncHTTPTestCase(hooks, () => xsrf.makeApp(SECRET));

  it('accepts a POST that carries the form token and refuses one without it', async () => {
    xsrf.messages.length = 0;
    const form = await server.current.fetch('/message');
    const token = /name="_xsrf" value="([^"]+)"/.exec(form.text)![1]!;
    const cookie = cookieHeader(form.headers.getList('Set-Cookie'));
    const posted = await server.current.fetch('/message', {
      method: 'POST',
      headers: { Cookie: cookie },
      body: `_xsrf=${encodeURIComponent(token)}&message=hi`,
    });
    expect(posted.text).toBe('posted');
    const refused = await expectLog(genLog, /'_xsrf' argument missing/, () =>
      server.current.fetch('/message', {
        method: 'POST',
        headers: { Cookie: cookie },
        body: 'message=x',
      }),
    );
    expect(refused.code).toBe(403);
    expect(xsrf.messages).toEqual(['hi']);
  });
});

describe('security/signed-value.ts', () => {
  it('reads back its own tokens and refuses tampered ones', () => {
    const token = makeToken(SECRET, 'user-7');
    expect(readToken(SECRET, token)).toBe('user-7');
    expect(readToken('another secret', token)).toBeNull();
  });
});
