import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { genLog } from '@tronada/ioloop';
import { expectLog, useTestLoop } from '@tronada/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Application, StaticFileHandler } from '../src/index.js';
import { useAsyncHTTPTestCase } from '../src/testing/index.js';
import { rawRequest } from './static-raw-request.js';

const STATIC_DIR = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'static');

useTestLoop({ beforeEach, afterEach }, { clock: false });

describe('StaticDefaultFilenameTest', () => {
  const server = useAsyncHTTPTestCase(
    { beforeEach, afterEach },
    () =>
      new Application([], {
        staticPath: STATIC_DIR,
        staticHandlerArgs: { defaultFilename: 'index.html' },
      }),
  );

  it('serves the default file for a directory path with a slash (StaticDefaultFilenameTest.test_static_default_filename)', async () => {
    const response = await server.current.fetch('/static/dir/', { followRedirects: false });
    expect(response.code).toBe(200);
    expect(response.text).toBe('this is the index\n');
    expect(response.headers.get('Content-Type')).toBe('text/html');
  });

  it('redirects a directory path without its slash permanently (StaticDefaultFilenameTest.test_static_default_redirect)', async () => {
    const response = await server.current.fetch('/static/dir', { followRedirects: false });
    expect(response.code).toBe(301);
    expect(response.headers.get('Location')).toMatch(/\/static\/dir\/$/);
  });

  it('answers 404 for a directory that lacks the default file', async () => {
    const response = await server.current.fetch('/static/empty-dir/', { followRedirects: false });
    expect(response.code).toBe(404);
  });
});

describe('StaticFileHandler without defaultFilename', () => {
  const server = useAsyncHTTPTestCase(
    { beforeEach, afterEach },
    () => new Application([], { staticPath: STATIC_DIR }),
  );

  it('refuses directories with 403, with or without the slash', async () => {
    await expectLog(genLog, /is not a file/, async () => {
      for (const path of ['/static/dir', '/static/dir/', '/static/']) {
        const response = await server.current.fetch(path, { followRedirects: false });
        expect(response.code, path).toBe(403);
      }
    });
  });
});

describe('StaticDefaultFilenameRootTest', () => {
  const server = useAsyncHTTPTestCase(
    { beforeEach, afterEach },
    () =>
      new Application([], {
        staticPath: STATIC_DIR,
        staticHandlerArgs: { defaultFilename: 'index.html' },
        staticUrlPrefix: '/',
      }),
  );

  it('refuses to redirect a path with two initial slashes, which would be another host (StaticDefaultFilenameRootTest.test_no_open_redirect)', async () => {
    const port = server.current.getHttpPort();
    const response = await expectLog(genLog, /cannot redirect path with two initial slashes/, () =>
      rawRequest(port, `//evil.com/../${STATIC_DIR}/dir`),
    );
    expect(response.code).toBe(403);
    expect(response.headers.has('Location')).toBe(false);
  });

  it('still redirects a one-slash directory path under a / prefix', async () => {
    const response = await server.current.fetch('/dir', { followRedirects: false });
    expect(response.code).toBe(301);
    expect(response.headers.get('Location')).toBe('/dir/');
  });
});

describe('StaticFileWithPathTest', () => {
  const server = useAsyncHTTPTestCase(
    { beforeEach, afterEach },
    () =>
      new Application([['/foo/(.*)', StaticFileHandler, { path: join(STATIC_DIR, 'alt-root/') }]], {
        staticPath: STATIC_DIR,
        staticHandlerArgs: { defaultFilename: 'index.html' },
      }),
  );

  it('serves a second directory through its own path argument (StaticFileWithPathTest.test_serve)', async () => {
    const response = await server.current.fetch('/foo/utf8.html');
    expect(response.body).toEqual(Buffer.from('H\xc3\xa9llo\n', 'latin1'));
  });

  it('keeps the files of the application static path apart from the mounted one', async () => {
    expect((await server.current.fetch('/foo/robots.txt')).code).toBe(404);
    expect((await server.current.fetch('/static/alt-root/utf8.html')).code).toBe(200);
  });
});
