// Smaller behaviours ported from Tornado's httpclient_test.py and simple_httpclient_test.py
// (named in PARITY.md): request and response objects, odd responses, and client options.
import { createServer as createHttpServer } from 'node:http';
import { HTTPHeaders } from '@tronada/httputil';
import { useTestLoop } from '@tronada/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HTTPClientError, HTTPRequest, HTTPResponse, REQUEST_DEFAULTS } from '../src/index.js';
import { cleanup, newClient, nodeServe, rawServe, readBody, turns } from './helpers.js';

useTestLoop({ beforeEach, afterEach }, { clock: false });
afterEach(cleanup);

function failure(future: PromiseLike<unknown>): Promise<HTTPClientError> {
  return Promise.resolve(future).then(
    () => {
      throw new Error('expected the fetch to fail');
    },
    (e: unknown) => e as HTTPClientError,
  );
}

/** Answers every request with `wire` on a kept-open connection. */
function answering(wire: string) {
  return rawServe((_head, socket) => socket.write(wire));
}

/** Echoes method, Authorization and body. */
function echoServer() {
  return nodeServe((req, res) => {
    void readBody(req).then((body) =>
      res.end(`${req.method} ${req.headers.authorization ?? '-'} ${body.toString()}`),
    );
  });
}

describe('requests (httpclient_test.py)', () => {
  it('encodes unicode basic credentials as UTF-8 (test_basic_auth_unicode)', async () => {
    const { url } = await echoServer();
    const response = await newClient().fetch(url, { authUsername: 'test', authPassword: '123£' });
    expect(response.text).toBe(`GET Basic ${Buffer.from('test:123£').toString('base64')} `);
  });

  it('refuses an unknown authMode (test_unsupported_auth_mode)', async () => {
    await expect(
      newClient().fetch('http://127.0.0.1:1/', {
        authUsername: 'a',
        authMode: 'asdf' as 'basic',
      }),
    ).rejects.toThrow('Unsupported authMode');
  });

  it('sends every method, OTHER only with allowNonstandardMethods (test_all_methods)', async () => {
    // A raw server: node:http refuses methods it does not know.
    const { url } = await rawServe((head, socket) => {
      const method = head.slice(0, head.indexOf(' '));
      const body = method === 'HEAD' ? '' : method;
      socket.write(`HTTP/1.1 200 OK\r\nContent-Length: ${method.length}\r\n\r\n${body}`);
    });
    const client = newClient();
    for (const method of ['GET', 'DELETE', 'OPTIONS']) {
      expect((await client.fetch(url, { method })).text).toBe(method);
    }
    for (const method of ['POST', 'PUT', 'PATCH']) {
      expect((await client.fetch(url, { method, body: '' })).text).toBe(method);
    }
    const head = await client.fetch(url, { method: 'HEAD' });
    expect([head.code, head.body.length]).toEqual([200, 0]);
    await expect(client.fetch(url, { method: 'OTHER', body: 'x' })).rejects.toThrow('Body must');
    expect(
      (await client.fetch(url, { method: 'OTHER', body: 'x', allowNonstandardMethods: true })).text,
    ).toBe('OTHER');
  });

  it('fetches the request of a response again (test_reuse_request_from_response)', async () => {
    const { url } = await echoServer();
    const client = newClient();
    const first = await client.fetch(url, { method: 'POST', body: 'again' });
    const second = await client.fetch(first.request);
    expect(second.text).toBe('POST - again');
  });

  it('does not change the caller headers (test_header_reuse)', async () => {
    const { url } = await echoServer();
    const headers = new HTTPHeaders({ 'User-Agent': 'Foo' });
    const request = new HTTPRequest(url, { headers });
    await newClient().fetch(request);
    expect([...request.headers]).toEqual([['User-Agent', 'Foo']]);
  });

  it('connects from networkInterface (test_bind_source_ip)', async () => {
    const { url } = await nodeServe((req, res) => res.end(req.socket.remoteAddress));
    const response = await newClient().fetch(url, { networkInterface: '127.0.0.1' });
    expect(response.text).toBe('127.0.0.1');
  });

  it('treats zero timeouts as none (test_zero_timeout)', async () => {
    const { url } = await echoServer();
    const response = await newClient().fetch(url, { connectTimeout: 0, requestTimeout: 0 });
    expect(response.code).toBe(200);
  });

  it('drops a result that arrives after the Future was cancelled (test_error_after_cancel)', async () => {
    let closed!: () => void;
    const gone = new Promise<void>((resolve) => {
      closed = resolve;
    });
    const { url } = await rawServe((_head, socket) => {
      socket.destroy();
      closed();
    });
    const fetching = newClient().fetch(url);
    expect(fetching.cancel()).toBe(true);
    await gone;
    await turns(10);
    // The failure that came later neither reached the Future nor went unhandled.
    expect(fetching.cancelled()).toBe(true);
  });

  it('takes headers as a record, a list of pairs or HTTPHeaders (test_header_types)', async () => {
    const { url } = await nodeServe((req, res) => res.end(String(req.headers['x-foo'])));
    const client = newClient();
    for (const headers of [
      { 'X-Foo': 'bar' },
      [['X-Foo', 'bar']] as [string, string][],
      new HTTPHeaders({ 'X-Foo': 'bar' }),
    ]) {
      expect((await client.fetch(url, { headers })).text).toBe('bar');
    }
  });

  it('sends Latin-1 request header values as their bytes (test_header_encoding)', async () => {
    const { url } = await rawServe((head, socket) => {
      const line = head.split('\r\n').find((l) => l.startsWith('Foo:')) ?? '';
      const hex = Buffer.from(line, 'latin1').toString('hex');
      socket.write(`HTTP/1.1 200 OK\r\nContent-Length: ${hex.length}\r\n\r\n${hex}`);
    });
    const response = await newClient().fetch(url, { headers: { Foo: 'b\u00e4r' } });
    expect(response.text).toBe(Buffer.from('Foo: b\xe4r', 'latin1').toString('hex'));
  });

  it('reads a chunked response the server closes right after (test_chunked_close)', async () => {
    const { url } = await rawServe((_h, socket) =>
      socket.end(
        'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\n1\r\n1\r\n2\r\n0\r\n\r\n',
      ),
    );
    expect((await newClient().fetch(url)).text).toBe('12');
  });

  it('reads the answer to OPTIONS (test_options_request)', async () => {
    const { url } = await nodeServe((_req, res) =>
      res.writeHead(200, { Allow: 'GET,OPTIONS', 'Access-Control-Allow-Origin': '*' }).end(),
    );
    const response = await newClient().fetch(url, { method: 'OPTIONS' });
    expect([response.code, response.headers.get('Allow'), response.body.length]).toEqual([
      200,
      'GET,OPTIONS',
      0,
    ]);
  });

  it('gives request options and client defaults their precedence (RequestProxyTest)', () => {
    const request = new HTTPRequest('http://x/', { userAgent: 'mine' });
    expect(request.withDefaults({ userAgent: 'default' }).userAgent).toBe('mine');
    const plain = new HTTPRequest('http://x/');
    expect(plain.withDefaults({ userAgent: 'default' }).userAgent).toBe('default');
    expect(plain.withDefaults({}).userAgent).toBeUndefined();
    expect(plain.withDefaults({}).connectTimeout).toBe(REQUEST_DEFAULTS.connectTimeout);
    expect(plain.withDefaults({ requestTimeout: 3 }).originalRequest).toBe(plain);
  });

  it('keeps headers, body and If-Modified-Since (HTTPRequestTestCase)', () => {
    const request = new HTTPRequest('http://example.com', {
      headers: { foo: 'bar' },
      body: 'foo',
      ifModifiedSince: new Date(Date.UTC(2010, 0, 1)),
    });
    expect(request.headers.get('Foo')).toBe('bar');
    expect(request.body).toEqual(Buffer.from('foo'));
    expect(request.headers.get('If-Modified-Since')).toBe('Fri, 01 Jan 2010 00:00:00 GMT');
    expect([...new HTTPRequest('http://example.com').headers]).toEqual([]);
  });

  it('formats responses and errors for people (HTTPResponseTestCase, HTTPErrorTestCase)', () => {
    const request = new HTTPRequest('http://example.com');
    expect(String(new HTTPResponse({ request, code: 200 }))).toBe(
      'HTTPResponse(200 OK, http://example.com)',
    );
    expect(new HTTPClientError(403).message).toBe('HTTP 403: Unknown');
    const response = new HTTPResponse({ request, code: 404 });
    expect(response.error).toBeInstanceOf(HTTPClientError);
    expect((response.error as HTTPClientError).response).toBe(response);
    expect(response.error?.message).toBe('HTTP 404: Not Found');
  });
});

describe('odd responses (httpclient_test.py, simple_httpclient_test.py)', () => {
  it('answers a redirect without Location as it is (test_redirect_without_location)', async () => {
    const { url } = await answering('HTTP/1.1 301 Moved\r\nContent-Length: 0\r\n\r\n');
    const response = await newClient().fetch(url, { raiseError: false });
    expect(response.code).toBe(301);
  });

  it('unfolds multi-line response headers (test_multi_line_headers)', async () => {
    const { url } = await answering(
      'HTTP/1.1 200 OK\r\nX-XSS-Protection: 1;\r\n\tmode=block\r\nContent-Length: 0\r\n\r\n',
    );
    const response = await newClient().fetch(url);
    expect(response.headers.get('X-XSS-Protection')).toBe('1; mode=block');
  });

  it('reads non-ASCII response header bytes as Latin-1 (test_non_ascii_header)', async () => {
    const { url } = await rawServe((_h, socket) =>
      socket.write(
        Buffer.concat([
          Buffer.from('HTTP/1.1 200 OK\r\nFoo: '),
          Buffer.from([0xe9]),
          Buffer.from('\r\nContent-Length: 0\r\n\r\n'),
        ]),
      ),
    );
    expect((await newClient().fetch(url)).headers.get('Foo')).toBe('é');
  });

  it('accepts a repeated equal Content-Length and refuses different ones (test_multiple_content_length_accepted)', async () => {
    const same = await answering('HTTP/1.1 200 OK\r\nContent-Length: 2, 2\r\n\r\nok');
    expect((await newClient().fetch(same.url)).text).toBe('ok');
    const twice = await answering(
      'HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nok',
    );
    expect((await newClient().fetch(twice.url)).text).toBe('ok');
    const different = await answering('HTTP/1.1 200 OK\r\nContent-Length: 2, 4\r\n\r\nok');
    expect((await failure(newClient().fetch(different.url))).status).toBe(599);
  });

  it('reads 204 without a body and refuses 204 with a body length (test_204_no_content, test_204_invalid_content_length)', async () => {
    const ok = await answering('HTTP/1.1 204 No Content\r\n\r\n');
    const response = await newClient().fetch(ok.url);
    expect([response.code, response.body.length]).toEqual([204, 0]);
    const bad = await answering('HTTP/1.1 204 No Content\r\nContent-Length: 1\r\n\r\nx');
    expect((await failure(newClient().fetch(bad.url))).status).toBe(599);
  });

  it('refuses Transfer-Encoding with Content-Length (test_chunked_with_content_length)', async () => {
    const { url } = await answering(
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n3\r\nabc\r\n0\r\n\r\n',
    );
    const error = await failure(newClient().fetch(url));
    expect(error.message).toContain('Malformed response');
  });

  it('skips an unasked 100 Continue before the response (HTTP100ContinueTestCase)', async () => {
    const { url } = await answering(
      'HTTP/1.1 100 CONTINUE\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok',
    );
    expect((await newClient().fetch(url)).text).toBe('ok');
  });

  it('does not send the body when the server answers before 100 (test_100_continue_early_response)', async () => {
    const bodies: string[] = [];
    const { url } = await rawServe((head, socket) => {
      socket.on('data', (d) => bodies.push(d.toString()));
      expect(head).toContain('Expect: 100-continue');
      socket.write('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n');
    });
    const response = await newClient().fetch(url, {
      method: 'POST',
      body: 'hello',
      expect100Continue: true,
      raiseError: false,
    });
    expect(response.code).toBe(403);
    expect(bodies).toEqual([]);
  });

  it('reads a large body through a small stream buffer (MaxBufferSizeTest)', async () => {
    const { url } = await nodeServe((_req, res) => res.end(Buffer.alloc(1024 * 1024, 'a')));
    const response = await newClient({ maxBufferSize: 64 * 1024 }).fetch(url);
    expect(response.body.length).toBe(1024 * 1024);
  });
});

describe('client options (simple_httpclient_test.py)', () => {
  it('maps host names with hostnameMapping (test_hostname_mapping, test_port_mapping)', async () => {
    const { url, port } = await nodeServe((req, res) => res.end(req.headers.host));
    const byHost = newClient({ hostnameMapping: { 'www.example.com': '127.0.0.1' } });
    expect((await byHost.fetch(`http://www.example.com:${port}/`)).text).toBe(
      `www.example.com:${port}`,
    );
    const byPort = newClient({
      hostnameMapping: [
        [
          ['foo.example.com', 8000],
          ['127.0.0.1', port],
        ],
      ],
    });
    expect((await byPort.fetch('http://foo.example.com:8000/')).text).toBe('foo.example.com:8000');
    expect(url).toContain(String(port));
  });

  it('connects over IPv6 and sends the bracketed Host, unless allowIpv6 is false (test_ipv6)', async () => {
    const v6 = createHttpServer((req, res) => res.end(req.headers.host));
    await new Promise<void>((r) => v6.listen(0, '::1', r));
    const port = (v6.address() as { port: number }).port;
    try {
      const client = newClient();
      expect((await client.fetch(`http://[::1]:${port}/`)).text).toBe(`[::1]:${port}`);
      const refused = await failure(client.fetch(`http://[::1]:${port}/`, { allowIpv6: false }));
      expect(refused.message).toContain('allowIpv6');
      client.close();
    } finally {
      v6.closeAllConnections();
      await new Promise((r) => v6.close(r));
    }
  });

  it('follows a redirect with maxClients 1 without deadlock (test_redirect_connection_limit)', async () => {
    const { url } = await nodeServe((req, res) => {
      if (req.url === '/start') res.writeHead(302, { Location: '/end' }).end();
      else res.end('done');
    });
    const response = await newClient({ maxClients: 1 }).fetch(`${url}/start`);
    expect(response.text).toBe('done');
  });
});
