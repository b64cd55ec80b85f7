// Redirects against a node:http server: which statuses are followed, how the method and body
// change (Tornado's and the Fetch standard's rules), maxRedirects, and the callbacks.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { useTestLoop } from '@tronada/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HTTPClientError } from '../src/index.js';
import { cleanup, newClient, nodeServe, readBody } from './helpers.js';

useTestLoop({ beforeEach, afterEach }, { clock: false });
afterEach(cleanup);

/** /redirect?url=..&status=.. redirects; /countdown/N counts down; /echo describes the request. */
async function redirectServer() {
  return nodeServe((req, res) => {
    void answer(req, res);
  });
}

async function answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url!, 'http://x');
  const body = await readBody(req);
  if (url.pathname === '/redirect') {
    res.writeHead(Number(url.searchParams.get('status') ?? 302), {
      Location: url.searchParams.get('url')!,
    });
    res.end('redirecting');
  } else if (url.pathname.startsWith('/countdown/')) {
    const n = Number(url.pathname.slice('/countdown/'.length));
    if (n > 0) res.writeHead(302, { Location: `/countdown/${n - 1}` }).end();
    else res.end('Zero');
  } else {
    res.end(
      JSON.stringify({
        method: req.method,
        body: body.toString(),
        contentLength: req.headers['content-length'] ?? null,
        auth: req.headers.authorization ?? null,
        host: req.headers.host,
      }),
    );
  }
}

interface Echo {
  method: string;
  body: string;
  contentLength: string | null;
  auth: string | null;
  host: string;
}

describe('following redirects', () => {
  it('follows 301, 302, 303, 307 and 308 to the Location, resolved against the URL', async () => {
    const { url, port } = await redirectServer();
    const client = newClient();
    for (const status of [301, 302, 303, 307, 308]) {
      const response = await client.fetch(`${url}/redirect?status=${status}&url=/echo`);
      expect([status, response.code]).toEqual([status, 200]);
      expect(response.effectiveUrl).toBe(`${url}/echo`);
      expect(response.json<Echo>().host).toBe(`127.0.0.1:${port}`);
    }
  });

  it('turns POST into GET after 301, 302 and 303 and drops the body', async () => {
    const { url } = await redirectServer();
    const client = newClient();
    for (const status of [301, 302, 303]) {
      const echo = (
        await client.fetch(`${url}/redirect?status=${status}&url=/echo`, {
          method: 'POST',
          body: 'data',
        })
      ).json<Echo>();
      expect([status, echo.method, echo.body, echo.contentLength]).toEqual([
        status,
        'GET',
        '',
        null,
      ]);
    }
  });

  it('turns every method but HEAD into GET after 303', async () => {
    const { url } = await redirectServer();
    const client = newClient();
    for (const method of ['PUT', 'DELETE', 'PATCH']) {
      const hasBody = method !== 'DELETE';
      const echo = (
        await client.fetch(`${url}/redirect?status=303&url=/echo`, {
          method,
          ...(hasBody && { body: 'x' }),
        })
      ).json<Echo>();
      expect([method, echo.method]).toEqual([method, 'GET']);
    }
    const head = await client.fetch(`${url}/redirect?status=303&url=/echo`, { method: 'HEAD' });
    expect([head.code, head.effectiveUrl]).toEqual([200, `${url}/echo`]);
  });

  it('keeps the method and body after 307 and 308, and PUT after 301 and 302', async () => {
    const { url } = await redirectServer();
    const client = newClient();
    for (const status of [307, 308]) {
      const echo = (
        await client.fetch(`${url}/redirect?status=${status}&url=/echo`, {
          method: 'POST',
          body: 'data',
        })
      ).json<Echo>();
      expect([status, echo.method, echo.body]).toEqual([status, 'POST', 'data']);
    }
    for (const status of [301, 302]) {
      const echo = (
        await client.fetch(`${url}/redirect?status=${status}&url=/echo`, {
          method: 'PUT',
          body: 'data',
        })
      ).json<Echo>();
      expect([status, echo.method, echo.body]).toEqual([status, 'PUT', 'data']);
    }
  });

  it('keeps a PUT without a body after 307 with allowNonstandardMethods', async () => {
    const { url } = await redirectServer();
    const echo = (
      await newClient().fetch(`${url}/redirect?status=307&url=/echo`, {
        method: 'PUT',
        allowNonstandardMethods: true,
      })
    ).json<Echo>();
    expect([echo.method, echo.body]).toEqual(['PUT', '']);
  });

  it('stops after maxRedirects and answers the last redirect', async () => {
    const { url } = await redirectServer();
    const client = newClient();
    const followed = await client.fetch(`${url}/countdown/2`, { maxRedirects: 3 });
    expect([followed.code, followed.text]).toEqual([200, 'Zero']);
    const stopped = await client.fetch(`${url}/countdown/5`, {
      maxRedirects: 3,
      raiseError: false,
    });
    expect(stopped.code).toBe(302);
    expect(stopped.effectiveUrl).toBe(`${url}/countdown/2`);
    const error = await client.fetch(`${url}/countdown/5`, { maxRedirects: 3 }).then(
      () => undefined,
      (e: unknown) => e as HTTPClientError,
    );
    expect(error).toBeInstanceOf(HTTPClientError);
    expect(error?.status).toBe(302);
  });

  it('does not follow with followRedirects false', async () => {
    const { url } = await redirectServer();
    const response = await newClient().fetch(`${url}/countdown/1`, {
      followRedirects: false,
      raiseError: false,
    });
    expect([response.code, response.headers.get('Location')]).toEqual([302, '/countdown/0']);
  });

  it('calls headerCallback and streamingCallback only for the final response', async () => {
    const { url } = await redirectServer();
    const lines: string[] = [];
    const chunks: string[] = [];
    await newClient().fetch(`${url}/redirect?status=302&url=/countdown/0`, {
      headerCallback: (line) => lines.push(line),
      streamingCallback: (chunk) => {
        chunks.push(chunk.toString());
      },
    });
    expect(lines[0]).toBe('HTTP/1.1 200 OK\r\n');
    expect(lines.filter((l) => l.startsWith('HTTP/'))).toHaveLength(1);
    expect(chunks.join('')).toBe('Zero');
  });

  it('keeps credentials on the same origin and drops them on another', async () => {
    const a = await redirectServer();
    const b = await redirectServer();
    const client = newClient();
    const same = (
      await client.fetch(`${a.url}/redirect?url=/echo`, { authUsername: 'u', authPassword: 'p' })
    ).json<Echo>();
    expect(same.auth).toBe(`Basic ${Buffer.from('u:p').toString('base64')}`);
    const other = (
      await client.fetch(`${a.url}/redirect?url=${encodeURIComponent(`${b.url}/echo`)}`, {
        authUsername: 'u',
        authPassword: 'p',
      })
    ).json<Echo>();
    expect(other.auth).toBeNull();
  });
});
