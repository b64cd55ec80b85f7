/**
 * ForkSupervisor: the primary process's side of `forkProcesses`, with the process creation
 * passed in, so the restart rules are tested without starting processes.
 *
 * Rules (Tornado's `fork_processes`): every task id gets one child; a child that dies by a
 * signal or exits with a non-zero code is restarted with the same task id; a child that exits
 * with 0 is done and not restarted; more than `maxRestarts` restarts in total fail the
 * supervisor; when every child is done, the supervisor is done.
 */
import { Future, genLog } from '@tronada/ioloop';
import { TooManyRestartsError } from './network-errors.js';

/** A started child, as the supervisor sees it. */
export interface SupervisedChild {
  /** The child's process id, for log lines. */
  readonly pid: number | undefined;
  /** Registers the one call made when the child has exited. */
  onExit(listener: (code: number | null, signal: string | null) => void): void;
}

/** Options of {@link ForkSupervisor}. */
export interface ForkSupervisorOptions {
  /** How many children (task ids 0 to count - 1). */
  readonly count: number;
  /** How many abnormal exits are restarted in total before giving up. */
  readonly maxRestarts: number;
  /** Starts the child for `taskId`. */
  readonly spawn: (taskId: number) => SupervisedChild;
}

/**
 * Keeps `count` children running under Tornado's restart rules.
 *
 * @see Tornado `tornado.process.fork_processes` (the parent's wait loop)
 */
export class ForkSupervisor {
  readonly #options: ForkSupervisorOptions;
  readonly #running = new Map<SupervisedChild, number>();
  readonly #done = new Future<void>();
  #restarts = 0;

  constructor(options: ForkSupervisorOptions) {
    this.#options = options;
  }

  /** Resolves when every child exited with 0; fails with `TooManyRestartsError`. */
  get done(): Future<void> {
    return this.#done;
  }

  /** How many restarts happened so far. */
  get restarts(): number {
    return this.#restarts;
  }

  /** The task ids of the children running now, ascending. */
  get runningTaskIds(): number[] {
    return [...this.#running.values()].sort((a, b) => a - b);
  }

  /** Starts the children. */
  start(): void {
    genLog.info(`Starting ${this.#options.count} processes`);
    for (let id = 0; id < this.#options.count; id++) this.#startChild(id);
  }

  #startChild(id: number): void {
    const child = this.#options.spawn(id);
    this.#running.set(child, id);
    child.onExit((code, signal) => this.#childExited(child, code, signal));
  }

  #childExited(child: SupervisedChild, code: number | null, signal: string | null): void {
    const id = this.#running.get(child);
    if (id === undefined) return;
    this.#running.delete(child);
    if (this.#done.done()) return;
    const pid = child.pid ?? '?';
    if (signal !== null) {
      genLog.warn(`child ${id} (pid ${pid}) killed by signal ${signal}, restarting`);
    } else if (code !== 0) {
      genLog.warn(`child ${id} (pid ${pid}) exited with status ${code}, restarting`);
    } else {
      genLog.info(`child ${id} (pid ${pid}) exited normally`);
      if (this.#running.size === 0) this.#done.setResult(undefined);
      return;
    }
    this.#restarts++;
    if (this.#restarts > this.#options.maxRestarts) {
      this.#done.setException(new TooManyRestartsError(this.#options.maxRestarts));
      return;
    }
    this.#startChild(id);
  }
}
