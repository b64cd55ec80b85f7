/**
 * The IOLoop: Tornado's scheduling contract on top of Node's own event loop (libuv), not a second
 * poller.
 *
 * - Callbacks (`addCallback`) run FIFO in batches, one batch per libuv turn (`setImmediate`); a
 *   callback added while a batch runs waits for the next turn.
 * - Timers (`callAt`, `callLater`, `addTimeout`) live in one heap and drive a single wake-up on
 *   the loop's {@link Clock}; due timers run in deadline order, ties in insertion order, and a
 *   removed timer never runs.
 * - Callbacks run whether or not `start()` was called, as Node code expects; `start()` keeps the
 *   process alive until `stop()`, as Tornado code expects.
 * - Exceptions escaping a callback are logged on `appLog` and never stop the loop.
 */

import { CallbackQueue } from './callback-queue.js';
import type { Clock } from './clock.js';
import { systemClock } from './clock.js';
import { BadYieldError, IOLoopStateError, TimeoutError } from './errors.js';
import type { Executor, ExecutorTask } from './executor.js';
import { ThreadPoolExecutor } from './executor.js';
import { Future, isFuture } from './future.js';
import { toFuture } from './future-helpers.js';
import { isGeneratorObject, isThenable } from './guards.js';
import type { HandlerTarget, IOHandler } from './handlers.js';
import { HandlerTable, IOLoopEvents } from './handlers.js';
import { reportCallbackError } from './report-error.js';
import { runInNullContext, setImmediateOutsideContext, wrap } from './stack-context.js';
import type { TimerEntry } from './timer-queue.js';
import { TimerQueue } from './timer-queue.js';

/** Options for `new IOLoop()`. */
export interface IOLoopOptions {
  /** The time source; default {@link systemClock}. Pass a `VirtualClock` in tests. */
  clock?: Clock;
  /** Make the new loop `IOLoop.current()` at once; default false. */
  makeCurrent?: boolean;
}

/** Opaque handle of a scheduled timeout, for {@link IOLoop.removeTimeout}. */
export type TimeoutHandle = TimerEntry;

/** Options of {@link IOLoop.runSync}. */
export interface RunSyncOptions {
  /** Seconds before the run fails with a `TimeoutError` (and its Future is cancelled). */
  timeout?: number;
}

type AnyFn = (...args: unknown[]) => unknown;

let currentLoop: IOLoop | null = null;

/**
 * An event loop in Tornado's shape: callbacks, timers, I/O handlers and executors, one current
 * loop per thread.
 *
 * @see Tornado `tornado.ioloop.IOLoop`
 */
export class IOLoop {
  /** No events. */
  static readonly NONE = IOLoopEvents.NONE;
  /** The handle has data to read (or reached its end). */
  static readonly READ = IOLoopEvents.READ;
  /** The handle accepts writes without buffering past its high-water mark. */
  static readonly WRITE = IOLoopEvents.WRITE;
  /** The handle failed or closed. */
  static readonly ERROR = IOLoopEvents.ERROR;

  readonly #clock: Clock;
  readonly #callbacks = new CallbackQueue();
  readonly #timers = new TimerQueue();
  readonly #handlers: HandlerTable;
  #immediate: NodeJS.Immediate | null = null;
  #armedDeadline = Number.POSITIVE_INFINITY;
  #disarm: (() => void) | null = null;
  #executor: Executor | null = null;
  #ownsExecutor = false;
  #closed = false;
  #running: Future<void> | null = null;
  #previousCurrent: IOLoop | null = null;
  #releaseRun: (() => void) | null = null;
  readonly #runs = new Set<Future<unknown>>();
  #stopRequested = false;
  #holds = 0;
  #keepAlive: NodeJS.Timeout | null = null;
  #unobserve: (() => void) | null = null;

  constructor(options: IOLoopOptions = {}) {
    this.#clock = options.clock ?? systemClock;
    this.#handlers = new HandlerTable((fn) => this.addCallback(fn));
    const observable = this.#clock as Clock & { observe?: (busy: () => boolean) => () => void };
    if (typeof observable.observe === 'function') {
      this.#unobserve = observable.observe(() => this.#callbacks.length > 0);
    }
    if (options.makeCurrent === true) this.makeCurrent();
  }

  /**
   * The current loop of this thread, created on first use. With `instance: false`, returns
   * `null` instead of creating one.
   *
   * @see Tornado `IOLoop.current`
   */
  static current(): IOLoop;
  static current(instance: false): IOLoop | null;
  static current(instance = true): IOLoop | null {
    if (currentLoop === null && instance) currentLoop = new IOLoop();
    return currentLoop;
  }

  /** Alias of {@link IOLoop.current}. @see Tornado `IOLoop.instance` */
  static instance(): IOLoop {
    return IOLoop.current();
  }

  /** Forgets the current loop; the next `current()` creates a new one. @see Tornado `IOLoop.clear_current` */
  static clearCurrent(): void {
    currentLoop = null;
  }

  /** Makes this loop `IOLoop.current()` (tests do this with a loop of their own). @see Tornado `IOLoop.make_current` */
  makeCurrent(): void {
    if (this.#closed) throw new IOLoopStateError('Cannot make a closed IOLoop current');
    currentLoop = this;
  }

  /** True after {@link close}. */
  get closed(): boolean {
    return this.#closed;
  }

  /** The loop's clock. */
  get clock(): Clock {
    return this.#clock;
  }

  /** Callbacks waiting for the next iteration. */
  get pendingCallbacks(): number {
    return this.#callbacks.length;
  }

  /** Timeouts waiting to fire. */
  get pendingTimeouts(): number {
    return this.#timers.size;
  }

  /** Handles registered with {@link addHandler}. */
  get handlerCount(): number {
    return this.#handlers.size;
  }

  /** True between {@link start} and {@link stop}. */
  get running(): boolean {
    return this.#running !== null;
  }

  /**
   * The loop's current time in seconds (a float), on the scale `callAt` uses. Monotonic; with
   * the system clock it is close to `Date.now() / 1000`.
   *
   * @see Tornado `IOLoop.time`
   */
  time(): number {
    return this.#clock.now();
  }

  /**
   * Runs `callback(...args)` on the next loop iteration. Callbacks run in the order added. If it
   * returns a Promise or Future that fails, the failure is logged. Calling this on a closed loop
   * does nothing, as in Tornado.
   *
   * @see Tornado `IOLoop.add_callback`
   */
  addCallback<A extends unknown[]>(callback: (...args: A) => unknown, ...args: A): void {
    if (this.#closed) return;
    this.#callbacks.push(wrap(callback) as AnyFn, args.length === 0 ? undefined : args);
    if (this.#immediate === null) this.#scheduleDispatch();
  }

  /**
   * Like {@link addCallback}, but the callback runs outside any stack context: use it to start
   * independent work (`spawnCallback(coroutineFn)`).
   *
   * @see Tornado `IOLoop.spawn_callback`
   */
  spawnCallback<A extends unknown[]>(callback: (...args: A) => unknown, ...args: A): void {
    runInNullContext(() => this.addCallback(callback, ...args));
  }

  /**
   * Runs `callback(future)` on the loop iteration after `future` is done. Accepts a Future or
   * any Promise/thenable (converted to a Future, which the callback receives).
   *
   * @see Tornado `IOLoop.add_future`
   */
  addFuture<T>(future: Future<T> | PromiseLike<T>, callback: (future: Future<T>) => unknown): void {
    const f = toFuture(future);
    const bound = wrap(callback);
    f.addDoneCallback(() => this.addCallback(bound, f));
  }

  /**
   * Runs `callback(...args)` at `deadline`: an absolute loop time in seconds (as `time()`), or
   * `{ delay }`, relative seconds (Tornado's timedelta).
   *
   * @see Tornado `IOLoop.add_timeout`
   */
  addTimeout<A extends unknown[]>(
    deadline: number | { readonly delay: number },
    callback: (...args: A) => unknown,
    ...args: A
  ): TimeoutHandle {
    const when = typeof deadline === 'number' ? deadline : this.time() + deadline.delay;
    return this.callAt(when, callback, ...args);
  }

  /**
   * Runs `callback(...args)` after `delay` seconds. Timeouts with equal deadlines run in the
   * order they were added.
   *
   * @see Tornado `IOLoop.call_later`
   */
  callLater<A extends unknown[]>(
    delay: number,
    callback: (...args: A) => unknown,
    ...args: A
  ): TimeoutHandle {
    return this.#schedule(this.time() + delay, delay, callback as AnyFn, args);
  }

  /**
   * Runs `callback(...args)` when the loop time reaches `when` (seconds, as `time()`), never
   * earlier.
   *
   * @see Tornado `IOLoop.call_at`
   */
  callAt<A extends unknown[]>(
    when: number,
    callback: (...args: A) => unknown,
    ...args: A
  ): TimeoutHandle {
    return this.#schedule(when, undefined, callback as AnyFn, args);
  }

  /**
   * Cancels a pending timeout. A no-op for a handle that already fired or was removed.
   *
   * @see Tornado `IOLoop.remove_timeout`
   */
  removeTimeout(handle: TimeoutHandle | null | undefined): void {
    if (handle == null) return;
    if (this.#timers.remove(handle) && this.#timers.size === 0) this.#disarmWake();
  }

  /**
   * Calls `handler(handle, events)` whenever `handle` (a Node stream or socket) is ready for
   * one of `events` (`IOLoop.READ`, `WRITE`, `ERROR`, or'ed), level-triggered.
   *
   * @see Tornado `IOLoop.add_handler`
   */
  addHandler<H extends HandlerTarget>(handle: H, handler: IOHandler<H>, events: number): void {
    if (this.#closed) throw new IOLoopStateError('Cannot add a handler to a closed IOLoop');
    this.#handlers.add(handle, wrap(handler) as IOHandler, events);
  }

  /** Changes the events `handle` is watched for. @see Tornado `IOLoop.update_handler` */
  updateHandler(handle: HandlerTarget, events: number): void {
    this.#handlers.update(handle, events);
  }

  /** Stops watching `handle`; a no-op if it is not watched. @see Tornado `IOLoop.remove_handler` */
  removeHandler(handle: HandlerTarget): void {
    this.#handlers.remove(handle);
  }

  /**
   * Runs `fn`, waits for the Future or Promise it returns, and resolves with its result. While
   * it runs, the process stays alive and `IOLoop.current()` is this loop. With `timeout`
   * (seconds), fails with `TimeoutError` and cancels the returned Future when time runs out.
   * `fn` must return a Future, a Promise/thenable or `undefined`; anything else is a
   * `BadYieldError`, as in Tornado (wrap generator functions with `coroutine`). If the loop is
   * closed before the run finishes, the run fails with `IOLoopStateError`.
   *
   * @see Tornado `IOLoop.run_sync`
   */
  runSync<T>(fn: () => T | PromiseLike<T> | Future<T>, options: RunSyncOptions = {}): Future<T> {
    if (this.#closed) throw new IOLoopStateError('Cannot runSync on a closed IOLoop');
    const result = new Future<T>();
    const release = this.#hold();
    let inner: Future<unknown> | null = null;
    let timer: TimeoutHandle | null = null;
    const run = (): void => {
      let value: unknown;
      try {
        value = fn();
      } catch (error) {
        result.setException(error);
        return;
      }
      if (isThenable(value)) {
        if (isFuture(value)) inner = value;
        value.then(
          (v) => {
            if (!result.done()) result.setResult(v as T);
          },
          (e: unknown) => {
            if (!result.done()) result.setException(e);
          },
        );
      } else if (value === undefined) {
        result.setResult(undefined as T);
      } else {
        const hint = isGeneratorObject(value)
          ? ' (a generator: wrap the function with coroutine())'
          : '';
        result.setException(
          new BadYieldError(
            `runSync: the function returned ${String(value)}${hint}, which is not awaitable`,
          ),
        );
      }
    };
    this.addCallback(() => this.#asCurrent(run));
    const timeout = options.timeout;
    if (timeout !== undefined) {
      timer = this.callLater(timeout, () => {
        if (result.done()) return;
        inner?.cancel();
        result.setException(new TimeoutError(`Operation timed out after ${timeout} seconds`));
      });
    }
    this.#runs.add(result as Future<unknown>);
    result.addDoneCallback(() => {
      this.#runs.delete(result as Future<unknown>);
      this.removeTimeout(timer);
      release();
    });
    return result;
  }

  /**
   * Runs `task(...args)` on `executor` (or the loop's default, a thread pool) and returns a
   * Future of its result. Thread-pool tasks are `{ module, name }` references with cloneable
   * arguments; the inline executor also takes functions.
   *
   * @see Tornado `IOLoop.run_in_executor`
   */
  runInExecutor<A extends unknown[], R>(
    executor: Executor | null,
    task: ExecutorTask<A, R>,
    ...args: A
  ): Future<R> {
    const target = executor ?? this.#defaultExecutor();
    try {
      return target.submit(task, args);
    } catch (error) {
      return Future.rejected<R>(error);
    }
  }

  /** Sets the executor `runInExecutor(null, ...)` uses. @see Tornado `IOLoop.set_default_executor` */
  setDefaultExecutor(executor: Executor): void {
    if (this.#ownsExecutor) void this.#executor?.shutdown().catch(() => undefined);
    this.#executor = executor;
    this.#ownsExecutor = false;
  }

  /**
   * Marks the loop running and keeps the process alive until {@link stop}; the returned Future
   * resolves then. `IOLoop.current()` is this loop while it runs.
   *
   * @see Tornado `IOLoop.start`
   */
  start(): Future<void> {
    if (this.#closed) throw new IOLoopStateError('Cannot start a closed IOLoop');
    if (this.#running !== null) throw new IOLoopStateError('This IOLoop is already running');
    const running = new Future<void>();
    this.#running = running;
    this.#releaseRun = this.#hold();
    if (this.#stopRequested) {
      this.#stopRequested = false;
      this.addCallback(() => this.stop());
    }
    return running;
  }

  /**
   * Resolves the Future of {@link start} and lets the process exit when nothing else holds it.
   * Called before `start()`, the next `start()` runs one iteration and returns.
   *
   * @see Tornado `IOLoop.stop`
   */
  stop(): void {
    const running = this.#running;
    if (running === null) {
      this.#stopRequested = true;
      return;
    }
    this.#running = null;
    this.#releaseRun?.();
    this.#releaseRun = null;
    running.setResult(undefined);
  }

  /**
   * Closes the loop: pending callbacks and timeouts are dropped, handlers unregistered (and
   * their handles destroyed with `allFds`), the default thread pool shut down. Idempotent.
   *
   * @see Tornado `IOLoop.close`
   */
  close(allFds = false): void {
    if (this.#closed) return;
    if (this.#running !== null) this.stop();
    this.#closed = true;
    for (const run of this.#runs) {
      if (run.done()) continue;
      run.setException(new IOLoopStateError('The IOLoop was closed before runSync finished'));
    }
    this.#runs.clear();
    this.#callbacks.clear();
    if (this.#immediate !== null) clearImmediate(this.#immediate);
    this.#immediate = null;
    this.#timers.clear();
    this.#disarmWake();
    this.#handlers.closeAll(allFds);
    if (this.#ownsExecutor) void this.#executor?.shutdown().catch(() => undefined);
    this.#executor = null;
    this.#unobserve?.();
    if (this.#keepAlive !== null) clearInterval(this.#keepAlive);
    this.#keepAlive = null;
    if (currentLoop === this) currentLoop = null;
  }

  #schedule(
    when: number,
    delay: number | undefined,
    callback: AnyFn,
    args: readonly unknown[],
  ): TimeoutHandle {
    if (this.#closed) throw new IOLoopStateError('Cannot schedule a timeout on a closed IOLoop');
    if (Number.isNaN(when)) throw new RangeError('The timeout deadline is NaN');
    const fn = wrap(callback) as AnyFn;
    const entry = this.#timers.push(
      when,
      args.length === 0 ? (fn as () => void) : () => fn(...args),
      delay,
    );
    if (when < this.#armedDeadline) this.#arm();
    return entry;
  }

  #scheduleDispatch(): void {
    this.#immediate = setImmediateOutsideContext(this.#dispatch);
  }

  readonly #dispatch = (): void => {
    this.#immediate = null;
    // #runCallback never throws, so the current loop is restored without a try/finally.
    const previous = currentLoop;
    currentLoop = this;
    this.#callbacks.drain(this.#runCallback);
    if (currentLoop === this) currentLoop = previous;
  };

  readonly #runCallback = (fn: AnyFn, args: readonly unknown[] | undefined): void => {
    // A callback earlier in the same batch may have closed the loop: drop the rest, as close()
    // promises, instead of running them on a closed loop.
    if (this.#closed) return;
    try {
      const value = args === undefined ? fn() : fn(...args);
      // Most callbacks return undefined: test that first, before the thenable check.
      if (value !== undefined && isThenable(value)) {
        value.then(undefined, (error: unknown) => reportCallbackError(fn, error));
      }
    } catch (error) {
      reportCallbackError(fn, error);
    }
  };

  #arm(): void {
    const next = this.#timers.nextDeadline();
    this.#disarmWake();
    if (next === undefined) return;
    this.#armedDeadline = next;
    this.#disarm = runInNullContext(() => this.#clock.wakeAt(next, this.#onWake));
  }

  #disarmWake(): void {
    this.#disarm?.();
    this.#disarm = null;
    this.#armedDeadline = Number.POSITIVE_INFINITY;
  }

  readonly #onWake = (): void => {
    this.#disarm = null;
    this.#armedDeadline = Number.POSITIVE_INFINITY;
    if (this.#closed) return;
    // One batch: the timers due now that existed when it began. A timer added by a timer of
    // this batch waits for the next wake-up, even with a zero delay.
    const now = this.#clock.now();
    const limit = this.#timers.nextSeq;
    const previous = currentLoop;
    currentLoop = this;
    try {
      for (
        let entry = this.#timers.popDue(now, limit);
        entry !== undefined;
        entry = this.#timers.popDue(now, limit)
      ) {
        this.#runCallback(entry.callback as AnyFn, undefined);
        if (this.#closed) return;
      }
    } finally {
      if (currentLoop === this) currentLoop = previous;
    }
    if (this.#disarm === null) this.#arm();
  };

  #asCurrent(fn: () => void): void {
    const previous = currentLoop;
    currentLoop = this;
    try {
      fn();
    } finally {
      if (currentLoop === this) currentLoop = previous;
    }
  }

  /**
   * Marks the loop running (for `start()` or a `runSync`): keeps the process alive and makes this
   * loop `IOLoop.current()` until the last hold is released, so code that continues after an
   * `await` still finds this loop, as it would in Tornado's blocking `run_sync`. Releasing the
   * last hold restores the loop that was current before (unless it was closed meanwhile).
   */
  #hold(): () => void {
    if (this.#holds++ === 0) {
      this.#keepAlive = setInterval(() => undefined, 2 ** 30);
      this.#previousCurrent = currentLoop;
    }
    currentLoop = this;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      if (--this.#holds > 0) return;
      if (this.#keepAlive !== null) clearInterval(this.#keepAlive);
      this.#keepAlive = null;
      const previous = this.#previousCurrent;
      this.#previousCurrent = null;
      if (currentLoop !== this) return;
      currentLoop = previous !== null && !previous.closed ? previous : null;
    };
  }

  #defaultExecutor(): Executor {
    if (this.#executor === null) {
      this.#executor = new ThreadPoolExecutor();
      this.#ownsExecutor = true;
    }
    return this.#executor;
  }
}
