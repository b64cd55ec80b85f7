/**
 * Executors run blocking work away from the loop. Closures cannot cross threads in Node, so a
 * task for a thread pool names a module and an export (`{ module, name }`) and takes cloneable
 * arguments; the {@link InlineExecutor} also takes plain functions, for code that only needs
 * the Future shape.
 */
import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { Future } from './future.js';

/** A function exported by a module: what a worker thread can import and call. */
export interface TaskRef {
  /** A `file:` URL, an absolute path, or a package name the worker can import. */
  readonly module: string | URL;
  /** The export to call; it may be async. */
  readonly name: string;
}

/** A task an executor accepts: a module export, or (inline executor only) a function. */
export type ExecutorTask<A extends unknown[] = unknown[], R = unknown> =
  | TaskRef
  | ((...args: A) => R | PromiseLike<R>);

/**
 * Runs tasks and reports each result as a Future.
 *
 * @see Tornado `concurrent.futures.Executor` as used by `IOLoop.run_in_executor`
 */
export interface Executor {
  submit<A extends unknown[], R>(task: ExecutorTask<A, R>, args: A): Future<R>;
  /** Stops accepting tasks and releases threads; resolves when done. */
  shutdown(): Promise<void>;
}

function moduleUrl(module: string | URL): string {
  if (module instanceof URL) return module.href;
  if (module.startsWith('/')) return pathToFileURL(module).href;
  return module;
}

/**
 * Runs each task at once on the calling thread and returns a done Future.
 *
 * @see Tornado `tornado.concurrent.DummyExecutor`
 */
export class InlineExecutor implements Executor {
  submit<A extends unknown[], R>(task: ExecutorTask<A, R>, args: A): Future<R> {
    const future = new Future<R>();
    const settle = (value: R | PromiseLike<R>): void => {
      if (typeof (value as PromiseLike<R>)?.then === 'function') {
        (value as PromiseLike<R>).then(
          (v) => future.setResult(v),
          (e: unknown) => future.setException(e),
        );
      } else {
        future.setResult(value as R);
      }
    };
    try {
      if (typeof task === 'function') {
        settle(task(...args));
      } else {
        import(moduleUrl(task.module))
          .then((mod: Record<string, unknown>) => {
            const fn = mod[task.name];
            if (typeof fn !== 'function')
              throw new TypeError(
                `${task.name} is not a function export of ${String(task.module)}`,
              );
            settle((fn as (...a: A) => R | PromiseLike<R>)(...args));
          })
          .catch((e: unknown) => future.setException(e));
      }
    } catch (error) {
      future.setException(error);
    }
    return future;
  }

  async shutdown(): Promise<void> {}
}

/** Source of each pool thread: import the module, call the export, post the outcome back. */
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
parentPort.on('message', async (msg) => {
  try {
    const mod = await import(msg.module);
    const fn = mod[msg.name];
    if (typeof fn !== 'function') throw new TypeError(msg.name + ' is not a function export of ' + msg.module);
    const value = await fn(...msg.args);
    parentPort.postMessage({ id: msg.id, ok: true, value });
  } catch (error) {
    try {
      parentPort.postMessage({ id: msg.id, ok: false, error });
    } catch {
      parentPort.postMessage({ id: msg.id, ok: false, error: new Error(String(error && error.stack || error)) });
    }
  }
});
`;

interface Job {
  readonly id: number;
  readonly module: string;
  readonly name: string;
  readonly args: unknown[];
  readonly future: Future<unknown>;
}

interface PoolThread {
  readonly worker: Worker;
  job: Job | null;
}

/** Options of {@link ThreadPoolExecutor}. */
export interface ThreadPoolOptions {
  /** Most threads at once; default: the number of CPUs. */
  maxWorkers?: number;
}

/**
 * A pool of `worker_threads` that runs `{ module, name }` tasks with cloneable arguments and
 * results. Threads start on demand, one task each at a time; idle threads do not keep the
 * process alive. A task that crashes its thread fails its own Future only.
 *
 * @see Tornado `concurrent.futures.ThreadPoolExecutor`
 */
export class ThreadPoolExecutor implements Executor {
  /** The most threads this pool runs at once. */
  readonly maxWorkers: number;
  #threads: PoolThread[] = [];
  #queue: Job[] = [];
  #nextId = 0;
  #shutdown = false;

  constructor(options: ThreadPoolOptions = {}) {
    this.maxWorkers = Math.max(1, options.maxWorkers ?? availableParallelism());
  }

  submit<A extends unknown[], R>(task: ExecutorTask<A, R>, args: A): Future<R> {
    if (typeof task === 'function') {
      throw new TypeError(
        'ThreadPoolExecutor runs { module, name } tasks: a function cannot move to another thread. Export it from a module, or use InlineExecutor.',
      );
    }
    if (this.#shutdown) throw new Error('ThreadPoolExecutor: cannot submit after shutdown()');
    const future = new Future<R>();
    const job: Job = {
      id: this.#nextId++,
      module: moduleUrl(task.module),
      name: task.name,
      args,
      future: future as Future<unknown>,
    };
    this.#queue.push(job);
    this.#pump();
    return future;
  }

  async shutdown(): Promise<void> {
    this.#shutdown = true;
    const threads = this.#threads.splice(0);
    for (const t of threads) t.job?.future.cancel('executor shut down');
    for (const job of this.#queue.splice(0)) job.future.cancel('executor shut down');
    await Promise.all(threads.map((t) => t.worker.terminate()));
  }

  #pump(): void {
    while (this.#queue.length > 0) {
      let thread = this.#threads.find((t) => t.job === null);
      if (thread === undefined) {
        if (this.#threads.length >= this.maxWorkers) return;
        thread = this.#spawn();
      }
      const job = this.#queue.shift()!;
      thread.job = job;
      thread.worker.ref();
      try {
        thread.worker.postMessage({
          id: job.id,
          module: job.module,
          name: job.name,
          args: job.args,
        });
      } catch (error) {
        thread.job = null;
        thread.worker.unref();
        job.future.setException(error);
      }
    }
  }

  #spawn(): PoolThread {
    const worker = new Worker(WORKER_SOURCE, { eval: true });
    const thread: PoolThread = { worker, job: null };
    worker.unref();
    worker.on('message', (msg: { id: number; ok: boolean; value?: unknown; error?: unknown }) => {
      const job = thread.job;
      if (job === null || job.id !== msg.id) return;
      thread.job = null;
      worker.unref();
      if (!job.future.done()) {
        if (msg.ok) job.future.setResult(msg.value);
        else job.future.setException(msg.error);
      }
      this.#pump();
    });
    const fail = (error: Error): void => {
      const i = this.#threads.indexOf(thread);
      if (i >= 0) this.#threads.splice(i, 1);
      const job = thread.job;
      thread.job = null;
      if (job !== null && !job.future.done()) job.future.setException(error);
      if (!this.#shutdown) this.#pump();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => {
      if (!this.#shutdown) fail(new Error(`executor thread exited with code ${code}`));
    });
    this.#threads.push(thread);
    return thread;
  }
}
