import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { genLog } from '@tronada/ioloop';
import { expectLog, useTestLoop } from '@tronada/testing';
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Application, StaticFileHandler } from '../src/index.js';
import { useAsyncHTTPTestCase } from '../src/testing/index.js';
import { rawRequest } from './static-raw-request.js';

// A root directory with a secret beside it, a sibling whose name starts like the root's, and
// symbolic links that lead in and out of the root; built per run in a temporary directory.
const SECRET = 'SECRET-OUTSIDE-THE-ROOT';
const SIBLING_SECRET = 'SECRET-IN-A-SIBLING-DIRECTORY';
const ROOT_FILES: Readonly<Record<string, string>> = {
  'a.txt': 'alpha\n',
  'dir/index.html': '<p>index</p>\n',
  'dir/b.txt': 'bravo\n',
  'é-ünïcode.txt': 'unicode name\n',
  'back\\slash.txt': 'a backslash is a plain character on POSIX\n',
};

let base = '';
let root = '';

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'tronada-static-'));
  root = join(base, 'root');
  mkdirSync(join(root, 'dir'), { recursive: true });
  mkdirSync(join(base, 'root-sibling'));
  writeFileSync(join(base, 'secret.txt'), SECRET);
  writeFileSync(join(base, 'root-sibling', 'secret.txt'), SIBLING_SECRET);
  for (const [name, text] of Object.entries(ROOT_FILES)) writeFileSync(join(root, name), text);
  symlinkSync('a.txt', join(root, 'inner-link.txt'));
  symlinkSync('../secret.txt', join(root, 'escape.txt'));
  symlinkSync(join(base, 'secret.txt'), join(root, 'abs-escape.txt'));
  symlinkSync('..', join(root, 'escape-dir'));
  symlinkSync('../root-sibling', join(root, 'sibling-link'));
});

afterAll(() => {
  rmSync(base, { recursive: true, force: true });
});

useTestLoop({ beforeEach, afterEach }, { clock: false });

const server = useAsyncHTTPTestCase(
  { beforeEach, afterEach },
  () =>
    new Application([
      ['/static/(.*)', StaticFileHandler, { path: root }],
      ['/indexed/(.*)', StaticFileHandler, { path: root, defaultFilename: 'index.html' }],
    ]),
);

function get(target: string) {
  return rawRequest(server.current.getHttpPort(), target);
}

function encodePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

describe('StaticFileHandler path safety', () => {
  it('serves a symbolic link that stays inside the root', async () => {
    const response = await get('/static/inner-link.txt');
    expect(response.code).toBe(200);
    expect(response.body.toString()).toBe('alpha\n');
  });

  it('refuses symbolic links that lead out of the root with 403', async () => {
    await expectLog(genLog, /not in root static directory/, async () => {
      for (const target of [
        '/static/escape.txt',
        '/static/abs-escape.txt',
        '/static/escape-dir/secret.txt',
        '/static/sibling-link/secret.txt',
      ]) {
        const response = await get(target);
        expect(response.code, target).toBe(403);
        expect(response.body.toString()).not.toContain('SECRET');
      }
    });
  });

  it('refuses dot segments, encoded dots and absolute paths that leave the root with 403', async () => {
    const targets = [
      '/static/../secret.txt',
      '/static/%2e%2e/secret.txt',
      '/static/%2E%2E%2Fsecret.txt',
      '/static/dir/../../secret.txt',
      '/static/..%2froot-sibling%2fsecret.txt',
      `/static/${encodePath(join(base, 'secret.txt'))}`,
      `/static/${encodeURIComponent(join(base, 'secret.txt'))}`,
      `/static/${encodePath(join(base, 'root-sibling', 'secret.txt'))}`,
      '/static/..',
    ];
    await expectLog(genLog, /not in root static directory/, async () => {
      for (const target of targets) {
        const response = await get(target);
        expect(response.code, target).toBe(403);
        expect(response.body.toString()).not.toContain('SECRET');
      }
    });
  });

  it('answers 404 for NUL bytes and backslash tricks, as Tornado does on POSIX', async () => {
    for (const target of [
      '/static/a.txt%00',
      '/static/%00',
      '/static/..%5csecret.txt',
      '/static/%5c..%5csecret.txt',
    ]) {
      const response = await get(target);
      expect(response.code, target).toBe(404);
    }
  });

  it('serves names with unicode and backslashes that are inside the root', async () => {
    const unicode = await get(`/static/${encodeURIComponent('é-ünïcode.txt')}`);
    expect(unicode.body.toString()).toBe('unicode name\n');
    const backslash = await get('/static/back%5Cslash.txt');
    expect(backslash.body.toString()).toBe(ROOT_FILES['back\\slash.txt']);
  });

  it('resolves dot segments that stay inside the root, as Tornado does', async () => {
    expect((await get('/static/dir/../a.txt')).body.toString()).toBe('alpha\n');
    expect((await get('/static/./dir/%2e/b.txt')).body.toString()).toBe('bravo\n');
  });

  it('never serves anything from outside the root, whatever the path (property)', async () => {
    const outside = join(base, 'secret.txt');
    const piece = fc.oneof(
      fc.constantFrom(
        '..',
        '.',
        '%2e%2e',
        '%2E%2e',
        '.%2E',
        '',
        'a.txt',
        'dir',
        'index.html',
        'secret.txt',
        'root',
        'root-sibling',
        'escape.txt',
        'abs-escape.txt',
        'escape-dir',
        'sibling-link',
        'inner-link.txt',
        '%00',
        '%5c',
        '..%5c..',
        '%2f',
        '%2F..%2F',
        '%2e%2e%2f',
        encodePath(outside),
        encodeURIComponent(outside),
      ),
      fc.string({ unit: 'binary', maxLength: 6 }).map(encodeURIComponent),
    );
    const arbTarget = fc
      .tuple(
        fc.constantFrom('/static/', '/indexed/'),
        fc.array(piece, { maxLength: 7 }),
        fc.boolean(),
      )
      .map(
        ([prefix, pieces, trailingSlash]) => prefix + pieces.join('/') + (trailingSlash ? '/' : ''),
      );
    const allowed = new Set(Object.values(ROOT_FILES));
    await expectLog(
      genLog,
      /./,
      () =>
        fc.assert(
          fc.asyncProperty(arbTarget, async (target) => {
            const response = await get(target);
            const body = response.body.toString();
            expect(body).not.toContain('SECRET');
            expect([200, 301, 400, 403, 404]).toContain(response.code);
            if (response.code === 200)
              expect(allowed.has(body), `${target} served ${body}`).toBe(true);
            if (response.code === 301) expect(response.headers.get('Location')).toBe(`${target}/`);
          }),
          { seed: 2547, numRuns: 150 },
        ),
      { required: false },
    );
    // 150 real-socket requests: allow for a loaded machine.
  }, 30_000);
});
