/**
 * Tornado's GzipTestCase: the `gzip` / `compressResponse` setting on a plain handler and on
 * static files, and how `Vary` is extended.
 */

import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { useTestLoop } from '@tronada/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Application, GZipContentEncoding, RequestHandler } from '../src/index.js';
import type { TestResponse } from '../src/testing/index.js';
import { useAsyncHTTPTestCase } from '../src/testing/index.js';

useTestLoop({ beforeEach, afterEach }, { clock: false });

const BODY = `hello world${'!'.repeat(GZipContentEncoding.MIN_LENGTH)}`;

class Handler extends RequestHandler {
  override get(): void {
    for (const vary of this.getArguments('vary')) this.addHeader('Vary', vary);
    // At least MIN_LENGTH bytes, so that compression applies.
    this.write(BODY);
  }
}

const server = useAsyncHTTPTestCase(
  { beforeEach, afterEach },
  () =>
    new Application([['/', Handler]], {
      gzip: true,
      staticPath: fileURLToPath(new URL('./fixtures/static', import.meta.url)),
    }),
);

function fetchGzip(path: string, acceptGzip = true): Promise<TestResponse> {
  return server.current.fetch(path, acceptGzip ? { headers: { 'Accept-Encoding': 'gzip' } } : {});
}

function varyValues(response: TestResponse): string[] {
  return response.headers.getList('Vary').flatMap((v) => v.split(',').map((s) => s.trim()));
}

describe('GzipTestCase', () => {
  it('compresses a large response and says Vary: Accept-Encoding (test_gzip)', async () => {
    const response = await fetchGzip('/');
    expect(response.headers.get('Content-Encoding')).toBe('gzip');
    expect(response.headers.get('Vary')).toBe('Accept-Encoding');
    expect(gunzipSync(response.body).toString()).toBe(BODY);
  });

  it('compresses static files streamed from disk (test_gzip_static)', async () => {
    const response = await fetchGzip('/robots.txt');
    expect(response.headers.get('Content-Encoding')).toBe('gzip');
    expect(response.headers.get('Vary')).toBe('Accept-Encoding');
    expect(gunzipSync(response.body).toString()).toContain('User-agent');
  });

  it('leaves the body alone when the client does not ask for gzip, still with Vary (test_gzip_not_requested)', async () => {
    const response = await fetchGzip('/', false);
    expect(response.headers.has('Content-Encoding')).toBe(false);
    expect(response.headers.get('Vary')).toBe('Accept-Encoding');
    expect(response.text).toBe(BODY);
  });

  it('appends Accept-Encoding to a Vary the handler set (test_vary_already_present)', async () => {
    const response = await fetchGzip('/?vary=Accept-Language');
    expect(response.headers.get('Content-Encoding')).toBe('gzip');
    expect(varyValues(response)).toEqual(['Accept-Language', 'Accept-Encoding']);
  });

  it('appends Accept-Encoding after several Vary values (test_vary_already_present_multiple)', async () => {
    const response = await fetchGzip('/?vary=Accept-Language&vary=Cookie');
    expect(response.headers.get('Content-Encoding')).toBe('gzip');
    expect(varyValues(response)).toEqual(['Accept-Language', 'Cookie', 'Accept-Encoding']);
  });
});
