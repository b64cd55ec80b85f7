import { genLog } from '@tronada/ioloop';
import { expectLog, useTestLoop } from '@tronada/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  Application,
  type ApplicationSettings,
  RequestHandler,
  StaticFileHandler,
} from '../src/index.js';
import { useAsyncHTTPTestCase } from '../src/testing/index.js';

useTestLoop({ beforeEach, afterEach }, { clock: false });

const PREFIX = 'CustomStaticFileTest:';

/** Serves `foo.txt` from memory, with the version inside the file name (`foo.42.txt`). */
class MyStaticFileHandler extends StaticFileHandler {
  static override makeStaticUrl(settings: ApplicationSettings, path: string): string {
    // biome-ignore lint/complexity/noThisInStatic: a class-side hook, as in Tornado's test.
    const version = this.getVersion(settings, path);
    const dot = path.lastIndexOf('.');
    return `/static/${path.slice(0, dot)}.${version}.${path.slice(dot + 1)}`;
  }

  override parseUrlPath(urlPath: string): string {
    const extension = urlPath.lastIndexOf('.');
    const version = urlPath.lastIndexOf('.', extension - 1);
    return urlPath.slice(0, version) + urlPath.slice(extension);
  }

  static override getAbsolutePath(_root: string, path: string): string {
    return PREFIX + path;
  }

  override validateAbsolutePath(_root: string, absolutePath: string): string {
    return absolutePath;
  }

  static override getContent(
    absPath: string,
    start?: number | null,
    end?: number | null,
  ): Uint8Array {
    if (start != null || end != null) throw new Error('no range was asked for');
    if (absPath === `${PREFIX}foo.txt`) return Buffer.from('bar');
    throw new Error(`unexpected path ${absPath}`);
  }

  override getContentSize(): number {
    if (this.absolutePath === `${PREFIX}foo.txt`) return 3;
    throw new Error(`unexpected path ${this.absolutePath}`);
  }

  override getModifiedTime(): null {
    return null;
  }

  static override getVersion(_settings: ApplicationSettings, _path: string): string {
    return '42';
  }
}

class StaticUrlHandler extends RequestHandler {
  override get(path?: string) {
    this.write(this.staticUrl(path ?? ''));
  }
}

describe('CustomStaticFileTest', () => {
  const server = useAsyncHTTPTestCase(
    { beforeEach, afterEach },
    () =>
      new Application([['/static_url/(.*)', StaticUrlHandler]], {
        staticPath: 'dummy',
        staticHandlerClass: MyStaticFileHandler,
      }),
  );

  it('serves content from the overridden hooks (CustomStaticFileTest.test_serve)', async () => {
    const response = await server.current.fetch('/static/foo.42.txt');
    expect(response.code).toBe(200);
    expect(response.text).toBe('bar');
    expect(response.headers.has('Last-Modified')).toBe(false);
    expect(response.headers.get('Content-Type')).toBe('text/plain');
  });

  it('builds URLs with the overridden makeStaticUrl (CustomStaticFileTest.test_static_url)', async () => {
    const response = await server.current.fetch('/static_url/foo.txt');
    expect(response.text).toBe('/static/foo.42.txt');
  });
});

/** Content that is only available asynchronously, in several chunks. */
class AsyncContentHandler extends StaticFileHandler {
  static override getAbsolutePath(_root: string, path: string): string {
    return `memory:${path}`;
  }

  override validateAbsolutePath(_root: string, absolutePath: string): Promise<string> {
    return Promise.resolve(absolutePath);
  }

  static override async *getContent(): AsyncGenerator<Uint8Array> {
    yield Buffer.from('one,');
    yield Buffer.from('two');
  }

  override async getContentSize(): Promise<number> {
    return 7;
  }

  override getModifiedTime(): Date {
    return new Date(Date.UTC(2020, 0, 2, 3, 4, 5));
  }
}

describe('StaticFileHandler hooks', () => {
  const server = useAsyncHTTPTestCase(
    { beforeEach, afterEach },
    () =>
      new Application([['/mem/(.*)', AsyncContentHandler, { path: 'unused' }]], {
        staticPath: 'unused',
      }),
  );

  it('streams async content from an overridden getContent and tags it with its hash', async () => {
    const response = await server.current.fetch('/mem/x.txt');
    expect(response.text).toBe('one,two');
    expect(response.headers.get('Etag')).toMatch(/^"[0-9a-f]{128}"$/);
    expect(response.headers.get('Last-Modified')).toBe('Thu, 02 Jan 2020 03:04:05 GMT');
  });

  it('logs and leaves the version out when the file cannot be read', () => {
    const url = expectLog(genLog, /Could not open static file/, () =>
      StaticFileHandler.makeStaticUrl({ staticPath: '/nonexistent-static-root' }, 'missing.css'),
    );
    expect(url).toBe('/static/missing.css');
  });
});
