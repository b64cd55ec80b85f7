/**
 * Real multi-process runs (Tornado's process_test ProcessTest and tcpserver_test
 * TestMultiprocess): each test spawns test/fixtures/multiprocess-server.mjs under plain node,
 * because node:cluster starts workers by running the entry script again, which must not be the
 * test runner. The fixture imports the built package, so the package is built first (a no-op
 * when dist/ is up to date). Every process is killed by PID at the end, and every wait is
 * bounded.
 */
import type { ChildProcess } from 'node:child_process';
import { execFileSync, spawn } from 'node:child_process';
import { connect } from 'node:net';
import { resolve } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';

const packageDir = resolve(import.meta.dirname, '..');
const repoRoot = resolve(packageDir, '../..');
const fixture = resolve(packageDir, 'test/fixtures/multiprocess-server.mjs');

beforeAll(() => {
  execFileSync(resolve(repoRoot, 'node_modules/.bin/tsc'), ['-b', 'packages/iostream'], {
    cwd: repoRoot,
    stdio: 'pipe',
    timeout: 120_000,
  });
}, 130_000);

/** A spawned fixture run: its output so far, the PIDs it reported, and its exit. */
class Run {
  readonly child: ChildProcess;
  readonly pids = new Set<number>();
  stdout = '';
  stderr = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  #listeners: Array<() => void> = [];

  constructor(mode: string) {
    this.child = spawn(process.execPath, [fixture, mode], {
      cwd: packageDir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    if (this.child.pid !== undefined) this.pids.add(this.child.pid);
    this.child.stdout!.on('data', (d: Buffer) => {
      this.stdout += d.toString();
      for (const m of this.stdout.matchAll(/^process (\d+) /gm)) this.pids.add(Number(m[1]));
      this.#notify();
    });
    this.child.stderr!.on('data', (d: Buffer) => {
      this.stderr += d.toString();
      this.#notify();
    });
    this.exited = new Promise((done) =>
      this.child.once('exit', (code, signal) => {
        done({ code, signal });
        this.#notify();
      }),
    );
  }

  #notify(): void {
    for (const l of this.#listeners.splice(0)) l();
  }

  /** Lines of stdout matching `pattern`. */
  lines(pattern: RegExp): RegExpMatchArray[] {
    return [...this.stdout.matchAll(new RegExp(pattern.source, 'gm'))];
  }

  /** Waits (at most `seconds`) until `condition` holds, re-checking on every output. */
  async until(condition: () => boolean, what: string, seconds = 15): Promise<void> {
    const deadline = Date.now() + seconds * 1000;
    while (!condition()) {
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new Error(
          `timed out waiting for ${what}\nstdout:\n${this.stdout}\nstderr:\n${this.stderr}`,
        );
      }
      await new Promise<void>((wake) => {
        const timer = setTimeout(wake, Math.min(left, 200));
        this.#listeners.push(() => {
          clearTimeout(timer);
          wake();
        });
      });
    }
  }

  /** Waits for the primary to exit (at most `seconds`). */
  async exit(seconds = 15): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    let done: { code: number | null; signal: NodeJS.Signals | null } | null = null;
    void this.exited.then((r) => {
      done = r;
    });
    await this.until(() => done !== null, 'the primary process to exit', seconds);
    return done!;
  }

  /** Kills the primary first (so nothing is restarted), then every worker it reported. */
  killAll(): void {
    const primary = this.child.pid;
    const order = [...this.pids].sort((a, b) => (a === primary ? -1 : b === primary ? 1 : 0));
    for (const pid of order) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone (ESRCH).
      }
    }
  }
}

const runs: Run[] = [];

afterEach(async () => {
  for (const run of runs.splice(0)) {
    run.killAll();
    await run.exited;
  }
});

function start(mode: string): Run {
  const run = new Run(mode);
  runs.push(run);
  return run;
}

/** Sends one line to 127.0.0.1:port and resolves with the reply line, or null if cut off. */
function ask(port: number, line: string): Promise<string | null> {
  return new Promise((done) => {
    const socket = connect(port, '127.0.0.1');
    let reply = '';
    const finish = (value: string | null): void => {
      clearTimeout(timer);
      socket.destroy();
      done(value);
    };
    const timer = setTimeout(() => finish(null), 3000);
    socket.on('connect', () => socket.write(`${line}\n`));
    socket.on('data', (d) => {
      reply += d.toString();
      const end = reply.indexOf('\n');
      if (end >= 0) finish(reply.slice(0, end));
    });
    socket.on('error', () => finish(null));
    socket.on('close', () => finish(null));
  });
}

/** Asks until `accept` takes a reply (a worker may be mid-restart); at most `tries` times. */
async function askUntil(
  port: number,
  line: string,
  accept: (reply: string) => boolean,
  tries = 60,
): Promise<string> {
  const seen: Array<string | null> = [];
  for (let i = 0; i < tries; i++) {
    const reply = await ask(port, line);
    seen.push(reply);
    if (reply !== null && accept(reply)) return reply;
    if (reply === null) await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no accepted reply to "${line}" in ${tries} tries: ${JSON.stringify(seen)}`);
}

describe('start(n) over node:cluster', () => {
  it('serves one port from two workers, restarts killed or crashed ones with the same task id, and exits when all exit with 0', async () => {
    const run = start('serve');
    await run.until(() => run.lines(/^listening \d+ \d+ \d+$/).length === 2, 'two workers');
    const listening = run.lines(/^listening (\d+) (\d+) (\d+)$/);
    const byTask = new Map(listening.map((m) => [Number(m[1]), Number(m[2])]));
    expect([...byTask.keys()].sort()).toEqual([0, 1]);
    const ports = new Set(listening.map((m) => m[3]));
    expect(ports.size).toBe(1);
    const port = Number([...ports][0]);

    // The script ran in three processes: the primary (no task id) and the two workers.
    expect(run.lines(/^process \d+ taskId=null primary=true$/)).toHaveLength(1);
    expect(run.lines(/^process \d+ taskId=[01] primary=false$/)).toHaveLength(2);

    // Both workers answer on the shared port.
    const answered = new Set<string>();
    for (let i = 0; i < 40 && answered.size < 2; i++) {
      const reply = await ask(port, 'pid');
      if (reply !== null) answered.add(reply);
    }
    expect([...answered].sort()).toEqual([`0 ${byTask.get(0)}`, `1 ${byTask.get(1)}`]);

    // Killed by a signal: restarted with the same task id, in a new process.
    const killed = byTask.get(1)!;
    process.kill(killed, 'SIGKILL');
    await run.until(() => run.lines(/^listening 1 \d+ \d+$/).length === 2, 'worker 1 restarted');
    const restarted = Number(run.lines(/^listening 1 (\d+) (\d+)$/)[1]![1]);
    expect(restarted).not.toBe(killed);
    expect(run.stderr).toContain(`child 1 (pid ${killed}) killed by signal SIGKILL, restarting`);
    await askUntil(port, 'pid', (r) => r === `1 ${restarted}`);

    // A non-zero exit status: restarted with the same task id too.
    const crashed = await askUntil(port, 'exit 3', (r) => r.startsWith('bye '));
    const crashedTask = Number(crashed.slice(4));
    await run.until(
      () =>
        run.lines(new RegExp(`^listening ${crashedTask} \\d+ \\d+$`)).length >=
        2 + (crashedTask === 1 ? 1 : 0),
      `worker ${crashedTask} restarted after exit 3`,
    );
    expect(run.stderr).toMatch(
      new RegExp(`child ${crashedTask} \\(pid \\d+\\) exited with status 3, restarting`),
    );

    // Exit status 0: not restarted; when both have exited cleanly, the primary exits with 0.
    const listeningBefore = run.lines(/^listening /).length;
    const first = await askUntil(port, 'exit 0', (r) => r.startsWith('bye '));
    await run.until(
      () => run.stderr.includes(`child ${first.slice(4)} (pid`),
      'the first clean exit',
    );
    await askUntil(port, 'exit 0', (r) => r.startsWith('bye ') && r !== first);
    expect(await run.exit()).toEqual({ code: 0, signal: null });
    expect(run.lines(/^listening /)).toHaveLength(listeningBefore);
    expect(run.stderr).toMatch(/exited normally[\s\S]*exited normally/);
  }, 60_000);

  it('runs the code after start(3) once per worker, each with its own task id (Tornado test_bind_start)', async () => {
    const run = start('print-task-id');
    expect(await run.exit()).toEqual({ code: 0, signal: null });
    expect(
      run
        .lines(/^task (\d+)$/)
        .map((m) => m[1])
        .sort(),
    ).toEqual(['0', '1', '2']);
    expect(run.lines(/^process \d+ taskId=null primary=true$/)).toHaveLength(1);
  }, 30_000);

  it('lets each worker listen after forkProcesses(3) on a shared port (Tornado test_listen_multi_reuse_port, without SO_REUSEPORT)', async () => {
    const run = start('fork-then-listen');
    expect(await run.exit()).toEqual({ code: 0, signal: null });
    expect(
      run
        .lines(/^task (\d+)$/)
        .map((m) => m[1])
        .sort(),
    ).toEqual(['0', '1', '2']);
    expect(run.lines(/^process \d+ taskId=null primary=true$/)).toHaveLength(1);
  }, 30_000);

  it('exits on its own after listen() and stop() in a single process (Tornado test_listen_single)', async () => {
    const run = start('listen-single');
    expect(await run.exit()).toEqual({ code: 0, signal: null });
    expect(run.stdout).toMatch(/^process \d+ taskId=null primary=true\n012$/);
    expect(run.stderr).toBe('');
  }, 30_000);

  it('refuses to fork after sockets were bound in the primary, instead of failing in every worker (Tornado test_add_sockets)', async () => {
    const run = start('bind-before-fork');
    expect(await run.exit()).toEqual({ code: 0, signal: null });
    expect(run.stdout).toMatch(/^refused ERR_FORK$/m);
    expect(run.lines(/^process /)).toHaveLength(1);
  }, 30_000);

  it('gives up with TooManyRestartsError once workers crashed more than maxRestarts times', async () => {
    const run = start('crash');
    expect(await run.exit()).toEqual({ code: 3, signal: null });
    expect(run.stdout).toMatch(/^gave up ERR_TOO_MANY_RESTARTS$/m);
    expect(run.stderr).toMatch(/exited with status 1, restarting/);
  }, 30_000);
});
