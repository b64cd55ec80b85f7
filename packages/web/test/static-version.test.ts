import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useTestLoop } from '@tronada/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Application, type ApplicationSettings, StaticFileHandler } from '../src/index.js';
import { useAsyncHTTPTestCase } from '../src/testing/index.js';

useTestLoop({ beforeEach, afterEach }, { clock: false });

const sha512 = (text: string) => createHash('sha512').update(text).digest('hex');

let dir = '';

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tronada-static-version-'));
  writeFileSync(join(dir, 'app.css'), 'body { color: red }');
  StaticFileHandler.reset();
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
  StaticFileHandler.reset();
});

describe('StaticFileHandler versions', () => {
  const server = useAsyncHTTPTestCase(
    { beforeEach, afterEach },
    () => new Application([], { staticPath: dir }),
  );

  it('keeps a cached version until reset()', () => {
    const settings: ApplicationSettings = { staticPath: dir };
    expect(StaticFileHandler.makeStaticUrl(settings, 'app.css')).toBe(
      `/static/app.css?v=${sha512('body { color: red }')}`,
    );
    writeFileSync(join(dir, 'app.css'), 'body { color: blue }');
    expect(StaticFileHandler.getVersion(settings, 'app.css')).toBe(sha512('body { color: red }'));
    StaticFileHandler.reset();
    expect(StaticFileHandler.getVersion(settings, 'app.css')).toBe(sha512('body { color: blue }'));
  });

  it('does not cache versions when staticHashCache is false', () => {
    const settings: ApplicationSettings = { staticPath: dir, staticHashCache: false };
    expect(StaticFileHandler.getVersion(settings, 'app.css')).toBe(sha512('body { color: red }'));
    writeFileSync(join(dir, 'app.css'), 'body { color: blue }');
    expect(StaticFileHandler.getVersion(settings, 'app.css')).toBe(sha512('body { color: blue }'));
  });

  it('leaves the version out when includeVersion is false', () => {
    expect(
      StaticFileHandler.makeStaticUrl({ staticPath: dir, staticUrlPrefix: '/s/' }, 'app.css', {
        includeVersion: false,
      }),
    ).toBe('/s/app.css');
  });

  it('gives a subclass its own cache once reset() is called on it', () => {
    class Sub extends StaticFileHandler {}
    const settings: ApplicationSettings = { staticPath: dir };
    expect(Sub.getVersion(settings, 'app.css')).toBe(sha512('body { color: red }'));
    writeFileSync(join(dir, 'app.css'), 'body { color: blue }');
    Sub.reset();
    expect(Sub.getVersion(settings, 'app.css')).toBe(sha512('body { color: blue }'));
    expect(StaticFileHandler.getVersion(settings, 'app.css')).toBe(sha512('body { color: red }'));
  });

  it('serves the ETag of the cached version to every request', async () => {
    const first = await server.current.fetch('/static/app.css');
    expect(first.headers.get('Etag')).toBe(`"${sha512('body { color: red }')}"`);
    expect(first.headers.get('Content-Type')).toBe('text/css');
    writeFileSync(join(dir, 'app.css'), 'body { color: blue }');
    const second = await server.current.fetch('/static/app.css');
    expect(second.text).toBe('body { color: blue }');
    expect(second.headers.get('Etag')).toBe(`"${sha512('body { color: red }')}"`);
  });
});

describe('StaticFileHandler versions in debug mode', () => {
  const server = useAsyncHTTPTestCase(
    { beforeEach, afterEach },
    () => new Application([], { staticPath: dir, debug: true }),
  );

  it('hashes the file again on every request (staticHashCache off)', async () => {
    const first = await server.current.fetch('/static/app.css');
    expect(first.headers.get('Etag')).toBe(`"${sha512('body { color: red }')}"`);
    writeFileSync(join(dir, 'app.css'), 'body { color: blue }');
    const second = await server.current.fetch('/static/app.css');
    expect(second.headers.get('Etag')).toBe(`"${sha512('body { color: blue }')}"`);
  });
});
