/**
 * Assorted RequestHandler behaviour over HTTP: value types, argument decoding, reverse URLs,
 * optional groups, headers, redirects and argument sources (Tornado's WSGISafeWebTest).
 */
import { genLog } from '@tronada/ioloop';
import { DictLoader } from '@tronada/template';
import { expectLog, useTestLoop } from '@tronada/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Application, RedirectHandler, RequestHandler, url } from '../src/index.js';
import { createSignedValue } from '../src/security/signed-value.js';
import { useAsyncHTTPTestCase } from '../src/testing/index.js';

useTestLoop({ beforeEach, afterEach }, { clock: false });

const COOKIE_SECRET = 'WebTest.COOKIE_SECRET';

/** Records, for each value a handler hands out, whether it has the type our API promises. */
class TypeCheckHandler extends RequestHandler {
  errors: Record<string, string> = {};

  override prepare() {
    this.errors = {};
    this.checkType('status', this.getStatus(), 'number');
    this.checkType('argument', this.getArgument('foo'), 'string');
    const cookieNames = Object.keys(this.cookies);
    this.checkType('cookie_key', cookieNames[0], 'string');
    this.checkType('cookie_value', Object.values(this.cookies)[0], 'string');
    if (cookieNames.join() !== 'asdf')
      throw new Error(`unexpected cookie names ${cookieNames.join()}`);
    // Signed cookies are bytes (they may hold anything); plain cookies are text.
    this.checkType('get_secure_cookie', this.getSecureCookie('asdf'), 'bytes');
    this.checkType('get_cookie', this.getCookie('asdf'), 'string');
    this.checkType('xsrf_token', this.xsrfToken, 'string');
    this.checkType('xsrf_form_html', this.xsrfFormHtml(), 'string');
    this.checkType('reverse_url', this.reverseUrl('typecheck', 'foo'), 'string');
    this.checkType('request_summary', this.requestSummary(), 'string');
  }

  override get(pathComponent?: string) {
    this.checkType('path_component', pathComponent, 'string');
    this.write(this.errors);
  }

  override post(pathComponent?: string) {
    this.checkType('path_component', pathComponent, 'string');
    this.write(this.errors);
  }

  checkType(name: string, value: unknown, expected: 'string' | 'number' | 'bytes'): void {
    const actual = Buffer.isBuffer(value) ? 'bytes' : typeof value;
    if (actual !== expected) this.errors[name] = `expected ${expected}, got ${actual}`;
  }
}

/**
 * Decodes arguments with the charset named by the `encoding` query argument, or hands the raw
 * bytes through when there is none.
 */
class DecodeArgHandler extends RequestHandler {
  override decodeArgument(value: Uint8Array, _name?: string): string {
    if (!(value instanceof Uint8Array))
      throw new Error(`unexpected type for value: ${typeof value}`);
    // Read request.arguments directly: getArgument would come back here.
    const encoding = this.request.arguments.encoding?.[0];
    if (encoding === undefined) return value as unknown as string;
    return new TextDecoder(encoding.toString('latin1')).decode(value);
  }

  override get(arg?: string) {
    const describe = (s: unknown) => {
      if (s instanceof Uint8Array) return ['bytes', Buffer.from(s).toString('hex')];
      if (typeof s === 'string') return ['unicode', s];
      throw new Error('unknown type');
    };
    this.write({ path: describe(arg), query: describe(this.getArgument('foo')) });
  }
}

class OptionalPathHandler extends RequestHandler {
  override get(path?: string) {
    // An unmatched optional group is undefined, which JSON would drop.
    this.write({ path: path ?? null });
  }
}

class MultiHeaderHandler extends RequestHandler {
  override get() {
    this.setHeader('x-overwrite', '1');
    this.setHeader('X-Overwrite', 2);
    this.addHeader('x-multi', 3);
    this.addHeader('X-Multi', '4');
  }
}

class RedirectTestHandler extends RequestHandler {
  override get() {
    const permanent = this.getArgument('permanent', null);
    const status = this.getArgument('status', null);
    if (permanent !== null) this.redirect('/', { permanent: Boolean(Number(permanent)) });
    else if (status !== null) this.redirect('/', { status: Number(status) });
    else throw new Error("didn't get permanent or status arguments");
  }
}

class HeaderInjectionHandler extends RequestHandler {
  override get() {
    try {
      this.setHeader('X-Foo', 'foo\r\nX-Bar: baz');
    } catch (error) {
      if (String(error).includes('Unsafe header value')) {
        void this.finish(Buffer.from('ok'));
        return;
      }
      throw error;
    }
    throw new Error("Didn't get expected exception");
  }
}

class GetArgumentHandler extends RequestHandler {
  override prepare() {
    const source = this.getArgument('source', null);
    let value: string;
    if (source === 'query') value = this.getQueryArgument('foo', 'default');
    else if (source === 'body') value = this.getBodyArgument('foo', 'default');
    else value = this.getArgument('foo', 'default');
    void this.finish(value);
  }
}

class GetArgumentsHandler extends RequestHandler {
  override prepare() {
    void this.finish({
      default: this.getArguments('foo'),
      query: this.getQueryArguments('foo'),
      body: this.getBodyArguments('foo'),
    });
  }
}

function form(fields: Record<string, string>): string {
  return new URLSearchParams(fields).toString();
}

describe('WSGISafeWebTest', () => {
  const server = useAsyncHTTPTestCase({ beforeEach, afterEach }, () => {
    const loader = new DictLoader({}, { autoescape: 'xhtml_escape' });
    return new Application(
      [
        url('/typecheck/(.*)', TypeCheckHandler, {}, 'typecheck'),
        url('/decode_arg/(.*)', DecodeArgHandler, {}, 'decode_arg'),
        url('/decode_arg_kw/(?<arg>.*)', DecodeArgHandler),
        url('/optional_path/(.+)?', OptionalPathHandler),
        url('/multi_header', MultiHeaderHandler),
        url('/redirect', RedirectTestHandler),
        url('/web_redirect_permanent', RedirectHandler, { url: '/web_redirect_newpath' }),
        url('/web_redirect', RedirectHandler, { url: '/web_redirect_newpath', permanent: false }),
        url('//web_redirect_double_slash', RedirectHandler, { url: '/web_redirect_newpath' }),
        url('/header_injection', HeaderInjectionHandler),
        url('/get_argument', GetArgumentHandler),
        url('/get_arguments', GetArgumentsHandler),
      ],
      { templateLoader: loader, autoescape: 'xhtml_escape', cookieSecret: COOKIE_SECRET },
    );
  });

  async function fetchJson(path: string, options: Parameters<typeof server.current.fetch>[1] = {}) {
    const response = await server.current.fetch(path, options);
    expect(response.code, response.text).toBe(200);
    return response.json();
  }

  it('hands out strings, numbers and bytes where the API says so (WSGISafeWebTest.test_types)', async () => {
    const cookie = `asdf=${createSignedValue(COOKIE_SECRET, 'asdf', 'qwer')}`;
    expect(await fetchJson('/typecheck/asdf?foo=bar', { headers: { Cookie: cookie } })).toEqual({});
    expect(
      await fetchJson('/typecheck/asdf?foo=bar', {
        method: 'POST',
        headers: { Cookie: cookie },
        body: 'foo=bar',
      }),
    ).toEqual({});
  });

  it('decodes path groups and query arguments through an overridden decodeArgument (WSGISafeWebTest.test_decode_argument)', async () => {
    // These URLs all decode to the same thing.
    for (const path of [
      '/decode_arg/%C3%A9?foo=%C3%A9&encoding=utf-8',
      '/decode_arg/%E9?foo=%E9&encoding=latin1',
      '/decode_arg_kw/%E9?foo=%E9&encoding=latin1',
    ]) {
      expect(await fetchJson(path), path).toEqual({
        path: ['unicode', 'é'],
        query: ['unicode', 'é'],
      });
    }
    // Without an encoding the override returns the bytes, which reach the handler as they are.
    expect(await fetchJson('/decode_arg/%C3%A9?foo=%C3%A9')).toEqual({
      path: ['bytes', 'c3a9'],
      query: ['bytes', 'c3a9'],
    });
  });

  it('answers 400, not 500, for invalid UTF-8 in the path or the query (WSGISafeWebTest.test_decode_argument_invalid_unicode)', async () => {
    await expectLog(genLog, /Invalid unicode/, async () => {
      expect((await server.current.fetch('/typecheck/invalid%FF')).code).toBe(400);
      expect((await server.current.fetch('/typecheck/invalid?foo=%FF')).code).toBe(400);
    });
  });

  it('treats + as a plus in the path and as a space in the query (WSGISafeWebTest.test_decode_argument_plus)', async () => {
    for (const path of [
      '/decode_arg/1%20%2B%201?foo=1%20%2B%201&encoding=utf-8',
      '/decode_arg/1%20+%201?foo=1+%2B+1&encoding=utf-8',
    ]) {
      expect(await fetchJson(path), path).toEqual({
        path: ['unicode', '1 + 1'],
        query: ['unicode', '1 + 1'],
      });
    }
  });

  it('reverses named URLs, escaping text, numbers and bytes (WSGISafeWebTest.test_reverse_url)', () => {
    const app = server.current.app;
    expect(app.reverseUrl('decode_arg', 'foo')).toBe('/decode_arg/foo');
    expect(app.reverseUrl('decode_arg', 42)).toBe('/decode_arg/42');
    expect(app.reverseUrl('decode_arg', Buffer.from([0xe9]))).toBe('/decode_arg/%E9');
    expect(app.reverseUrl('decode_arg', 'é')).toBe('/decode_arg/%C3%A9');
    expect(app.reverseUrl('decode_arg', '1 + 1')).toBe('/decode_arg/1%20%2B%201');
  });

  it('passes an unmatched optional group as undefined (WSGISafeWebTest.test_optional_path)', async () => {
    expect(await fetchJson('/optional_path/foo')).toEqual({ path: 'foo' });
    expect(await fetchJson('/optional_path/')).toEqual({ path: null });
  });

  it('overwrites with setHeader and repeats with addHeader, whatever the case (WSGISafeWebTest.test_multi_header)', async () => {
    const response = await server.current.fetch('/multi_header');
    expect(response.headers.get('x-overwrite')).toBe('2');
    expect(response.headers.getList('x-multi')).toEqual(['3', '4']);
  });

  it('redirects with 301, 302 or an explicit status (WSGISafeWebTest.test_redirect)', async () => {
    const codeOf = async (path: string) =>
      (await server.current.fetch(path, { followRedirects: false })).code;
    expect(await codeOf('/redirect?permanent=1')).toBe(301);
    expect(await codeOf('/redirect?permanent=0')).toBe(302);
    expect(await codeOf('/redirect?status=307')).toBe(307);
  });

  it('redirects with RedirectHandler, permanently unless told otherwise (WSGISafeWebTest.test_web_redirect)', async () => {
    const permanent = await server.current.fetch('/web_redirect_permanent', {
      followRedirects: false,
    });
    expect(permanent.code).toBe(301);
    expect(permanent.headers.get('Location')).toBe('/web_redirect_newpath');
    const temporary = await server.current.fetch('/web_redirect', { followRedirects: false });
    expect(temporary.code).toBe(302);
    expect(temporary.headers.get('Location')).toBe('/web_redirect_newpath');
  });

  it('routes a path that starts with two slashes (WSGISafeWebTest.test_web_redirect_double_slash)', async () => {
    const response = await server.current.fetch('//web_redirect_double_slash', {
      followRedirects: false,
    });
    expect(response.code).toBe(301);
    expect(response.headers.get('Location')).toBe('/web_redirect_newpath');
  });

  it('refuses header values that would inject another header (WSGISafeWebTest.test_header_injection)', async () => {
    const response = await server.current.fetch('/header_injection');
    expect(response.code).toBe(200);
    expect(response.text).toBe('ok');
    expect(response.headers.get('X-Bar')).toBeUndefined();
  });

  it('prefers body arguments in getArgument and merges them in getArguments (WSGISafeWebTest.test_get_argument)', async () => {
    expect((await server.current.fetch('/get_argument?foo=bar')).text).toBe('bar');
    expect((await server.current.fetch('/get_argument?foo=')).text).toBe('');
    expect((await server.current.fetch('/get_argument')).text).toBe('default');
    const body = form({ foo: 'hello' });
    const posted = await server.current.fetch('/get_argument?foo=bar', { method: 'POST', body });
    expect(posted.text).toBe('hello');
    expect(await fetchJson('/get_arguments?foo=bar', { method: 'POST', body })).toEqual({
      default: ['bar', 'hello'],
      query: ['bar'],
      body: ['hello'],
    });
  });

  it('reads only the query with getQueryArgument (WSGISafeWebTest.test_get_query_arguments)', async () => {
    const body = form({ foo: 'hello' });
    const post = async (path: string) =>
      (await server.current.fetch(path, { method: 'POST', body })).text;
    expect(await post('/get_argument?source=query&foo=bar')).toBe('bar');
    expect(await post('/get_argument?source=query&foo=')).toBe('');
    expect(await post('/get_argument?source=query')).toBe('default');
  });

  it('reads only the body with getBodyArgument (WSGISafeWebTest.test_get_body_arguments)', async () => {
    const post = async (body: string) =>
      (await server.current.fetch('/get_argument?source=body&foo=hello', { method: 'POST', body }))
        .text;
    expect(await post(form({ foo: 'bar' }))).toBe('bar');
    expect(await post(form({ foo: '' }))).toBe('');
    expect(await post(form({}))).toBe('default');
  });

  it('does not gzip unless compressResponse is on (WSGISafeWebTest.test_no_gzip)', async () => {
    const response = await server.current.fetch('/get_argument', {
      headers: { 'Accept-Encoding': 'gzip' },
    });
    expect(response.headers.get('Vary') ?? '').not.toContain('Accept-Encoding');
    expect(response.headers.get('Content-Encoding') ?? '').not.toContain('gzip');
    expect(response.text).toBe('default');
  });
});
