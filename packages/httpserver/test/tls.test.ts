/**
 * HTTPS (Tornado's SSLTestMixin, BadSSLOptionsTest and SSLXHeaderTest), with the test
 * certificate of @tronada/iostream.
 */
import { readFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import type { HTTPServerRequest } from '@tronada/httputil';
import { genLog } from '@tronada/ioloop';
import { expectLog, useTestLoop } from '@tronada/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HTTPServer } from '../src/index.js';
import { cleanup, RawClient, respond, serve } from './helpers.js';

useTestLoop({ beforeEach, afterEach }, { clock: false });
afterEach(cleanup);

const fixtures = new URL('../../iostream/test/fixtures/tls/', import.meta.url);
const cert = readFileSync(new URL('test.crt', fixtures));
const key = readFileSync(new URL('test.key', fixtures));

function answer(request: HTTPServerRequest): void {
  respond(request, `${request.protocol} ${request.method} ${request.body.length}`);
}

function fetchTLS(
  port: number,
  options: { method?: string; body?: string; headers?: Record<string, string> } = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      {
        host: '127.0.0.1',
        port,
        path: '/',
        method: options.method ?? 'GET',
        headers: options.headers ?? {},
        rejectUnauthorized: false,
        agent: false,
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => {
          text += d;
        });
        res.on('end', () => resolve(text));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

describe('SSLTestMixin', () => {
  it('serves a request over TLS as https', async () => {
    const { port } = await serve(answer, { sslOptions: { cert, key } });
    expect(await fetchTLS(port)).toBe('https GET 0');
  });

  it('receives a large POST over TLS', async () => {
    const { port } = await serve(answer, { sslOptions: { cert, key } });
    expect(await fetchTLS(port, { method: 'POST', body: 'A'.repeat(5000) })).toBe(
      'https POST 5000',
    );
  });

  it('drops a plain HTTP request to a TLS port and logs it without a stack', async () => {
    const { port } = await serve(answer, { sslOptions: { cert, key } });
    await expectLog(genLog, /SSL Error/, async () => {
      const c = await RawClient.connect(port);
      c.write('GET / HTTP/1.1\r\nHost: a\r\n\r\n');
      await c.readUntilClose();
    });
  });
});

describe('BadSSLOptionsTest', () => {
  it('refuses TLS options without a certificate', () => {
    expect(() => new HTTPServer(answer, { sslOptions: {} })).toThrow(TypeError);
  });
});

describe('SSLXHeaderTest', () => {
  it('keeps https without X-Scheme and accepts only http or https from it', async () => {
    const { port } = await serve(answer, { sslOptions: { cert, key }, xheaders: true });
    expect(await fetchTLS(port)).toBe('https GET 0');
    expect(await fetchTLS(port, { headers: { 'X-Scheme': 'http' } })).toBe('http GET 0');
    expect(await fetchTLS(port, { headers: { 'X-Scheme': 'unknown' } })).toBe('https GET 0');
  });
});
