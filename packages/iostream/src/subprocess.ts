/**
 * Subprocess: a child process whose standard streams can be IOStreams (Tornado's
 * `tornado.process.Subprocess`), on `node:child_process`.
 */
import { type ChildProcess, type SpawnOptions, type StdioNull, spawn } from 'node:child_process';
import { closeSync } from 'node:fs';
import type * as net from 'node:net';
import { constants } from 'node:os';
import { Future, futureSetResultUnlessCancelled, IOLoop } from '@tronada/ioloop';
import { openFifoPair } from './fifo-pair.js';
import { CalledProcessError } from './network-errors.js';
import { PipeIOStream } from './pipe-iostream.js';

/** Give the child's stream to the parent as a {@link PipeIOStream}. */
const STREAM: unique symbol = Symbol('Subprocess.STREAM');
/** Send the child's standard error where its standard output goes (for `stderr` only). */
const STDOUT: unique symbol = Symbol('Subprocess.STDOUT');

/**
 * Where one of the child's standard streams goes: {@link Subprocess.STREAM}, or what
 * `child_process.spawn` takes (`'inherit'`, `'ignore'`, `'pipe'`, a descriptor of this process).
 */
export type SubprocessStdio = typeof STREAM | 'inherit' | 'ignore' | 'pipe' | number;

/** Options of a {@link Subprocess}: `spawn`'s (but `stdio`), and where each stream goes. */
export interface SubprocessOptions extends Omit<SpawnOptions, 'stdio'> {
  /** The child's standard input. Default `'inherit'` (this process's), as Python's `Popen`. */
  stdin?: SubprocessStdio | undefined;
  /** The child's standard output. Default `'inherit'`. */
  stdout?: SubprocessStdio | undefined;
  /** The child's standard error; {@link Subprocess.STDOUT} joins it to standard output. */
  stderr?: SubprocessStdio | typeof STDOUT | undefined;
}

/** Called with the child's return code once it exited. */
export type ExitCallback = (returncode: number) => void;

type SpawnStdio = 'inherit' | 'ignore' | 'pipe' | number | StdioNull;

/**
 * A child process started at once from `args` (program, then arguments; no shell), with
 * IOStreams for the standard streams given {@link Subprocess.STREAM}. The caller closes those
 * streams when done with them. `stderr: Subprocess.STDOUT` sends standard error into standard
 * output (one pipe for both when that is a STREAM).
 *
 * Node reaps children itself, so no `SIGCHLD` handler is installed: `initialize` and
 * `uninitialize` are there for Tornado code and do nothing. A program that cannot be started
 * fails {@link waitForExit} with Node's spawn error, and its STREAM streams close with it.
 *
 * @see Tornado `tornado.process.Subprocess`
 */
export class Subprocess {
  /** Give the child's stream to the parent as a {@link PipeIOStream}. */
  static readonly STREAM: typeof STREAM = STREAM;
  /** Send the child's standard error where its standard output goes. */
  static readonly STDOUT: typeof STDOUT = STDOUT;

  /** The IOLoop current when the process was started; exit callbacks run on it. */
  readonly ioLoop: IOLoop;
  /** Node's child process. Streams given `'pipe'` are `proc.stdin`, `proc.stdout`, `proc.stderr`. */
  readonly proc: ChildProcess;
  /** The child's process id (`null` if it could not be started). */
  readonly pid: number | null;
  /** The child's standard input as a stream, when given {@link Subprocess.STREAM}. */
  readonly stdin: PipeIOStream | null = null;
  /** The child's standard output as a stream, when given {@link Subprocess.STREAM}. */
  readonly stdout: PipeIOStream | null = null;
  /** The child's standard error as a stream, when given {@link Subprocess.STREAM}. */
  readonly stderr: PipeIOStream | null = null;
  /**
   * The exit status once the child exited, or minus the number of the signal that ended it;
   * `null` before.
   */
  returncode: number | null = null;

  readonly #args: readonly string[];
  #signal: string | null = null;
  #spawnError: Error | null = null;
  #exitCallback: ExitCallback | null = null;
  #waiters: Array<{ future: Future<number>; raiseError: boolean }> = [];

  constructor(args: readonly string[], options: SubprocessOptions = {}) {
    if (!Array.isArray(args) || args.length === 0 || !args.every((a) => typeof a === 'string')) {
      throw new TypeError('Subprocess needs the program and its arguments as an array of strings');
    }
    const { stdin = 'inherit', stdout = 'inherit', stderr = 'inherit', ...spawnOptions } = options;
    // Refused by the types, but plain JavaScript callers get a clear error too.
    if ((stdin as unknown) === STDOUT || (stdout as unknown) === STDOUT) {
      throw new TypeError('Subprocess.STDOUT is for stderr only');
    }
    this.ioLoop = IOLoop.current();
    this.#args = [...args];
    const stdio: SpawnStdio[] = [toSpawn(stdin), toSpawn(stdout), 'inherit'];
    // One pipe for both output streams: made here, as Node's 'pipe' gives each stream its own.
    let joined: { readFd: number; writeFd: number } | null = null;
    if (stderr === STDOUT) {
      if (stdout === 'pipe') {
        throw new TypeError(
          "stderr: Subprocess.STDOUT with stdout: 'pipe' is not supported; use stdout: Subprocess.STREAM",
        );
      }
      if (stdout === STREAM) {
        joined = openFifoPair();
        stdio[1] = joined.writeFd;
        stdio[2] = joined.writeFd;
      } else {
        stdio[2] = stdout === 'inherit' ? 1 : stdout;
      }
    } else {
      stdio[2] = toSpawn(stderr);
    }
    let proc: ChildProcess;
    try {
      proc = spawn(args[0]!, args.slice(1), { ...spawnOptions, stdio });
    } catch (error) {
      if (joined !== null) {
        closeSync(joined.readFd);
        closeSync(joined.writeFd);
      }
      throw error;
    }
    // The child has its copy of the write end; the parent's would keep the pipe from ending.
    if (joined !== null) closeSync(joined.writeFd);
    this.proc = proc;
    this.pid = proc.pid ?? null;
    if (stdin === STREAM) this.stdin = pipeStream(proc.stdin);
    if (joined !== null) this.stdout = new PipeIOStream(joined.readFd, { writable: false });
    else if (stdout === STREAM) this.stdout = pipeStream(proc.stdout);
    if (stderr === STREAM) this.stderr = pipeStream(proc.stderr);
    proc.once('exit', (code, signal) => this.#exited(code, signal));
    proc.on('error', (error) => {
      // Only a failure to start matters here; a failed kill() is the caller's to see.
      if (this.pid === null && this.#spawnError === null) this.#failedToStart(error);
    });
  }

  /**
   * Runs `callback(returncode)` on the IOLoop once the child exited (soon, if it has already).
   * A later call replaces the callback.
   *
   * @see Tornado `Subprocess.set_exit_callback`
   */
  setExitCallback(callback: ExitCallback): void {
    this.#exitCallback = callback;
    if (this.returncode !== null) this.#runExitCallback();
  }

  /**
   * A Future of the return code, resolved once the child exited. With `raiseError` (the
   * default) a non-zero code fails it with {@link CalledProcessError}. Independent of
   * {@link setExitCallback}: any number of calls each get the outcome.
   *
   * @see Tornado `Subprocess.wait_for_exit`
   */
  waitForExit(raiseError = true): Future<number> {
    const future = new Future<number>();
    if (this.#spawnError !== null) future.setException(this.#spawnError);
    else if (this.returncode !== null) this.#settle(future, raiseError);
    else this.#waiters.push({ future, raiseError });
    return future;
  }

  /**
   * Tornado installs its `SIGCHLD` handler here. Node reaps child processes itself, so this
   * does nothing; it exists for code written for Tornado.
   *
   * @see Tornado `Subprocess.initialize`
   */
  static initialize(): void {}

  /**
   * The counterpart of {@link initialize}; does nothing.
   *
   * @see Tornado `Subprocess.uninitialize`
   */
  static uninitialize(): void {}

  #exited(code: number | null, signal: NodeJS.Signals | null): void {
    this.#signal = signal;
    this.returncode = code ?? -(signal !== null ? (constants.signals[signal] ?? 0) : 0);
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const { future, raiseError } of waiters) this.#settle(future, raiseError);
    if (this.#exitCallback !== null) this.#runExitCallback();
  }

  #runExitCallback(): void {
    const callback = this.#exitCallback!;
    this.#exitCallback = null;
    this.ioLoop.addCallback(callback, this.returncode!);
  }

  #settle(future: Future<number>, raiseError: boolean): void {
    if (future.done()) return;
    const code = this.returncode!;
    if (code !== 0 && raiseError)
      future.setException(new CalledProcessError(code, this.#args, this.#signal));
    else futureSetResultUnlessCancelled(future, code);
  }

  #failedToStart(error: Error): void {
    this.#spawnError = error;
    for (const stream of [this.stdin, this.stdout, this.stderr]) stream?.close(error);
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const { future } of waiters) if (!future.done()) future.setException(error);
  }
}

function toSpawn(stdio: SubprocessStdio): SpawnStdio {
  if (stdio === STREAM) return 'pipe';
  if (stdio === 'inherit' || stdio === 'ignore' || stdio === 'pipe') return stdio;
  if (Number.isSafeInteger(stdio) && stdio >= 0) return stdio;
  throw new TypeError(
    `Subprocess stdio must be Subprocess.STREAM, 'inherit', 'ignore', 'pipe' or a descriptor, got ${String(stdio)}`,
  );
}

function pipeStream(socket: unknown): PipeIOStream | null {
  return socket == null ? null : new PipeIOStream(socket as net.Socket);
}
