import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatTimestamp } from '@tronada/httputil';
import { genLog } from '@tronada/ioloop';
import { expectLog, useTestLoop } from '@tronada/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Application, RequestHandler, StaticFileHandler } from '../src/index.js';
import {
  type TestFetchOptions,
  type TestResponse,
  useAsyncHTTPTestCase,
} from '../src/testing/index.js';
import { rawRequest } from './static-raw-request.js';

const STATIC_DIR = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'static');
const ROBOTS_PATH = join(STATIC_DIR, 'robots.txt');
const ROBOTS = readFileSync(ROBOTS_PATH);
// The version of robots.txt: the SHA-512 of its bytes, computed here independently.
const ROBOTS_HASH = createHash('sha512').update(ROBOTS).digest('hex');

useTestLoop({ beforeEach, afterEach }, { clock: false });

class StaticUrlHandler extends RequestHandler {
  override get(path?: string) {
    const includeVersion = Number(this.getArgument('include_version', '1'));
    this.write(this.staticUrl(path ?? '', { includeVersion }));
  }
}

class AbsoluteStaticUrlHandler extends StaticUrlHandler {
  override includeHost = true;
}

class OverrideStaticUrlHandler extends RequestHandler {
  override get(path?: string) {
    const doInclude = Boolean(Number(this.getArgument('include_host')));
    this.includeHost = !doInclude;
    const regular = this.staticUrl(path ?? '');
    const overridden = this.staticUrl(path ?? '', { includeHost: doInclude });
    if (overridden === regular) {
      this.write('False');
      return;
    }
    const protocol = `${this.request.protocol}://`;
    const regularHasHost = regular.startsWith(protocol);
    const overrideHasHost = overridden.startsWith(protocol);
    const result = doInclude
      ? overrideHasHost && !regularHasHost
      : !overrideHasHost && regularHasHost;
    this.write(result ? 'True' : 'False');
  }
}

const server = useAsyncHTTPTestCase(
  { beforeEach, afterEach },
  () =>
    new Application(
      [
        ['/static_url/(.*)', StaticUrlHandler],
        ['/abs_static_url/(.*)', AbsoluteStaticUrlHandler],
        ['/override_static_url/(.*)', OverrideStaticUrlHandler],
        ['/root_static/(.*)', StaticFileHandler, { path: '/' }],
      ],
      { staticPath: STATIC_DIR },
    ),
);

/**
 * GETs and HEADs `path`; fails when any `Content-*` header differs between the two, and
 * returns the GET answer (Tornado's `get_and_head`).
 */
async function getAndHead(path: string, options: TestFetchOptions = {}): Promise<TestResponse> {
  const head = await server.current.fetch(path, { ...options, method: 'HEAD' });
  const get = await server.current.fetch(path, { ...options, method: 'GET' });
  const names = new Set<string>();
  for (const [name] of [...head.headers, ...get.headers]) {
    if (name.toLowerCase().startsWith('content-')) names.add(name);
  }
  for (const name of names) {
    expect(head.headers.get(name), `${name} differs between GET and HEAD`).toBe(
      get.headers.get(name),
    );
  }
  expect(head.code).toBe(get.code);
  return get;
}

describe('StaticFileTest', () => {
  it('serves robots.txt at the root and under /static/ as text/plain (StaticFileTest.test_static_files)', async () => {
    const root = await server.current.fetch('/robots.txt');
    expect(root.text).toContain('Disallow: /');
    const prefixed = await server.current.fetch('/static/robots.txt');
    expect(prefixed.text).toContain('Disallow: /');
    expect(prefixed.headers.get('Content-Type')).toBe('text/plain');
  });

  it('types gzip files application/gzip and other compressed files octet-stream (StaticFileTest.test_static_compressed_files)', async () => {
    const gz = await server.current.fetch('/static/sample.xml.gz');
    expect(gz.headers.get('Content-Type')).toBe('application/gzip');
    expect(gz.body).toEqual(readFileSync(join(STATIC_DIR, 'sample.xml.gz')));
    const bz2 = await server.current.fetch('/static/sample.xml.bz2');
    expect(bz2.headers.get('Content-Type')).toBe('application/octet-stream');
    const xml = await server.current.fetch('/static/sample.xml');
    expect(['text/xml', 'application/xml']).toContain(xml.headers.get('Content-Type'));
  });

  it('builds a static URL with the content hash as version (StaticFileTest.test_static_url)', async () => {
    const response = await server.current.fetch('/static_url/robots.txt');
    expect(response.text).toBe(`/static/robots.txt?v=${ROBOTS_HASH}`);
  });

  it('builds an absolute static URL when includeHost is set (StaticFileTest.test_absolute_static_url)', async () => {
    const response = await server.current.fetch('/abs_static_url/robots.txt');
    expect(response.text).toBe(`${server.current.getUrl('/')}static/robots.txt?v=${ROBOTS_HASH}`);
  });

  it('leaves the version out of a relative URL on request (StaticFileTest.test_relative_version_exclusion)', async () => {
    const response = await server.current.fetch('/static_url/robots.txt?include_version=0');
    expect(response.text).toBe('/static/robots.txt');
  });

  it('leaves the version out of an absolute URL on request (StaticFileTest.test_absolute_version_exclusion)', async () => {
    const response = await server.current.fetch('/abs_static_url/robots.txt?include_version=0');
    expect(response.text).toBe(`${server.current.getUrl('/')}static/robots.txt`);
  });

  it('lets the includeHost option override the handler default both ways (StaticFileTest.test_include_host_override)', async () => {
    for (const includeHost of [0, 1]) {
      const response = await server.current.fetch(
        `/override_static_url/robots.txt?include_host=${includeHost}`,
      );
      expect(response.text).toBe('True');
    }
  });

  it('answers 304 without Content-Length to a current If-Modified-Since (StaticFileTest.test_static_304_if_modified_since)', async () => {
    const first = await getAndHead('/static/robots.txt');
    const lastModified = first.headers.get('Last-Modified');
    expect(lastModified).toBe(formatTimestamp(statSync(ROBOTS_PATH).mtimeMs / 1000));
    const second = await getAndHead('/static/robots.txt', {
      headers: { 'If-Modified-Since': lastModified ?? '' },
    });
    expect(second.code).toBe(304);
    expect(second.headers.has('Content-Length')).toBe(false);
    expect(second.body.length).toBe(0);
  });

  it('answers 304 to a matching If-None-Match (StaticFileTest.test_static_304_if_none_match)', async () => {
    const first = await getAndHead('/static/robots.txt');
    const second = await getAndHead('/static/robots.txt', {
      headers: { 'If-None-Match': first.headers.get('Etag') ?? '' },
    });
    expect(second.code).toBe(304);
  });

  it('prefers a mismatching If-None-Match over a current If-Modified-Since (StaticFileTest.test_static_304_etag_modified_bug)', async () => {
    const first = await getAndHead('/static/robots.txt');
    const second = await getAndHead('/static/robots.txt', {
      headers: {
        'If-None-Match': '"MISMATCH"',
        'If-Modified-Since': first.headers.get('Last-Modified') ?? '',
      },
    });
    expect(second.code).toBe(200);
    expect(second.body).toEqual(ROBOTS);
  });

  it('serves the file for an If-Modified-Since before the epoch (StaticFileTest.test_static_if_modified_since_pre_epoch)', async () => {
    const response = await getAndHead('/static/robots.txt', {
      headers: { 'If-Modified-Since': 'Fri, 01 Jan 1960 00:00:00 GMT' },
    });
    expect(response.code).toBe(200);
  });

  it('reads If-Modified-Since as GMT around the modification time (StaticFileTest.test_static_if_modified_since_time_zone)', async () => {
    const mtime = statSync(ROBOTS_PATH).mtimeMs / 1000;
    const before = await getAndHead('/static/robots.txt', {
      headers: { 'If-Modified-Since': formatTimestamp(mtime - 1) },
    });
    expect(before.code).toBe(200);
    const after = await getAndHead('/static/robots.txt', {
      headers: { 'If-Modified-Since': formatTimestamp(mtime + 1) },
    });
    expect(after.code).toBe(304);
  });

  it('tags the file with its quoted content hash (StaticFileTest.test_static_etag)', async () => {
    const response = await getAndHead('/static/robots.txt');
    expect(response.headers.get('Etag')).toBe(`"${ROBOTS_HASH}"`);
  });

  it('answers a byte range with 206, the whole-file ETag and Content-Range (StaticFileTest.test_static_with_range)', async () => {
    const response = await getAndHead('/static/robots.txt', { headers: { Range: 'bytes=0-9' } });
    expect(response.code).toBe(206);
    expect(response.text).toBe('User-agent');
    expect(response.headers.get('Etag')).toBe(`"${ROBOTS_HASH}"`);
    expect(response.headers.get('Content-Length')).toBe('10');
    expect(response.headers.get('Content-Range')).toBe('bytes 0-9/26');
  });

  it('answers bytes=0- with the whole file and 200 (StaticFileTest.test_static_with_range_full_file)', async () => {
    const response = await getAndHead('/static/robots.txt', { headers: { Range: 'bytes=0-' } });
    expect(response.code).toBe(200);
    expect(response.body).toEqual(ROBOTS);
    expect(response.headers.get('Content-Length')).toBe('26');
    expect(response.headers.get('Content-Range')).toBeUndefined();
  });

  it('answers a range from 0 past the end with the whole file and 200 (StaticFileTest.test_static_with_range_full_past_end)', async () => {
    const response = await getAndHead('/static/robots.txt', {
      headers: { Range: 'bytes=0-10000000' },
    });
    expect(response.code).toBe(200);
    expect(response.body).toEqual(ROBOTS);
    expect(response.headers.get('Content-Length')).toBe('26');
    expect(response.headers.get('Content-Range')).toBeUndefined();
  });

  it('caps a range that runs past the end at the file size (StaticFileTest.test_static_with_range_partial_past_end)', async () => {
    const response = await getAndHead('/static/robots.txt', {
      headers: { Range: 'bytes=1-10000000' },
    });
    expect(response.code).toBe(206);
    expect(response.body).toEqual(ROBOTS.subarray(1));
    expect(response.headers.get('Content-Length')).toBe('25');
    expect(response.headers.get('Content-Range')).toBe('bytes 1-25/26');
  });

  it('serves an open range that starts near the end (StaticFileTest.test_static_with_range_end_edge)', async () => {
    const response = await getAndHead('/static/robots.txt', { headers: { Range: 'bytes=22-' } });
    expect(response.text).toBe(': /\n');
    expect(response.headers.get('Content-Length')).toBe('4');
    expect(response.headers.get('Content-Range')).toBe('bytes 22-25/26');
  });

  it('serves a suffix range: the last bytes (StaticFileTest.test_static_with_range_neg_end)', async () => {
    const response = await getAndHead('/static/robots.txt', { headers: { Range: 'bytes=-4' } });
    expect(response.text).toBe(': /\n');
    expect(response.headers.get('Content-Length')).toBe('4');
    expect(response.headers.get('Content-Range')).toBe('bytes 22-25/26');
  });

  it('answers a suffix longer than the file with the whole file and 200 (StaticFileTest.test_static_with_range_neg_past_start)', async () => {
    const response = await getAndHead('/static/robots.txt', {
      headers: { Range: 'bytes=-1000000' },
    });
    expect(response.code).toBe(200);
    expect(response.body).toEqual(ROBOTS);
    expect(response.headers.get('Content-Length')).toBe('26');
    expect(response.headers.get('Content-Range')).toBeUndefined();
  });

  it('ignores a Range header it cannot parse (StaticFileTest.test_static_invalid_range)', async () => {
    const response = await getAndHead('/static/robots.txt', { headers: { Range: 'asdf' } });
    expect(response.code).toBe(200);
    expect(response.body).toEqual(ROBOTS);
  });

  it('answers bytes=-0 with 416 and the size (StaticFileTest.test_static_unsatisfiable_range_zero_suffix)', async () => {
    const response = await getAndHead('/static/robots.txt', { headers: { Range: 'bytes=-0' } });
    expect(response.headers.get('Content-Range')).toBe('bytes */26');
    expect(response.code).toBe(416);
  });

  it('answers a range starting at the size with 416 (StaticFileTest.test_static_unsatisfiable_range_invalid_start)', async () => {
    const response = await getAndHead('/static/robots.txt', { headers: { Range: 'bytes=26' } });
    expect(response.code).toBe(416);
    expect(response.headers.get('Content-Range')).toBe('bytes */26');
  });

  it('answers a range ending before it starts with 416 (StaticFileTest.test_static_unsatisfiable_range_end_less_than_start)', async () => {
    const response = await getAndHead('/static/robots.txt', { headers: { Range: 'bytes=10-3' } });
    expect(response.code).toBe(416);
    expect(response.headers.get('Content-Range')).toBe('bytes */26');
  });

  it('answers HEAD with the length and ETag but no body (StaticFileTest.test_static_head)', async () => {
    const response = await server.current.fetch('/static/robots.txt', { method: 'HEAD' });
    expect(response.code).toBe(200);
    expect(response.body.length).toBe(0);
    expect(response.headers.get('Content-Length')).toBe('26');
    expect(response.headers.get('Etag')).toBe(`"${ROBOTS_HASH}"`);
  });

  it('answers a HEAD with a range as 206 with the range length (StaticFileTest.test_static_head_range)', async () => {
    const response = await server.current.fetch('/static/robots.txt', {
      method: 'HEAD',
      headers: { Range: 'bytes=1-4' },
    });
    expect(response.code).toBe(206);
    expect(response.body.length).toBe(0);
    expect(response.headers.get('Content-Length')).toBe('4');
    expect(response.headers.get('Etag')).toBe(`"${ROBOTS_HASH}"`);
  });

  it('answers 304 to a range request whose If-None-Match matches (StaticFileTest.test_static_range_if_none_match)', async () => {
    const response = await getAndHead('/static/robots.txt', {
      headers: { Range: 'bytes=1-4', 'If-None-Match': `"${ROBOTS_HASH}"` },
    });
    expect(response.code).toBe(304);
    expect(response.body.length).toBe(0);
    expect(response.headers.has('Content-Length')).toBe(false);
    expect(response.headers.get('Etag')).toBe(`"${ROBOTS_HASH}"`);
  });

  it('answers 404 for a file that does not exist (StaticFileTest.test_static_404)', async () => {
    const response = await getAndHead('/static/blarg');
    expect(response.code).toBe(404);
  });

  it('refuses a path that climbs out of the root with 403 (StaticFileTest.test_path_traversal_protection)', async () => {
    const port = server.current.getHttpPort();
    await expectLog(genLog, /not in root static directory/, async () => {
      for (const method of ['HEAD', 'GET']) {
        const response = await rawRequest(port, '/static/../static_foo.txt', method);
        expect(response.code).toBe(403);
      }
    });
  });

  it('serves absolute paths when the root is / (StaticFileTest.test_root_static_path)', async () => {
    const encoded = ROBOTS_PATH.split('/').map(encodeURIComponent).join('/');
    const response = await getAndHead(`/root_static${encoded}`);
    expect(response.code).toBe(200);
    expect(response.body).toEqual(ROBOTS);
  });
});
