/**
 * Debug mode's autoreload with real processes: a tiny app with `debug: true` runs from a temp
 * directory under plain node (the supervisor re-runs the entry script, which must not be the
 * test runner). The app imports the built package, so the package is built first (a no-op when
 * dist/ is up to date). Every process is killed by PID at the end, and every wait is bounded.
 */
import type { ChildProcess } from 'node:child_process';
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

const packageDir = resolve(import.meta.dirname, '..');
const repoRoot = resolve(packageDir, '../..');
const webEntry = pathToFileURL(resolve(packageDir, 'dist/index.js')).href;
const ioloopEntry = pathToFileURL(resolve(repoRoot, 'packages/ioloop/dist/index.js')).href;

beforeAll(() => {
  execFileSync(resolve(repoRoot, 'node_modules/.bin/tsc'), ['-b', 'packages/web'], {
    cwd: repoRoot,
    stdio: 'pipe',
    timeout: 120_000,
  });
}, 130_000);

const appSource = `
import { join } from 'node:path';
import { enablePrettyLogging } from '${ioloopEntry}';
import { Application, RequestHandler, autoreload } from '${webEntry}';
import { greeting } from './helper.mjs';

enablePrettyLogging();
class MainHandler extends RequestHandler {
  get() {
    this.render('page.html', { greeting, pid: process.pid });
  }
}
autoreload.addReloadHook(() => console.log('hook ' + process.pid));
autoreload.watch(join(import.meta.dirname, 'settings.yaml'));
const app = new Application([['/', MainHandler]], {
  debug: true,
  templatePath: join(import.meta.dirname, 'templates'),
});
const server = await app.listen(0, '127.0.0.1');
console.log('started ' + process.pid + ' ' + server.port);
`;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Waits (at most `seconds`) until `condition` holds, checking every 20 ms. */
async function until(condition: () => boolean, what: string, output: () => string, seconds = 10) {
  const deadline = Date.now() + seconds * 1000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${output()}`);
    await new Promise((wake) => setTimeout(wake, 20));
  }
}

describe('autoreload (debug mode) in real processes', () => {
  let dir = '';
  let supervisor: ChildProcess | null = null;
  const pids = new Set<number>();
  let stdout = '';
  let stderr = '';

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tronada-autoreload-'));
    mkdirSync(join(dir, 'templates'));
    writeFileSync(join(dir, 'app.mjs'), appSource);
    writeFileSync(join(dir, 'helper.mjs'), "export const greeting = 'hello';\n");
    writeFileSync(join(dir, 'templates', 'page.html'), '{{ greeting }} from {{ pid }}');
    writeFileSync(join(dir, 'data.txt'), 'not a source file');
    stdout = '';
    stderr = '';
  });

  afterEach(async () => {
    for (const pid of pids) {
      if (isAlive(pid)) process.kill(pid, 'SIGKILL');
    }
    pids.clear();
    supervisor = null;
    rmSync(dir, { recursive: true, force: true });
  });

  const output = () => `stdout:\n${stdout}\nstderr:\n${stderr}`;
  const started = () =>
    [...stdout.matchAll(/^started (\d+) (\d+)$/gm)].map((m) => ({
      pid: Number(m[1]),
      port: Number(m[2]),
    }));

  function run(): ChildProcess {
    const child = spawn(process.execPath, [join(dir, 'app.mjs')], {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, TRONADA_AUTORELOAD_CHILD: '' },
    });
    pids.add(child.pid!);
    child.stdout!.on('data', (data: Buffer) => {
      stdout += data.toString();
      for (const { pid } of started()) pids.add(pid);
    });
    child.stderr!.on('data', (data: Buffer) => {
      stderr += data.toString();
    });
    return child;
  }

  async function page(port: number): Promise<string> {
    const response = await fetch(`http://127.0.0.1:${port}/`);
    return response.text();
  }

  it('restarts the app in a new process when a source file, a template or a watched file changes, and stops with its supervisor', async () => {
    supervisor = run();
    const exited = new Promise<void>((done) => supervisor!.once('exit', () => done()));
    await until(() => started().length === 1, 'the first start', output);
    const first = started()[0]!;
    expect(first.pid).not.toBe(supervisor.pid);
    expect(await page(first.port)).toBe(`hello from ${first.pid}`);

    // A source file imported by the app.
    writeFileSync(join(dir, 'helper.mjs'), "export const greeting = 'bonjour';\n");
    await until(() => started().length === 2, 'the restart after a source change', output);
    const second = started()[1]!;
    expect(second.pid).not.toBe(first.pid);
    expect(isAlive(first.pid)).toBe(false);
    expect(stdout).toContain(`hook ${first.pid}`);
    expect(stdout).toContain(`${join(dir, 'helper.mjs')} modified; restarting server`);
    expect(await page(second.port)).toBe(`bonjour from ${second.pid}`);

    // A template, then a file given to autoreload.watch.
    writeFileSync(join(dir, 'templates', 'page.html'), '{{ greeting }}! ({{ pid }})');
    await until(() => started().length === 3, 'the restart after a template change', output);
    writeFileSync(join(dir, 'settings.yaml'), 'debug: true\n');
    await until(() => started().length === 4, 'the restart after a watched file change', output);
    const last = started()[3]!;
    expect(await page(last.port)).toBe(`bonjour! (${last.pid})`);

    // Killing the supervisor by PID takes the app process down with it.
    process.kill(supervisor.pid!, 'SIGTERM');
    await exited;
    await until(() => !isAlive(last.pid), 'the app process to follow its supervisor', output);
    expect(new Set(started().map((s) => s.pid)).size).toBe(4);
  }, 30_000);

  it('exits with the status of the app process when it ends by itself', async () => {
    writeFileSync(
      join(dir, 'app.mjs'),
      `${appSource}\nif (process.env.TRONADA_AUTORELOAD_CHILD === undefined) setTimeout(() => process.exit(7), 50);\n`,
    );
    supervisor = run();
    const code = await new Promise<number | null>((done) =>
      supervisor!.once('exit', (status) => done(status)),
    );
    expect(code).toBe(7);
    expect(started()).toHaveLength(1);
    expect(started()[0]!.pid).not.toBe(supervisor.pid);
  }, 15_000);
});
