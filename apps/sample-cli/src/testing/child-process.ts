/**
 * startProcess: a child process that is ready once its output says so, and that is always
 * ended by its PID within a bounded time.
 */
import { type ChildProcess, spawn } from 'node:child_process';

/** A started child process. */
export interface StartedProcess {
  /** The process (its `pid` is what {@link StartedProcess.stop} signals). */
  readonly child: ChildProcess;
  /** What `ready` matched in its output. */
  readonly match: RegExpExecArray;
  /** Everything it printed so far (stdout and stderr), for failure messages. */
  output(): string;
  /** Sends `signal` (SIGTERM by default), then SIGKILL if it has not exited within 5 s. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** Options of {@link startProcess}. */
export interface StartProcessOptions {
  /** Matched against everything the process printed; the process is ready on the first match. */
  readonly ready: RegExp;
  /** How long to wait for `ready` (default 15 s) before stopping it and failing. */
  readonly timeout?: number;
}

/**
 * Starts `command` with `args` and resolves once its output matches `ready`. It rejects (after
 * ending the process) when the process exits first or `timeout` seconds pass, with its output
 * in the message.
 */
export function startProcess(
  command: string,
  args: readonly string[],
  options: StartProcessOptions,
): Promise<StartedProcess> {
  const child = spawn(command, [...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  async function stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
    process.kill(child.pid, signal);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(true), 5_000);
    });
    const tooLate = await Promise.race([exited.then(() => false), late]);
    clearTimeout(timer);
    if (tooLate && child.exitCode === null && child.signalCode === null) {
      process.kill(child.pid, 'SIGKILL');
      await exited;
    }
  }
  return new Promise((resolve, reject) => {
    const fail = (why: string) => {
      clearTimeout(timer);
      void stop('SIGKILL').then(() => reject(new Error(`${command} ${why}; it printed:\n${out}`)));
    };
    const timer = setTimeout(
      () => fail(`did not print ${options.ready} within ${options.timeout ?? 15} s`),
      (options.timeout ?? 15) * 1000,
    );
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const match = options.ready.exec(out);
      if (match === null) return;
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.stderr?.off('data', onData);
      // Keep draining, so a chatty process never blocks on a full pipe.
      child.stdout?.on('data', (more: Buffer) => {
        out += more.toString();
      });
      child.stderr?.on('data', (more: Buffer) => {
        out += more.toString();
      });
      resolve({ child, match, output: () => out, stop });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('error', (error) => fail(`could not start (${error.message})`));
    child.once('exit', (code, signal) => fail(`exited (${signal ?? code}) before it was ready`));
  });
}
