// HTTPServerRequest: Tornado's HTTPServerRequestTest and the request attributes the server
// tests observe (arguments, cookies, hosts, URLs, body parsing).
import { inspect } from 'node:util';
import {
  type HTTPConnection,
  HTTPHeaders,
  HTTPInputError,
  HTTPServerRequest,
  RequestStartLine,
} from '@tronada/httputil';
import { Future } from '@tronada/ioloop';
import { describe, expect, it } from 'vitest';

const text = (args: Record<string, Buffer[]>) =>
  Object.fromEntries(Object.entries(args).map(([k, vs]) => [k, vs.map((v) => v.toString('utf8'))]));

describe('HTTPServerRequest (Tornado HTTPServerRequestTest)', () => {
  it('needs nothing but a uri (test_default_constructor)', () => {
    const request = new HTTPServerRequest({ uri: '/' });
    expect([request.method, request.version, request.path, request.host]).toEqual([
      'GET',
      'HTTP/1.0',
      '/',
      '127.0.0.1',
    ]);
  });

  it('has a byte body (test_body_is_a_byte_string)', () => {
    expect(Buffer.isBuffer(new HTTPServerRequest({ uri: '/' }).body)).toBe(true);
  });

  it('does not show headers when printed (test_repr_does_not_contain_headers)', () => {
    const request = new HTTPServerRequest({
      uri: '/',
      headers: new HTTPHeaders({ Canary: ['Coal Mine'] }),
    });
    expect(String(request)).not.toContain('Canary');
    expect(inspect(request)).not.toContain('Canary');
    expect(String(request)).toContain('uri="/"');
  });
});

describe('HTTPServerRequest', () => {
  it('takes method, target and version from a start line and splits path and query', () => {
    const request = new HTTPServerRequest({
      startLine: new RequestStartLine('POST', '/echo?foo=%C3%A9&foo=&bar', 'HTTP/1.1'),
      headers: new HTTPHeaders({ Host: 'Example.COM:8888' }),
    });
    expect([request.method, request.uri, request.path, request.query, request.version]).toEqual([
      'POST',
      '/echo?foo=%C3%A9&foo=&bar',
      '/echo',
      'foo=%C3%A9&foo=&bar',
      'HTTP/1.1',
    ]);
    expect(request.host).toBe('Example.COM:8888');
    expect(request.hostName).toBe('example.com');
    expect(request.fullUrl()).toBe('http://Example.COM:8888/echo?foo=%C3%A9&foo=&bar');
    // httpserver test_query_string_encoding / test_empty_query_string: values are bytes.
    expect(text(request.arguments)).toEqual({ foo: ['é', ''], bar: [''] });
    expect(text(request.queryArguments)).toEqual({ foo: ['é', ''], bar: [''] });
  });

  it('takes host and path from an absolute-form target, ignoring Host (RFC 9112 §3.2.2)', () => {
    const request = new HTTPServerRequest({
      startLine: new RequestStartLine('GET', 'http://origin.example:81/a/b?x=1', 'HTTP/1.1'),
      headers: new HTTPHeaders({ Host: 'other.example' }),
    });
    expect([request.host, request.hostName, request.path, request.query]).toEqual([
      'origin.example:81',
      'origin.example',
      '/a/b',
      'x=1',
    ]);
    expect(request.fullUrl()).toBe('http://origin.example:81/a/b?x=1');
  });

  it('reads remoteIp and protocol from the connection context', () => {
    const connection: HTTPConnection = {
      writeHeaders: () => Future.resolved(undefined),
      write: () => Future.resolved(undefined),
      finish: () => Future.resolved(undefined),
      setCloseCallback: () => {},
      setMaxBodySize: () => {},
      context: { remoteIp: '10.0.0.1', protocol: 'https' },
    };
    const request = new HTTPServerRequest({ uri: '/x', connection, host: 'h' });
    expect([request.remoteIp, request.protocol, request.fullUrl()]).toEqual([
      '10.0.0.1',
      'https',
      'https://h/x',
    ]);
    expect(request.connection).toBe(connection);
    expect(new HTTPServerRequest({ uri: '/' }).remoteIp).toBeUndefined();
  });

  it('parses cookies once, leniently (httpserver test_types)', () => {
    const request = new HTTPServerRequest({
      uri: '/',
      headers: new HTTPHeaders({ Cookie: 'foo=bar; n="q\\"x"' }),
    });
    expect({ ...request.cookies }).toEqual({ foo: 'bar', n: 'q"x' });
    expect(request.cookies).toBe(request.cookies);
    expect({ ...new HTTPServerRequest({ uri: '/' }).cookies }).toEqual({});
  });

  it('parses a form body into bodyArguments, adding them after the query arguments', () => {
    const request = new HTTPServerRequest({
      method: 'POST',
      uri: '/echo?a=q',
      headers: new HTTPHeaders({ 'Content-Type': 'application/x-www-form-urlencoded' }),
      body: Buffer.from('a=b&foo=bar'),
    });
    request.parseBody();
    expect(text(request.bodyArguments)).toEqual({ a: ['b'], foo: ['bar'] });
    expect(text(request.arguments)).toEqual({ a: ['q', 'b'], foo: ['bar'] });
    expect(text(request.queryArguments)).toEqual({ a: ['q'] });
  });

  it('throws HTTPInputError from parseBody for a malformed multipart body', () => {
    const request = new HTTPServerRequest({
      method: 'POST',
      uri: '/',
      headers: new HTTPHeaders({ 'Content-Type': 'multipart/form-data; boundary=x' }),
      body: Buffer.from('garbage'),
    });
    expect(() => request.parseBody()).toThrow(HTTPInputError);
  });

  it('measures its time from startTime to finishTime, in seconds', () => {
    const request = new HTTPServerRequest({ uri: '/', startTime: 1000 });
    request.finishTime = 1002.5;
    expect(request.requestTime()).toBe(2.5);
    const live = new HTTPServerRequest({ uri: '/' });
    expect(live.requestTime()).toBeGreaterThanOrEqual(0);
    expect(live.requestTime()).toBeLessThan(5);
  });

  it('falls back to 127.0.0.1 for an empty Host and lets host be overridden', () => {
    expect(new HTTPServerRequest({ uri: '/', headers: new HTTPHeaders({ Host: '' }) }).host).toBe(
      '127.0.0.1',
    );
    const request = new HTTPServerRequest({ uri: '/', host: 'override:1' });
    expect([request.host, request.hostName]).toEqual(['override:1', 'override']);
    request.host = 'changed';
    expect(request.hostName).toBe('changed');
  });

  it('reads the same after releaseHead: start line, host, headers (repeats too), cookies, arguments', () => {
    const head =
      'Host: a-host-name-long-enough.example:8080\r\n' +
      'X-Long: a value much longer than thirteen characters\r\n' +
      'X-Twice: first value of a repeated header\r\n' +
      'X-Twice: second value of a repeated header\r\n' +
      'Cookie: flavor=chocolate-chip-with-walnuts\r\n';
    const target = '/a/long/enough/path?name=a-long-enough-argument-value';
    const request = new HTTPServerRequest({
      startLine: new RequestStartLine('GET', target, 'HTTP/1.1'),
      headers: HTTPHeaders.parse(head),
    });
    const read = () => ({
      line: [request.method, request.uri, request.path, request.query, request.version],
      host: [request.host, request.hostName],
      headers: [...request.headers],
      cookies: { ...request.cookies },
      arguments: text(request.arguments),
      url: request.fullUrl(),
    });
    const before = read();
    const headers = request.headers;
    request.releaseHead();
    expect(read()).toEqual(before);
    expect(request.headers).toBe(headers);
    expect(request.headers.getList('X-Twice')).toEqual([
      'first value of a repeated header',
      'second value of a repeated header',
    ]);
    request.releaseHead();
    expect(read()).toEqual(before);
  });

  it('keeps an absolute-form target apart from its path through releaseHead', () => {
    const request = new HTTPServerRequest({
      startLine: new RequestStartLine('GET', 'http://origin.example:81/a/b?x=1', 'HTTP/1.1'),
    });
    request.releaseHead();
    expect([request.uri, request.host, request.path, request.query, request.fullUrl()]).toEqual([
      'http://origin.example:81/a/b?x=1',
      'origin.example:81',
      '/a/b',
      'x=1',
      'http://origin.example:81/a/b?x=1',
    ]);
  });
});
