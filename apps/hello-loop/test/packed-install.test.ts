/**
 * Proves that @tronada/ioloop and @tronada/gen work outside the monorepo: both are packed with
 * `npm pack` (from their built dist/), installed from the tarballs alone into a fresh folder,
 * and a small ESM script and a TypeScript-typed import run there.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../../..');
const work = mkdtempSync(join(tmpdir(), 'tronada-pack-'));

afterAll(() => rmSync(work, { recursive: true, force: true }));

function run(cmd: string, args: string[], cwd: string): string {
  return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

it('installs ioloop and gen from their tarballs alone and runs two coroutines', () => {
  for (const pkg of ['ioloop', 'gen']) {
    run('npm', ['pack', '--silent', '--pack-destination', work], join(root, 'packages', pkg));
  }
  const tarballs = readdirSync(work).filter((f) => f.endsWith('.tgz'));
  expect(tarballs.sort()).toEqual(['tronada-gen-0.1.0.tgz', 'tronada-ioloop-0.1.0.tgz']);
  const app = join(work, 'app');
  run('mkdir', ['-p', app], work);
  writeFileSync(
    join(app, 'package.json'),
    JSON.stringify({ name: 'consumer', private: true, type: 'module' }),
  );
  run(
    'npm',
    ['install', '--offline', '--no-audit', '--no-fund', ...tarballs.map((t) => join(work, t))],
    app,
  );
  writeFileSync(
    join(app, 'main.js'),
    `import { IOLoop } from '@tronada/ioloop';
import { coroutine, multi, sleep } from '@tronada/gen';
const sleeper = coroutine(function* (name) {
  console.log(name + ' sleeping');
  yield sleep(0.05);
  console.log(name + ' awake!');
});
await IOLoop.current().runSync(() => multi([sleeper('a'), sleeper('b')]));
`,
  );
  const out = run('node', ['main.js'], app);
  expect(out.trim().split('\n')).toEqual(['a sleeping', 'b sleeping', 'a awake!', 'b awake!']);
  const installed = readdirSync(join(app, 'node_modules', '@tronada')).sort();
  expect(installed).toEqual(['gen', 'ioloop']);

  // The published types resolve for a TypeScript consumer, and `yield*` is typed.
  writeFileSync(
    join(app, 'check.ts'),
    `import { Future } from '@tronada/ioloop';
import { coroutine } from '@tronada/gen';
const double = coroutine(function* (n: number) {
  const x: number = yield* Future.resolved(n);
  return x * 2;
});
const f: Future<number> = double(2);
export { f };
`,
  );
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  run(
    'node',
    [
      tsc,
      '--noEmit',
      '--strict',
      '--module',
      'nodenext',
      '--moduleResolution',
      'nodenext',
      '--target',
      'es2023',
      '--types',
      'node',
      '--typeRoots',
      join(root, 'node_modules', '@types'),
      'check.ts',
    ],
    app,
  );
}, 60_000);
