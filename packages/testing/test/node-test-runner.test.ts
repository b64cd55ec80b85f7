/**
 * The helpers work from Node's own test runner: `node --test` runs
 * examples/node-test-runner.test.mjs (built packages, no vitest) and must pass, and a test that
 * breaks a guard must fail there too. Needs a build first (`npx tsc -b`, as `npm test` does).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const example = join(packageDir, 'examples', 'node-test-runner.test.mjs');
const built = ['testing', 'web', 'websocket'].map((name) =>
  join(packageDir, '..', name, 'dist', name === 'testing' ? 'index.js' : 'testing/index.js'),
);

/** Runs `node --test file` with the TAP reporter; resolves with its exit code and output. */
function nodeTest(file: string): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--test', '--test-reporter=tap', file], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

describe('node --test', () => {
  it('finds the packages built', () => {
    for (const file of built) {
      expect(existsSync(file), `${file} is missing: run \`npx tsc -b\` first`).toBe(true);
    }
  });

  it('passes the example suite: loops, genTest, expectLog, a server and a websocket', async () => {
    const { code, out } = await nodeTest(example);
    expect(out).toMatch(/^# pass 6$/m);
    expect(out).toMatch(/^# fail 0$/m);
    expect(code).toBe(0);
  }, 40_000);

  it('fails a test that logs an error nobody expected, through installTestGuards', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tronada-node-test-'));
    try {
      const testing = pathToFileURL(join(packageDir, 'dist', 'index.js')).href;
      const ioloop = pathToFileURL(join(packageDir, '..', 'ioloop', 'dist', 'index.js')).href;
      const file = join(dir, 'guarded.test.mjs');
      writeFileSync(
        file,
        [
          "import { afterEach, beforeEach, it } from 'node:test';",
          `import { installTestGuards } from '${testing}';`,
          `import { appLog } from '${ioloop}';`,
          'installTestGuards({ beforeEach, afterEach });',
          "it('logs quietly', () => {});",
          "it('logs an unexpected error', () => { appLog.error('something broke'); });",
          '',
        ].join('\n'),
      );
      const { code, out } = await nodeTest(file);
      expect(out).toMatch(/^# pass 1$/m);
      expect(out).toMatch(/^# fail 1$/m);
      expect(out).toContain('something broke');
      expect(code).not.toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 40_000);
});
