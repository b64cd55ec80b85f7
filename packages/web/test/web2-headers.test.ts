import { useTestLoop } from '@tronada/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Application, HTTPError, RequestHandler } from '../src/index.js';
import { useAsyncHTTPTestCase } from '../src/testing/index.js';

useTestLoop({ beforeEach, afterEach }, { clock: false });
const hooks = { beforeEach, afterEach };

function serve(handler: typeof RequestHandler) {
  return useAsyncHTTPTestCase(hooks, () => new Application([['/', handler]]));
}

describe('ClearHeaderTest', () => {
  class Handler extends RequestHandler {
    override get(): void {
      this.setHeader('h1', 'foo');
      this.setHeader('h2', 'bar');
      this.clearHeader('h1');
      this.clearHeader('nonexistent');
    }
  }
  const server = serve(Handler);

  it('removes a header set before, and ignores one never set (ClearHeaderTest.test_clear_header)', async () => {
    const response = await server.current.fetch('/');
    expect(response.headers.has('h1')).toBe(false);
    expect(response.headers.get('h2')).toBe('bar');
  });
});

describe('Header204Test', () => {
  class Handler extends RequestHandler {
    override get(): void {
      this.setStatus(204);
      void this.finish();
    }
  }
  const server = serve(Handler);

  it('sends neither Content-Length nor Transfer-Encoding with a 204 (Header204Test.test_204_headers)', async () => {
    const response = await server.current.fetch('/');
    expect(response.code).toBe(204);
    expect(response.headers.has('Content-Length')).toBe(false);
    expect(response.headers.has('Transfer-Encoding')).toBe(false);
  });
});

describe('Header304Test', () => {
  class Handler extends RequestHandler {
    override get(): void {
      this.setHeader('Content-Language', 'en_US');
      this.write('hello');
    }
  }
  const server = serve(Handler);

  it('drops representation and framing headers from a 304 (Header304Test.test_304_headers)', async () => {
    const first = await server.current.fetch('/');
    expect(first.headers.get('Content-Length')).toBe('5');
    expect(first.headers.get('Content-Language')).toBe('en_US');
    const second = await server.current.fetch('/', {
      headers: { 'If-None-Match': first.headers.get('Etag')! },
    });
    expect(second.code).toBe(304);
    expect(second.headers.has('Content-Length')).toBe(false);
    expect(second.headers.has('Content-Language')).toBe(false);
    expect(second.headers.has('Transfer-Encoding')).toBe(false);
    expect(second.body.length).toBe(0);
  });
});

describe('StatusReasonTest', () => {
  class Handler extends RequestHandler {
    override get(): void {
      const reason = this.request.queryArguments.reason?.[0];
      throw new HTTPError(Number(this.getArgument('code')), null, {
        reason: reason === undefined ? undefined : reason.toString('utf8'),
      });
    }
  }
  const server = serve(Handler);

  it('sends the standard phrase, a given reason, or Unknown for unknown codes (StatusReasonTest.test_status)', async () => {
    let response = await server.current.fetch('/?code=304');
    expect([response.code, response.reason]).toEqual([304, 'Not Modified']);
    response = await server.current.fetch('/?code=304&reason=Foo');
    expect([response.code, response.reason]).toEqual([304, 'Foo']);
    response = await server.current.fetch('/?code=682&reason=Bar');
    expect([response.code, response.reason]).toEqual([682, 'Bar']);
    response = await server.current.fetch('/?code=682');
    expect([response.code, response.reason]).toEqual([682, 'Unknown']);
  });

  it('replaces a reason carrying CR LF with Unknown, so no header is injected (StatusReasonTest.test_header_injection)', async () => {
    const response = await server.current.fetch('/?code=200&reason=OK%0D%0AX-Injection:injected');
    expect(response.code).toBe(200);
    expect(response.reason).toBe('Unknown');
    expect(response.headers.has('X-Injection')).toBe(false);
  });

  it('replaces a reason carrying markup with Unknown in the line and the page (StatusReasonTest.test_reason_xss)', async () => {
    const response = await server.current.fetch(
      '/?code=400&reason=%3Cscript%3Ealert(1)%3C/script%3E',
    );
    expect(response.code).toBe(400);
    expect(response.reason).toBe('Unknown');
    expect(response.text).not.toContain('script');
    expect(response.text).toContain('Unknown');
  });
});

describe('DateHeaderTest', () => {
  class Handler extends RequestHandler {
    override get(): void {
      this.write('hello');
    }
  }
  const server = serve(Handler);

  it('sends a Date header with the current time (DateHeaderTest.test_date_header)', async () => {
    const response = await server.current.fetch('/');
    const date = response.headers.get('Date')!;
    expect(date).toMatch(/^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/);
    expect(Math.abs(Date.parse(date) - Date.now())).toBeLessThan(2000);
  });
});

describe('ClearAllCookiesTest', () => {
  class Handler extends RequestHandler {
    override get(): void {
      this.clearAllCookies();
      this.write('ok');
    }
  }
  const server = serve(Handler);

  it('expires every cookie the request carried (ClearAllCookiesTest.test_clear_all_cookies)', async () => {
    const response = await server.current.fetch('/', { headers: { Cookie: 'foo=bar; baz=xyzzy' } });
    const cookies = response.headers.getList('Set-Cookie').sort();
    expect(cookies).toHaveLength(2);
    expect(cookies[0]).toMatch(/^baz=;/);
    expect(cookies[1]).toMatch(/^foo=;/);
    for (const cookie of cookies) {
      const expires = /expires=([^;]+)/i.exec(cookie)?.[1];
      expect(Date.parse(expires!)).toBeLessThan(Date.now());
    }
  });
});

describe('RequestSummaryTest', () => {
  class Handler extends RequestHandler {
    override get(): void {
      // remoteIp is optional on a request; logging must cope without it.
      this.request.remoteIp = undefined;
      void this.finish(this.requestSummary());
    }
  }
  const server = serve(Handler);

  it('summarises a request without a remote address (RequestSummaryTest.test_missing_remote_ip)', async () => {
    const response = await server.current.fetch('/');
    expect(response.code).toBe(200);
    expect(response.text).toBe('GET / (undefined)');
  });
});
