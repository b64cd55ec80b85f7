import http from 'node:http';
import { createGunzip, gunzipSync } from 'node:zlib';
import { Future } from '@tronada/ioloop';
import { useTestLoop } from '@tronada/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Application, GZipContentEncoding, RequestHandler } from '../src/index.js';
import { useAsyncHTTPTestCase } from '../src/testing/index.js';

useTestLoop({ beforeEach, afterEach }, { clock: false });
const hooks = { beforeEach, afterEach };

describe('CacheTest', () => {
  class EtagHandler extends RequestHandler {
    override get(computedEtag?: string): void {
      this.write(computedEtag ?? '');
    }
    override computeEtag(): string | null {
      // The body is the entity tag to use.
      return this.pathArgs[0] ?? null;
    }
  }
  const server = useAsyncHTTPTestCase(hooks, () => new Application([['/etag/(.*)', EtagHandler]]));

  const cases = [
    ['test_wildcard_etag', '"xyzzy"', '*', 304],
    ['test_strong_etag_match', '"xyzzy"', '"xyzzy"', 304],
    ['test_multiple_strong_etag_match', '"xyzzy1"', '"xyzzy1", "xyzzy2"', 304],
    ['test_strong_etag_not_match', '"xyzzy"', '"xyzzy1"', 200],
    ['test_multiple_strong_etag_not_match', '"xyzzy"', '"xyzzy1", "xyzzy2"', 200],
    ['test_weak_etag_match', '"xyzzy1"', 'W/"xyzzy1"', 304],
    ['test_multiple_weak_etag_match', '"xyzzy2"', 'W/"xyzzy1", W/"xyzzy2"', 304],
    ['test_weak_etag_not_match', '"xyzzy2"', 'W/"xyzzy1"', 200],
    ['test_multiple_weak_etag_not_match', '"xyzzy3"', 'W/"xyzzy1", W/"xyzzy2"', 200],
  ] as const;
  for (const [name, computed, ifNoneMatch, status] of cases) {
    it(`answers ${status} for ETag ${computed} and If-None-Match ${ifNoneMatch} (CacheTest.${name})`, async () => {
      const response = await server.current.fetch(`/etag/${encodeURIComponent(computed)}`, {
        headers: { 'If-None-Match': ifNoneMatch },
      });
      expect(response.code).toBe(status);
      expect(response.headers.get('Etag')).toBe(computed);
      expect(response.text).toBe(status === 304 ? '' : computed);
    });
  }
});

const BIG = `hello world${'!'.repeat(GZipContentEncoding.MIN_LENGTH)}`;

describe('compressResponse (gzip, beyond the ported Tornado tests)', () => {
  let release = new Future<void>();
  beforeEach(() => {
    release = new Future<void>();
  });
  class BigHandler extends RequestHandler {
    override get(): void {
      for (const vary of this.getArguments('vary')) this.addHeader('Vary', vary);
      const type = this.getArgument('type', null);
      if (type !== null) this.setHeader('Content-Type', type);
      this.write(this.getArgument('small', null) === null ? BIG : 'tiny');
    }
  }
  class StreamHandler extends RequestHandler {
    override async get(): Promise<void> {
      this.setHeader('Content-Type', 'text/plain');
      this.write('first part;');
      await this.flush();
      await release;
      this.write(' second part');
    }
  }
  const server = useAsyncHTTPTestCase(
    hooks,
    () =>
      new Application(
        [
          ['/', BigHandler],
          ['/stream', StreamHandler],
        ],
        { compressResponse: true },
      ),
  );
  const gzipFetch = (path: string) =>
    server.current.fetch(path, { headers: { 'Accept-Encoding': 'gzip' } });

  it('compresses a large response of a compressible type and adds Vary', async () => {
    const response = await gzipFetch('/');
    expect(response.code).toBe(200);
    expect(response.headers.get('Content-Encoding')).toBe('gzip');
    expect(response.headers.get('Vary')).toBe('Accept-Encoding');
    expect(Number(response.headers.get('Content-Length'))).toBe(response.body.length);
    expect(response.body.length).toBeLessThan(BIG.length);
    expect(gunzipSync(response.body).toString()).toBe(BIG);
  });

  it('does not compress when the client does not accept gzip, but still adds Vary', async () => {
    let response = await server.current.fetch('/');
    expect(response.headers.has('Content-Encoding')).toBe(false);
    expect(response.headers.get('Vary')).toBe('Accept-Encoding');
    expect(response.text).toBe(BIG);
    response = await server.current.fetch('/', { headers: { 'Accept-Encoding': 'br, deflate' } });
    expect(response.headers.has('Content-Encoding')).toBe(false);
    expect(response.text).toBe(BIG);
  });

  it('appends Accept-Encoding to Vary values the handler set', async () => {
    const response = await gzipFetch('/?vary=Accept-Language&vary=Cookie');
    expect(response.headers.get('Content-Encoding')).toBe('gzip');
    const vary = response.headers.getList('Vary').flatMap((v) => v.split(',').map((s) => s.trim()));
    expect(vary).toEqual(['Accept-Language', 'Cookie', 'Accept-Encoding']);
  });

  it('does not compress small bodies or incompressible types', async () => {
    let response = await gzipFetch('/?small=1');
    expect(response.headers.has('Content-Encoding')).toBe(false);
    expect(response.text).toBe('tiny');
    response = await gzipFetch('/?type=image/png');
    expect(response.headers.has('Content-Encoding')).toBe(false);
    expect(response.text).toBe(BIG);
    response = await gzipFetch('/?type=application/json');
    expect(response.headers.get('Content-Encoding')).toBe('gzip');
  });

  it('sends each flush of a streamed response as decodable gzip data at once', async () => {
    const decoded: string[] = [];
    const url = server.current.getUrl('/stream');
    const done = new Promise<{ headers: http.IncomingHttpHeaders; text: string }>(
      (resolve, reject) => {
        const request = http.get(
          url,
          { headers: { 'Accept-Encoding': 'gzip' }, agent: false },
          (response) => {
            const gunzip = createGunzip();
            response.pipe(gunzip);
            gunzip.on('data', (chunk: Buffer) => {
              decoded.push(chunk.toString());
              // The first part decodes before the handler writes the second: release it now.
              if (decoded.join('') === 'first part;') release.setResult(undefined);
            });
            gunzip.on('error', reject);
            gunzip.on('end', () => resolve({ headers: response.headers, text: decoded.join('') }));
          },
        );
        request.on('error', reject);
      },
    );
    const { headers, text } = await done;
    expect(headers['content-encoding']).toBe('gzip');
    expect(headers['transfer-encoding']).toBe('chunked');
    expect(text).toBe('first part; second part');
    expect(release.done()).toBe(true);
  });
});
