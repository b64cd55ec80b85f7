// Fetching from our own HTTPServer: methods, bodies, headers the client adds, errors and the
// response object (Tornado's HTTPClientCommonTestCase, the parts about one request).
import type { HTTPServerRequest } from '@tronada/httputil';
import { HTTPHeaders, ResponseStartLine } from '@tronada/httputil';
import { appLog } from '@tronada/ioloop';
import { expectLog, useTestLoop } from '@tronada/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AsyncHTTPClient, HTTPClientError, HTTPRequest, type HTTPResponse } from '../src/index.js';
import { cleanup, newClient, respond, serve } from './helpers.js';

useTestLoop({ beforeEach, afterEach }, { clock: false });
afterEach(cleanup);

/** Answers by path, like Tornado's test handlers. */
function app(request: HTTPServerRequest): void {
  const path = request.path;
  const conn = request.connection!;
  if (path === '/hello') {
    const name = request.queryArguments.name?.[0]?.toString() ?? 'world';
    respond(request, `Hello ${name}!`);
  } else if (path === '/echo') {
    respond(request, `${request.method} ${request.uri} ${request.body.toString('latin1')}`);
  } else if (path === '/headers') {
    respond(request, JSON.stringify(Object.fromEntries(request.headers)), 200, {
      'Content-Type': 'application/json',
    });
  } else if (path === '/chunk') {
    const headers = new HTTPHeaders();
    conn.writeHeaders(new ResponseStartLine('HTTP/1.1', 200, 'OK'), headers, Buffer.from('asdf'));
    conn.write(Buffer.from('qwer'));
    conn.finish();
  } else if (path === '/status') {
    const code = Number(request.queryArguments.code?.[0]?.toString());
    respond(request, code === 304 ? '' : `status ${code}`, code);
  } else if (path === '/304') {
    conn.writeHeaders(
      new ResponseStartLine('HTTP/1.1', 304, 'Not Modified'),
      new HTTPHeaders({ 'Content-Length': '42' }),
    );
    conn.finish();
  } else if (path === '/reason') {
    conn.writeHeaders(
      new ResponseStartLine('HTTP/1.1', 682, 'Foo'),
      new HTTPHeaders({ 'Content-Length': '0' }),
    );
    conn.finish();
  } else respond(request, 'not found', 404);
}

describe('AsyncHTTPClient.fetch against HTTPServer', () => {
  it('fetches a body with status, reason, headers, text and timing', async () => {
    const { url } = await serve(app);
    const response = await newClient().fetch(`${url}/hello`);
    expect(response.code).toBe(200);
    expect(response.reason).toBe('OK');
    expect(response.text).toBe('Hello world!');
    expect(response.body).toEqual(Buffer.from('Hello world!'));
    expect(response.headers.get('Content-Length')).toBe('12');
    expect(response.effectiveUrl).toBe(`${url}/hello`);
    expect(response.error).toBeUndefined();
    expect(response.requestTime).toBeGreaterThan(0);
    expect(response.startTime).toBeLessThanOrEqual(Date.now() / 1000);
    expect(response.timeInfo.connect).toBeGreaterThan(0);
  });

  it('passes query arguments and reads a chunked response', async () => {
    const { url } = await serve(app);
    const client = newClient();
    expect((await client.fetch(`${url}/hello?name=Ben`)).text).toBe('Hello Ben!');
    const chunked = await client.fetch(`${url}/chunk`);
    expect(chunked.text).toBe('asdfqwer');
    expect(chunked.headers.get('Transfer-Encoding')).toBe('chunked');
  });

  it('sends POST, PUT and PATCH bodies with Content-Length and a form Content-Type for POST', async () => {
    const { url } = await serve(app);
    const client = newClient();
    for (const method of ['POST', 'PUT', 'PATCH']) {
      const response = await client.fetch(`${url}/echo`, { method, body: 'arg1=foo&arg2=bar' });
      expect(response.text).toBe(`${method} /echo arg1=foo&arg2=bar`);
    }
    const headers = (await client.fetch(`${url}/headers`, { method: 'POST', body: 'x' })).json<
      Record<string, string>
    >();
    expect(headers['Content-Type']).toBe('application/x-www-form-urlencoded');
    expect(headers['Content-Length']).toBe('1');
  });

  it('sends a UTF-8 string body as its bytes', async () => {
    const { url } = await serve(app);
    const response = await newClient().fetch(`${url}/headers`, { method: 'POST', body: 'é' });
    expect(response.json<Record<string, string>>()['Content-Length']).toBe('2');
  });

  it('adds Host, User-Agent and Accept-Encoding unless the request sets them', async () => {
    const { url, port } = await serve(app);
    const client = newClient();
    const sent = (await client.fetch(`${url}/headers`)).json<Record<string, string>>();
    expect(sent).toMatchObject({
      Host: `127.0.0.1:${port}`,
      'User-Agent': 'Tronada/0.1',
      'Accept-Encoding': 'gzip, deflate, br',
    });
    const custom = (
      await client.fetch(`${url}/headers`, {
        headers: { 'User-Agent': 'Custom', Host: 'example.com', 'Accept-Encoding': 'identity' },
      })
    ).json<Record<string, string>>();
    expect(custom).toMatchObject({
      Host: 'example.com',
      'User-Agent': 'Custom',
      'Accept-Encoding': 'identity',
    });
    const agent = (await client.fetch(`${url}/headers`, { userAgent: 'TestAgent/1.0' })).json<
      Record<string, string>
    >();
    expect(agent['User-Agent']).toBe('TestAgent/1.0');
  });

  it('sends basic auth from the options and from the URL', async () => {
    const { url, port } = await serve(app);
    const client = newClient();
    const fromOptions = (
      await client.fetch(`${url}/headers`, { authUsername: 'Aladdin', authPassword: 'open sesame' })
    ).json<Record<string, string>>();
    expect(fromOptions.Authorization).toBe('Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==');
    const fromUrl = (await client.fetch(`http://me:secret@127.0.0.1:${port}/headers`)).json<
      Record<string, string>
    >();
    expect(fromUrl.Authorization).toBe(`Basic ${Buffer.from('me:secret').toString('base64')}`);
    const noPassword = (await client.fetch(`${url}/headers`, { authUsername: 'Aladdin' })).json<
      Record<string, string>
    >();
    expect(noPassword.Authorization).toBe(`Basic ${Buffer.from('Aladdin:').toString('base64')}`);
  });

  it('sends If-Modified-Since from a Date or epoch seconds', async () => {
    const { url } = await serve(app);
    const client = newClient();
    const when = new Date(Date.UTC(2024, 0, 2, 3, 4, 5));
    for (const ifModifiedSince of [when, when.getTime() / 1000]) {
      const sent = (await client.fetch(`${url}/headers`, { ifModifiedSince })).json<
        Record<string, string>
      >();
      expect(sent['If-Modified-Since']).toBe('Tue, 02 Jan 2024 03:04:05 GMT');
    }
  });

  it('reads HEAD and 304 responses without a body even with Content-Length', async () => {
    const { url } = await serve(app);
    const client = newClient();
    const head = await client.fetch(`${url}/hello`, { method: 'HEAD' });
    expect([head.code, head.headers.get('Content-Length'), head.body.length]).toEqual([
      200,
      '12',
      0,
    ]);
    const notModified = await client.fetch(`${url}/304`, { raiseError: false });
    expect([notModified.code, notModified.body.length]).toEqual([304, 0]);
    // The connection is still in step: the next request on it works.
    expect((await client.fetch(`${url}/hello`)).text).toBe('Hello world!');
  });

  it('fails with HTTPClientError carrying the response for a status outside 2xx', async () => {
    const { url } = await serve(app);
    const client = newClient();
    const error = await client.fetch(`${url}/status?code=404`).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(HTTPClientError);
    const clientError = error as HTTPClientError;
    expect([clientError.status, clientError.code, clientError.message]).toEqual([
      404,
      'ERR_HTTP_CLIENT',
      'HTTP 404: Status',
    ]);
    expect(clientError.response?.text).toBe('status 404');
  });

  it('returns the response with raiseError false, and rethrow() throws its error', async () => {
    const { url } = await serve(app);
    const response = await newClient().fetch(`${url}/status?code=500`, { raiseError: false });
    expect(response.code).toBe(500);
    expect(response.error).toBeInstanceOf(HTTPClientError);
    expect(() => response.rethrow()).toThrow('HTTP 500');
    const ok = await newClient().fetch(`${url}/hello`);
    expect(() => ok.rethrow()).not.toThrow();
  });

  it('keeps a nonstandard reason phrase and status', async () => {
    const { url } = await serve(app);
    const response = await newClient().fetch(`${url}/reason`, { raiseError: false });
    expect([response.code, response.reason]).toEqual([682, 'Foo']);
  });

  it('still fails on transport errors with raiseError false (Tornado 6)', async () => {
    const { url, server } = await serve(app);
    server.stop();
    await server.closeAllConnections();
    const error = await newClient()
      .fetch(`${url}/hello`, { raiseError: false })
      .then(
        () => undefined,
        (e: unknown) => e as HTTPClientError,
      );
    expect(error?.status).toBe(599);
    expect((error!.cause as NodeJS.ErrnoException).code).toBe('ECONNREFUSED');
  });

  it('calls a legacy callback with every response, errors included', async () => {
    const { url } = await serve(app);
    const client = newClient();
    const seen: HTTPResponse[] = [];
    const ok = await client.fetch(`${url}/hello`, {}, (r) => seen.push(r));
    const bad = await client.fetch(`${url}/status?code=404`, {}, (r) => seen.push(r));
    const gone = await client.fetch('http://127.0.0.1:1/', {}, (r) => seen.push(r));
    expect(seen.map((r) => r.code)).toEqual([200, 404, 599]);
    expect([ok, bad, gone]).toEqual(seen);
    expect(gone.error).toBeInstanceOf(HTTPClientError);
  });

  it('logs an exception thrown by a legacy callback and still resolves the fetch', async () => {
    const { url } = await serve(app);
    const client = newClient();
    const response = await expectLog(appLog, /Exception in callback failingCallback/, () =>
      client.fetch(`${url}/hello`, {}, function failingCallback() {
        throw new Error('the callback failed');
      }),
    );
    expect(response.code).toBe(200);
  });

  it('accepts an HTTPRequest object and refuses options beside it', async () => {
    const { url } = await serve(app);
    const client = newClient();
    const request = new HTTPRequest(`${url}/echo`, { method: 'POST', body: 'x' });
    const response = await client.fetch(request);
    expect(response.text).toBe('POST /echo x');
    expect(response.request).toBe(request);
    await expect(client.fetch(request, { method: 'GET' })).rejects.toThrow(TypeError);
  });

  it('applies the client defaults to what a request leaves unset', async () => {
    const { url } = await serve(app);
    const client = newClient({ defaults: { userAgent: 'Default/1', headers: { 'X-A': 'a' } } });
    const sent = (await client.fetch(`${url}/headers`)).json<Record<string, string>>();
    expect(sent['User-Agent']).toBe('Default/1');
    const own = (await client.fetch(`${url}/headers`, { userAgent: 'Own/2' })).json<
      Record<string, string>
    >();
    expect(own['User-Agent']).toBe('Own/2');
  });

  it('refuses a body for GET and a missing body for POST unless allowNonstandardMethods', async () => {
    const { url } = await serve(app);
    const client = newClient();
    await expect(client.fetch(`${url}/echo`, { body: 'data' })).rejects.toThrow(
      'Body must be undefined for method GET',
    );
    await expect(client.fetch(`${url}/echo`, { method: 'POST' })).rejects.toThrow(
      'Body must not be undefined for method POST',
    );
    const other = await client.fetch(`${url}/echo`, {
      method: 'OTHER',
      allowNonstandardMethods: true,
      raiseError: false,
    });
    expect(other.text).toBe('OTHER /echo ');
    const getWithBody = await client.fetch(`${url}/echo`, {
      body: 'data',
      allowNonstandardMethods: true,
    });
    expect(getWithBody.text).toBe('GET /echo data');
  });

  it('refuses URLs that are not absolute http or https', async () => {
    const client = newClient();
    await expect(client.fetch('ftp://example.com/')).rejects.toThrow('Unsupported url scheme');
    await expect(client.fetch('/relative')).rejects.toThrow('Invalid URL');
  });

  it('streams the body to streamingCallback and the head to headerCallback', async () => {
    const { url } = await serve(app);
    const chunks: string[] = [];
    const lines: string[] = [];
    const response = await newClient().fetch(`${url}/chunk`, {
      streamingCallback: (chunk) => {
        chunks.push(chunk.toString());
      },
      headerCallback: (line) => lines.push(line),
    });
    expect(chunks.join('')).toBe('asdfqwer');
    expect(response.body.length).toBe(0);
    expect(lines[0]).toBe('HTTP/1.1 200 OK\r\n');
    expect(lines).toContain('Transfer-Encoding: chunked\r\n');
    expect(lines[lines.length - 1]).toBe('\r\n');
  });

  it('streams a request body from bodyProducer, chunked without Content-Length', async () => {
    const { url } = await serve(app);
    const response = await newClient().fetch(`${url}/echo`, {
      method: 'POST',
      bodyProducer: async (write) => {
        await write('asdf');
        await write(Buffer.from('qwer'));
      },
    });
    expect(response.text).toBe('POST /echo asdfqwer');
    const sized = await newClient().fetch(`${url}/echo`, {
      method: 'PUT',
      headers: { 'Content-Length': '4' },
      bodyProducer: (write) => {
        write('abcd');
      },
    });
    expect(sized.text).toBe('PUT /echo abcd');
  });

  it('sends the body after 100 Continue when expect100Continue is set', async () => {
    const { url } = await serve(app);
    const response = await newClient().fetch(`${url}/echo`, {
      method: 'POST',
      body: 'hello',
      expect100Continue: true,
    });
    expect(response.text).toBe('POST /echo hello');
  });

  it('fails fetches on a closed client', async () => {
    const client = newClient();
    client.close();
    client.close();
    await expect(client.fetch('http://127.0.0.1:1/')).rejects.toThrow('closed AsyncHTTPClient');
  });
});

describe('AsyncHTTPClient instances', () => {
  it('shares one client per IOLoop unless forceInstance, and close() forgets it', () => {
    const a = new AsyncHTTPClient();
    const b = new AsyncHTTPClient({ maxClients: 3 });
    expect(b).toBe(a);
    const forced = new AsyncHTTPClient({ forceInstance: true });
    expect(forced).not.toBe(a);
    forced.close();
    a.close();
    const c = new AsyncHTTPClient();
    expect(c).not.toBe(a);
    c.close();
  });

  it('uses configure() options for clients made afterwards', () => {
    AsyncHTTPClient.configure({ maxClients: 7, defaults: { userAgent: 'Configured' } });
    try {
      const client = new AsyncHTTPClient({ forceInstance: true });
      expect(client.maxClients).toBe(7);
      expect(client.defaults.userAgent).toBe('Configured');
      client.close();
    } finally {
      AsyncHTTPClient.configure(null);
    }
    const plain = new AsyncHTTPClient({ forceInstance: true });
    expect(plain.maxClients).toBe(10);
    plain.close();
  });
});
