import type { HTTPServerRequest } from '@tronada/httputil';
import { HTTPHeaders, ResponseStartLine } from '@tronada/httputil';
import { useTestLoop } from '@tronada/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  Application,
  addslash,
  ErrorHandler,
  RedirectHandler,
  RequestHandler,
  removeslash,
  url,
} from '../src/index.js';
import { useAsyncHTTPTestCase } from '../src/testing/index.js';

useTestLoop({ beforeEach, afterEach }, { clock: false });
const hooks = { beforeEach, afterEach };

class ReplyHandler extends RequestHandler {
  reply = '';
  override initialize(kwargs: { reply: string }): void {
    this.reply = kwargs.reply;
  }
  override get(): void {
    this.write(this.reply);
  }
}

describe('HostMatchingTest', () => {
  const server = useAsyncHTTPTestCase(
    hooks,
    () => new Application([['/foo', ReplyHandler, { reply: 'wildcard' }]]),
  );

  it('routes by host pattern before the wildcard rules (HostMatchingTest.test_host_matching)', async () => {
    const app = server.current.app;
    app.addHandlers('www.example.com', [['/foo', ReplyHandler, { reply: '[0]' }]]);
    app.addHandlers(/www\.example\.com/, [['/bar', ReplyHandler, { reply: '[1]' }]]);
    app.addHandlers('www.example.com', [['/baz', ReplyHandler, { reply: '[2]' }]]);
    app.addHandlers('www.e.*e.com', [['/baz', ReplyHandler, { reply: '[3]' }]]);
    const fetch = (path: string, host?: string) =>
      server.current.fetch(path, host === undefined ? {} : { headers: { Host: host } });

    expect((await fetch('/foo')).text).toBe('wildcard');
    expect((await fetch('/bar')).code).toBe(404);
    expect((await fetch('/baz')).code).toBe(404);
    expect((await fetch('/foo', 'www.example.com')).text).toBe('[0]');
    expect((await fetch('/bar', 'www.example.com')).text).toBe('[1]');
    expect((await fetch('/baz', 'www.example.com')).text).toBe('[2]');
    expect((await fetch('/baz', 'www.exe.com')).text).toBe('[3]');
    // The port of the Host header does not take part in host matching.
    expect((await fetch('/bar', 'www.example.com:8080')).text).toBe('[1]');
  });
});

describe('DefaultHostMatchingTest', () => {
  const server = useAsyncHTTPTestCase(
    hooks,
    () => new Application([], { defaultHost: 'www.example.com' }),
  );

  it('serves unknown hosts with the default host rules unless proxied (DefaultHostMatchingTest.test_default_host_matching)', async () => {
    const app = server.current.app;
    app.addHandlers('www.example.com', [['/foo', ReplyHandler, { reply: '[0]' }]]);
    app.addHandlers(/www\.example\.com/, [['/bar', ReplyHandler, { reply: '[1]' }]]);
    app.addHandlers('www.test.com', [['/baz', ReplyHandler, { reply: '[2]' }]]);

    expect((await server.current.fetch('/foo')).text).toBe('[0]');
    expect((await server.current.fetch('/bar')).text).toBe('[1]');
    expect((await server.current.fetch('/baz')).code).toBe(404);
    expect(
      (await server.current.fetch('/foo', { headers: { 'X-Real-Ip': '127.0.0.1' } })).code,
    ).toBe(404);

    app.defaultHost = 'www.test.com';
    expect((await server.current.fetch('/baz')).text).toBe('[2]');
  });
});

class EchoHandler extends RequestHandler {
  override get(path?: string): void {
    this.write(`${path}|${JSON.stringify(this.pathKwargs)}`);
  }
}

describe('NamedURLSpecGroupsTest', () => {
  const server = useAsyncHTTPTestCase(
    hooks,
    () =>
      new Application([
        ['/str/(?<path>.*)', EchoHandler],
        [/\/unicode\/(?<path>.*)/u, EchoHandler],
      ]),
  );

  it('passes named groups to the verb method and pathKwargs (NamedURLSpecGroupsTest.test_named_urlspec_groups)', async () => {
    expect((await server.current.fetch('/str/foo')).text).toBe('foo|{"path":"foo"}');
    expect((await server.current.fetch('/unicode/bar')).text).toBe('bar|{"path":"bar"}');
    expect((await server.current.fetch('/unicode/%C3%A9')).text).toBe('é|{"path":"é"}');
  });
});

class PathArgsHandler extends RequestHandler {
  override prepare(): void {
    this.write({ args: this.pathArgs, kwargs: this.pathKwargs });
  }
  override get(path?: string): void {
    if (path !== 'foo') throw new Error(`unexpected path ${path}`);
    void this.finish();
  }
}

describe('PathArgsInPrepareTest', () => {
  const server = useAsyncHTTPTestCase(
    hooks,
    () =>
      new Application([
        ['/pos/(.*)', PathArgsHandler],
        ['/kw/(?<path>.*)', PathArgsHandler],
      ]),
  );

  it('sets positional path arguments before prepare (PathArgsInPrepareTest.test_pos)', async () => {
    const response = await server.current.fetch('/pos/foo');
    expect(response.code).toBe(200);
    expect(response.json()).toEqual({ args: ['foo'], kwargs: {} });
  });

  it('sets named path arguments before prepare (PathArgsInPrepareTest.test_kw)', async () => {
    // Named groups are also positional arguments here (JavaScript has no keyword arguments).
    const response = await server.current.fetch('/kw/foo');
    expect(response.code).toBe(200);
    expect(response.json()).toEqual({ args: ['foo'], kwargs: { path: 'foo' } });
  });
});

describe('Default404Test', () => {
  const server = useAsyncHTTPTestCase(hooks, () => new Application([['/foo', RequestHandler]]));

  it('answers unmatched paths with the standard 404 page (Default404Test.test_404)', async () => {
    const response = await server.current.fetch('/');
    expect(response.code).toBe(404);
    expect(response.text).toBe(
      '<html><title>404: Not Found</title><body>404: Not Found</body></html>',
    );
  });
});

class Custom404Handler extends RequestHandler {
  override get(): void {
    this.setStatus(404);
    this.write('custom 404 response');
  }
}

describe('Custom404Test', () => {
  const server = useAsyncHTTPTestCase(
    hooks,
    () => new Application([['/foo', RequestHandler]], { defaultHandlerClass: Custom404Handler }),
  );

  it('serves unmatched paths with defaultHandlerClass (Custom404Test.test_404)', async () => {
    const response = await server.current.fetch('/');
    expect(response.code).toBe(404);
    expect(response.text).toBe('custom 404 response');
  });
});

describe('DefaultHandlerArgumentsTest', () => {
  const server = useAsyncHTTPTestCase(
    hooks,
    () =>
      new Application([['/foo', RequestHandler]], {
        defaultHandlerClass: ErrorHandler,
        defaultHandlerArgs: { statusCode: 403 },
      }),
  );

  it('initializes defaultHandlerClass with defaultHandlerArgs (DefaultHandlerArgumentsTest.test_403)', async () => {
    expect((await server.current.fetch('/')).code).toBe(403);
  });
});

class HelloHandler extends RequestHandler {
  override get(): void {
    this.write('hello');
  }
}

describe('HandlerByNameTest', () => {
  const server = useAsyncHTTPTestCase(
    hooks,
    () => new Application([['/hello1', HelloHandler], url('/hello3', HelloHandler)]),
  );

  it('accepts handler classes in tuples and url() specs alike (HandlerByNameTest.test_handler_by_name, classes only)', async () => {
    expect((await server.current.fetch('/hello1')).text).toBe('hello');
    expect((await server.current.fetch('/hello3')).text).toBe('hello');
  });
});

describe('RedirectHandlerTest', () => {
  const server = useAsyncHTTPTestCase(
    hooks,
    () =>
      new Application([
        ['/src', RedirectHandler, { url: '/dst' }],
        ['/src2', RedirectHandler, { url: '/dst2?foo=bar' }],
        ['/(.*?)/(.*?)/(.*)', RedirectHandler, { url: '/{1}/{0}/{2}' }],
      ]),
  );
  const fetch = (path: string) => server.current.fetch(path, { followRedirects: false });

  it('redirects permanently to the target (RedirectHandlerTest.test_basic_redirect)', async () => {
    const response = await fetch('/src');
    expect(response.code).toBe(301);
    expect(response.headers.get('Location')).toBe('/dst');
  });

  it('carries the query string over (RedirectHandlerTest.test_redirect_with_argument)', async () => {
    const response = await fetch('/src?foo=bar');
    expect(response.code).toBe(301);
    expect(response.headers.get('Location')).toBe('/dst?foo=bar');
  });

  it('appends the query string to one the target has (RedirectHandlerTest.test_redirect_with_appending_argument)', async () => {
    const response = await fetch('/src2?foo2=bar2');
    expect(response.code).toBe(301);
    expect(response.headers.get('Location')).toBe('/dst2?foo=bar&foo2=bar2');
  });

  it('substitutes path groups into the target (RedirectHandlerTest.test_redirect_pattern)', async () => {
    const response = await fetch('/a/b/c');
    expect(response.code).toBe(301);
    expect(response.headers.get('Location')).toBe('/b/a/c');
  });
});

class RemoveSlashHandler extends RequestHandler {
  override get = removeslash(function (this: RequestHandler) {
    this.write('removed');
  });
}
class AddSlashHandler extends RequestHandler {
  override get = addslash(function (this: RequestHandler) {
    this.write('added');
  });
}

describe('DecoratorTest', () => {
  const server = useAsyncHTTPTestCase(
    hooks,
    () =>
      new Application([
        ['/removeslash/', RemoveSlashHandler],
        ['/addslash', AddSlashHandler],
        ['/removeslash', RemoveSlashHandler],
        ['/addslash/', AddSlashHandler],
      ]),
  );
  const fetch = (path: string, method = 'GET') =>
    server.current.fetch(path, { followRedirects: false, method });

  it('redirects to the path without its trailing slash, keeping the query (DecoratorTest.test_removeslash)', async () => {
    let response = await fetch('/removeslash/');
    expect(response.code).toBe(301);
    expect(response.headers.get('Location')).toBe('/removeslash');
    response = await fetch('/removeslash/?foo=bar');
    expect(response.code).toBe(301);
    expect(response.headers.get('Location')).toBe('/removeslash?foo=bar');
    expect((await fetch('/removeslash')).text).toBe('removed');
  });

  it('redirects to the path with a trailing slash, keeping the query (DecoratorTest.test_addslash)', async () => {
    let response = await fetch('/addslash');
    expect(response.code).toBe(301);
    expect(response.headers.get('Location')).toBe('/addslash/');
    response = await fetch('/addslash?foo=bar');
    expect(response.code).toBe(301);
    expect(response.headers.get('Location')).toBe('/addslash/?foo=bar');
    expect((await fetch('/addslash/')).text).toBe('added');
  });
});

describe('ErrorHandlerXSRFTest', () => {
  const server = useAsyncHTTPTestCase(
    hooks,
    () => new Application([['/error', ErrorHandler, { statusCode: 417 }]], { xsrfCookies: true }),
  );

  it('answers with the ErrorHandler status, not an XSRF 403 (ErrorHandlerXSRFTest.test_error_xsrf)', async () => {
    expect((await server.current.fetch('/error', { method: 'POST', body: '' })).code).toBe(417);
  });

  it('answers an unmatched POST with 404, not an XSRF 403 (ErrorHandlerXSRFTest.test_404_xsrf)', async () => {
    expect((await server.current.fetch('/404', { method: 'POST', body: '' })).code).toBe(404);
  });
});

class InnerHandler extends RequestHandler {
  override get(): void {
    this.write(`inner ${this.request.path}`);
  }
}

describe('rule targets beyond handler classes', () => {
  const server = useAsyncHTTPTestCase(hooks, () => {
    const inner = new Application([['/nested/inner', InnerHandler]]);
    const callback = (request: HTTPServerRequest): void => {
      const body = Buffer.from(
        `callback ${request.method} ${request.path} ${request.body.toString()}`,
      );
      const connection = request.connection!;
      void connection.writeHeaders(
        new ResponseStartLine('HTTP/1.1', 200, 'OK'),
        new HTTPHeaders({ 'Content-Length': String(body.length) }),
        body,
      );
      void connection.finish();
    };
    return new Application([
      ['/nested/.*', inner],
      ['/callback/.*', callback],
      ['/hello', HelloHandler],
    ]);
  });

  it('hands requests to a nested Application given as a rule target', async () => {
    const response = await server.current.fetch('/nested/inner');
    expect(response.code).toBe(200);
    expect(response.text).toBe('inner /nested/inner');
    const missing = await server.current.fetch('/nested/other');
    expect(missing.code).toBe(404);
  });

  it('calls a request callback function given as a rule target', async () => {
    const response = await server.current.fetch('/callback/x?y=1');
    expect(response.code).toBe(200);
    expect(response.text).toBe('callback GET /callback/x ');
    const posted = await server.current.fetch('/callback/y', { method: 'POST', body: 'payload' });
    expect(posted.text).toBe('callback POST /callback/y payload');
    expect((await server.current.fetch('/hello')).text).toBe('hello');
  });
});
