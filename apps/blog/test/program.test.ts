import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { testFetch } from '@tronada/web/testing';
import { describe, expect, it, onTestFinished } from 'vitest';

const main = fileURLToPath(new URL('../dist/main.js', import.meta.url));

/** Runs the built program; resolves with its output and exit code. */
function runMain(args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [main, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, out }));
  });
}

describe('the blog program (dist/main.js)', () => {
  it('adds an author with --create-user, then serves that database until interrupted', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tronada-blog-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const db = join(dir, 'blog.sqlite');
    const created = await runMain([
      '--db',
      db,
      '--create-user',
      '--name',
      'ada',
      '--password',
      'a long password',
    ]);
    expect(created).toMatchObject({ code: 0 });
    expect(created.out).toContain(`Created author ada (id 1) in ${db}`);

    const child = spawn(process.execPath, [main, '--port', '0', '--db', db], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      let out = '';
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const found = /Listening on (http:\/\/\S+)/.exec(out);
          if (found) resolve(found[1]!);
        });
        void exited.then((code) => reject(new Error(`the blog exited with ${code}: ${out}`)));
      });
      expect(out).toMatch(/0 entries, 1 authors/);
      const login = await testFetch(`${url}auth/login`, { followRedirects: false });
      expect(login.code).toBe(200); // with an author, no redirect to /auth/create
      expect(login.text).toContain('name="_xsrf"');
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
  }, 20_000);
});
