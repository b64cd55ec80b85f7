/**
 * Subprocess: child processes with IOStreams for their standard streams, exit callbacks and
 * waitForExit (Tornado's process_test.py SubprocessTest). The children are Node scripts run
 * with this process's own `node`; Tornado's use `python -u -i`, whose prompt `>>> ` goes to
 * standard error and whose output goes to standard output, which the interactive fixture
 * below does the same way.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { CalledProcessError, PipeIOStream, Subprocess } from '../src/index.js';
import { useStreamTestLoop } from './stream-helpers.js';

useStreamTestLoop();

const node = process.execPath;
/**
 * A tiny interpreter: prompts `>>> ` on stderr, answers `print(<text>)` on stdout, exits on
 * `raise SystemExit`, and prints a newline at the end of its input (as Python's prompt does).
 */
const INTERACTIVE = String.raw`
process.stderr.write('>>> ');
let held = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
  held += chunk;
  for (let at = held.indexOf('\n'); at >= 0; at = held.indexOf('\n')) {
    const line = held.slice(0, at);
    held = held.slice(at + 1);
    if (line === 'raise SystemExit') process.exit(0);
    const printed = /^print\('(.*)'\)$/.exec(line);
    if (printed) process.stdout.write(printed[1] + '\n');
    process.stderr.write('>>> ');
  }
});
process.stdin.on('end', () => { process.stdout.write('\n'); process.exit(0); });
`;

/** What `future` failed with (null if it succeeded). */
function failureOf(future: PromiseLike<unknown>): Promise<unknown> {
  return Promise.resolve(future).then(
    () => null,
    (error: unknown) => error,
  );
}

const started: Subprocess[] = [];
function start(args: string[], options?: ConstructorParameters<typeof Subprocess>[1]): Subprocess {
  const subprocess = new Subprocess(args, options);
  started.push(subprocess);
  return subprocess;
}

afterEach(async () => {
  for (const subprocess of started.splice(0)) {
    for (const stream of [subprocess.stdin, subprocess.stdout, subprocess.stderr]) stream?.close();
    if (subprocess.returncode === null && subprocess.pid !== null) {
      subprocess.proc.kill('SIGKILL');
      await subprocess.waitForExit(false);
    }
  }
});

describe('SubprocessTest', () => {
  it('talks to an interactive child over STREAM stdin and stdout, with stderr joined to stdout (test_subprocess)', async () => {
    const subprocess = start([node, '-e', INTERACTIVE], {
      stdin: Subprocess.STREAM,
      stdout: Subprocess.STREAM,
      stderr: Subprocess.STDOUT,
    });
    expect(subprocess.stdin).toBeInstanceOf(PipeIOStream);
    expect(subprocess.stdout).toBeInstanceOf(PipeIOStream);
    expect(subprocess.stderr).toBeNull();
    const stdout = subprocess.stdout!;
    await stdout.readUntil('>>> ');
    void subprocess.stdin!.write("print('hello')\n");
    expect((await stdout.readUntil('\n')).toString()).toBe('hello\n');
    await stdout.readUntil('>>> ');
    void subprocess.stdin!.write('raise SystemExit\n');
    expect((await stdout.readUntilClose()).toString()).toBe('');
  });

  it('closing the STREAM stdin ends the child’s input (test_close_stdin)', async () => {
    const subprocess = start([node, '-e', INTERACTIVE], {
      stdin: Subprocess.STREAM,
      stdout: Subprocess.STREAM,
      stderr: Subprocess.STDOUT,
    });
    await subprocess.stdout!.readUntil('>>> ');
    subprocess.stdin!.close();
    expect((await subprocess.stdout!.readUntilClose()).toString()).toBe('\n');
  });

  it('reads a STREAM stderr on its own (test_stderr)', async () => {
    const subprocess = start([node, '-e', "process.stderr.write('hello\\n')"], {
      stderr: Subprocess.STREAM,
    });
    expect(subprocess.stdout).toBeNull();
    expect((await subprocess.stderr!.readUntil('\n')).toString()).toBe('hello\n');
    subprocess.stderr!.close();
  });

  it('runs the exit callback on the IOLoop with the return code (test_sigchild)', async () => {
    Subprocess.initialize();
    try {
      const subprocess = start([node, '-e', '']);
      const code = await new Promise<number>((resolve) => subprocess.setExitCallback(resolve));
      expect(code).toBe(0);
      expect(subprocess.returncode).toBe(code);
    } finally {
      Subprocess.uninitialize();
    }
  });

  it('resolves waitForExit with the return code (test_sigchild_future)', async () => {
    const subprocess = start([node, '-e', '']);
    const code = await subprocess.waitForExit();
    expect(code).toBe(0);
    expect(subprocess.returncode).toBe(code);
  });

  it('reports a child ended by a signal as minus the signal number (test_sigchild_signal)', async () => {
    const subprocess = start([node, '-e', 'setTimeout(() => {}, 30000)'], {
      stdout: Subprocess.STREAM,
    });
    const exited = new Promise<number>((resolve) => subprocess.setExitCallback(resolve));
    process.kill(subprocess.pid!, 'SIGTERM');
    const code = await exited;
    expect(code).toBe(-15);
    expect(subprocess.returncode).toBe(code);
    // Its standard output ends with it.
    expect((await subprocess.stdout!.readUntilClose()).length).toBe(0);
  });

  it('fails waitForExit with CalledProcessError on a non-zero status (test_wait_for_exit_raise)', async () => {
    const subprocess = start([node, '-e', 'process.exit(1)']);
    const error = await failureOf(subprocess.waitForExit());
    expect(error).toBeInstanceOf(CalledProcessError);
    expect((error as CalledProcessError).returncode).toBe(1);
    expect((error as CalledProcessError).cmd).toEqual([node, '-e', 'process.exit(1)']);
    expect((error as Error).message).toContain('returned non-zero exit status 1');
  });

  it('resolves waitForExit(false) with a non-zero status (test_wait_for_exit_raise_disabled)', async () => {
    const subprocess = start([node, '-e', 'process.exit(1)']);
    expect(await subprocess.waitForExit(false)).toBe(1);
  });
});

describe('Subprocess', () => {
  it('gives every waitForExit call the outcome, also after the exit, and names the signal', async () => {
    const subprocess = start([node, '-e', 'setTimeout(() => {}, 30000)']);
    const first = subprocess.waitForExit(false);
    const second = subprocess.waitForExit();
    subprocess.proc.kill('SIGKILL');
    expect(await first).toBe(-9);
    const error = await failureOf(second);
    expect((error as CalledProcessError).returncode).toBe(-9);
    expect((error as Error).message).toContain('died with signal SIGKILL');
    expect(await subprocess.waitForExit(false)).toBe(-9);
  });

  it('runs an exit callback set after the exit, once', async () => {
    const subprocess = start([node, '-e', 'process.exit(3)']);
    await subprocess.waitForExit(false);
    const codes: number[] = [];
    await new Promise<void>((resolve) =>
      subprocess.setExitCallback((code) => {
        codes.push(code);
        resolve();
      }),
    );
    expect(codes).toEqual([3]);
  });

  it('joins more output than a pipe holds from both streams into STREAM stdout, losing nothing', async () => {
    const script =
      "process.stdout.write('o'.repeat(1 << 18)); process.stderr.write('e'.repeat(1 << 18));";
    const subprocess = start([node, '-e', script], {
      stdout: Subprocess.STREAM,
      stderr: Subprocess.STDOUT,
    });
    const text = (await subprocess.stdout!.readUntilClose()).toString();
    expect(text.length).toBe(1 << 19);
    expect(text.replaceAll('e', '')).toBe('o'.repeat(1 << 18));
    expect(await subprocess.waitForExit()).toBe(0);
  });

  it('writes to a STREAM stdin and reads the child’s STREAM stdout and stderr apart', async () => {
    const script =
      "process.stdin.on('data', (d) => { process.stdout.write('out:' + d); process.stderr.write('err:' + d); });";
    const subprocess = start([node, '-e', script], {
      stdin: Subprocess.STREAM,
      stdout: Subprocess.STREAM,
      stderr: Subprocess.STREAM,
    });
    expect(subprocess.stdout!.fileno()).toBeGreaterThan(2);
    void subprocess.stdin!.write('x\n');
    expect((await subprocess.stdout!.readUntil('\n')).toString()).toBe('out:x\n');
    expect((await subprocess.stderr!.readUntil('\n')).toString()).toBe('err:x\n');
    subprocess.stdin!.close();
    expect(await subprocess.waitForExit()).toBe(0);
  });

  it('fails waitForExit and closes its streams when the program cannot be started', async () => {
    const subprocess = start(['/nonexistent/tronada-no-such-program'], {
      stdout: Subprocess.STREAM,
    });
    expect(subprocess.pid).toBeNull();
    const error = await failureOf(subprocess.waitForExit(false));
    expect((error as NodeJS.ErrnoException).code).toBe('ENOENT');
    expect((await subprocess.stdout!.readUntilClose()).length).toBe(0);
    expect(subprocess.stdout!.closed()).toBe(true);
  });

  it('refuses a bad command or a misplaced STDOUT with a TypeError', () => {
    expect(() => new Subprocess([])).toThrow(TypeError);
    expect(() => new Subprocess([node], { stdout: Subprocess.STDOUT as never })).toThrow(
      /stderr only/,
    );
    expect(() => new Subprocess([node], { stdout: 'pipe', stderr: Subprocess.STDOUT })).toThrow(
      /Subprocess.STREAM/,
    );
  });
});
