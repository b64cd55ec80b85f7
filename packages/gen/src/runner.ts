/**
 * Runner: drives one generator coroutine to completion.
 *
 * The algorithm is one loop with one re-entrancy flag. Each turn takes what the generator is
 * waiting for (a Future, a legacy YieldPoint, or an exception to deliver), and if that is
 * ready, sends its result (or throws its exception) into the generator, then converts whatever
 * the generator yields next. The loop keeps going in the same frame while the awaited thing is
 * already done, so a long chain of done Futures neither grows the stack nor touches the
 * microtask queue; only a pending Future makes it return, with a done callback that re-enters
 * `run()`. A re-entrant `run()` (a legacy callback fired synchronously from inside the
 * generator) returns at once: the active loop sees the new state on its next check.
 *
 * The legacy Tornado 3/4 bookkeeping (`registerCallback`, `isReady`, `setResult`,
 * `popResult`, `resultCallback`) lives here too, as it did on Tornado's Runner, for the
 * `Callback`/`Wait` yield points.
 */
import { AsyncResource, executionAsyncResource } from 'node:async_hooks';
import {
  CancelledError,
  Future,
  futureSetResultUnlessCancelled,
  IOLoop,
  isFuture,
  recordCoroutineTrace,
  wrap,
} from '@tronada/ioloop';
import { Arguments } from './arguments.js';
import { convertYielded, isPlainObject } from './convert-yielded.js';
import { KeyReuseError, LeakedCallbackError, UnknownKeyError } from './errors.js';
import { moment } from './moment.js';
import { MultiYieldPoint } from './multi-yield-point.js';
import type { YieldPoint } from './yield-point.js';
import { isYieldPoint } from './yield-point.js';

const START = Future.resolved<unknown>(undefined);
const NO_ERROR = Symbol('no error');

/** Turns the arguments a legacy callback got into the one value its `Wait` yields. */
function callbackValue(args: unknown[]): unknown {
  if (args.length === 0) return undefined;
  if (args.length === 1) return args[0];
  return new Arguments(args, {});
}

/** Legacy callback keys compare by value when they are arrays (Python tuples), else by identity. */
function keyOf(key: unknown): unknown {
  return Array.isArray(key) ? `\u0000tuple:${JSON.stringify(key)}` : key;
}

function describeKey(key: unknown): string {
  return typeof key === 'string'
    ? JSON.stringify(key)
    : Array.isArray(key)
      ? JSON.stringify(key)
      : String(key);
}

function traceDepth(error: unknown): number {
  let depth = 0;
  let holder = error as { cause?: unknown } | null;
  while (
    typeof holder === 'object' &&
    holder !== null &&
    Object.hasOwn(holder, 'cause') &&
    depth < 32
  ) {
    holder = holder.cause as { cause?: unknown } | null;
    depth++;
  }
  return depth;
}

function containsYieldPoint(value: readonly unknown[] | Record<string, unknown>): boolean {
  const children = Array.isArray(value) ? value : Object.values(value);
  return children.some(isYieldPoint);
}

/**
 * Runs a generator as a coroutine, settling `result` with its return value or exception.
 *
 * @see Tornado `tornado.gen.Runner`
 */
export class Runner<R> {
  /** The coroutine function's name, for traces. */
  readonly name: string;
  /** The loop `moment` yields go through. */
  readonly loop: IOLoop;
  readonly #gen: Generator<unknown, R, unknown>;
  readonly #result: Future<R>;
  #pending: Future<unknown> | null = START;
  #yieldPoint: YieldPoint | null = null;
  #error: unknown = NO_ERROR;
  #running = false;
  #finished = false;
  #listening: Future<unknown> | null = null;
  #hadException = false;
  #pendingCallbacks: Set<unknown> | null = null;
  #results: Map<unknown, unknown> | null = null;
  /** The async context of the first suspension; created then, so a coroutine that never waits pays nothing. */
  #context: AsyncResource | null = null;
  /** The execution resource current at the first suspension (what `#context` captured). */
  #contextResource: object | null = null;
  readonly #resume = (future: Future<unknown>): void => {
    // A callback from a Future the generator no longer waits for (an exception was delivered
    // meanwhile) must not resume it.
    if (future === this.#pending) this.run();
  };

  constructor(gen: Generator<unknown, R, unknown>, result: Future<R>, name = 'coroutine') {
    this.#gen = gen;
    this.#result = result;
    this.name = name;
    this.loop = IOLoop.current();
    result.setCancelHandler(this.#cancel);
  }

  /**
   * The result Future was cancelled: cancel what the generator waits for and throw a
   * `CancelledError` into it at its yield, so its `finally` blocks run (asyncio's task
   * cancellation).
   */
  readonly #cancel = (): void => {
    if (this.#finished) return;
    const waited = this.#pending;
    if (waited !== null && waited !== START && !waited.done()) waited.cancel();
    this.#error = new CancelledError();
    this.run();
  };

  /** True once the generator has returned or thrown. */
  get finished(): boolean {
    return this.#finished;
  }

  /**
   * Resumes the generator and keeps going, in this frame, while what it waits for is ready.
   * After the first suspension, every resumption runs in the async context (AsyncLocalStorage
   * stores) the coroutine was suspended in, whoever settled the Future it waited for: the
   * same rule as `await` in an async function.
   */
  run(): void {
    if (this.#running || this.#finished) return;
    const context = this.#context;
    // Resumed under the very resource it was suspended under (no async hooks in play, or the
    // same callback): the stores are the same objects, so entering the scope would change nothing.
    if (context === null || executionAsyncResource() === this.#contextResource) this.#drive();
    else context.runInAsyncScope(this.#drive, this);
  }

  /** Captures the async context at the first suspension. */
  #captureContext(): void {
    if (this.#context !== null) return;
    this.#context = new AsyncResource('TronadaCoroutine');
    this.#contextResource = executionAsyncResource();
  }

  #drive(): void {
    this.#running = true;
    try {
      for (;;) {
        let value: unknown;
        let failed = false;
        if (this.#error !== NO_ERROR) {
          value = this.#error;
          this.#error = NO_ERROR;
          this.#yieldPoint = null;
          this.#pending = null;
          failed = true;
        } else if (this.#yieldPoint !== null) {
          const point = this.#yieldPoint;
          try {
            if (!point.isReady()) {
              this.#captureContext();
              return;
            }
            value = point.getResult();
          } catch (error) {
            value = error;
            failed = true;
          }
          this.#yieldPoint = null;
        } else {
          const future = this.#pending!;
          if (!future.done()) {
            this.#captureContext();
            if (this.#listening !== future) {
              this.#listening = future;
              future.addDoneCallback(this.#resume);
            }
            return;
          }
          this.#pending = null;
          if (future.cancelled()) {
            value = new CancelledError();
            failed = true;
          } else {
            value = future.exception();
            if (value === null) value = future.result();
            else failed = true;
          }
        }
        if (!this.#step(value, failed)) return;
      }
    } finally {
      this.#running = false;
    }
  }

  /**
   * Delivers `error` into the generator at its current yield (used by legacy stack contexts for
   * an exception raised in a callback the coroutine scheduled). Returns false if the coroutine
   * already finished, or is running: then the exception was raised by code the generator
   * itself is executing and must propagate there, at the call (Tornado's `handle_exception`).
   */
  handleException(error: unknown): boolean {
    if (this.#finished || this.#running) return false;
    this.#error = error;
    this.run();
    return true;
  }

  /** Legacy: registers `key` as a pending callback. @see Tornado `Runner.register_callback` */
  registerCallback(key: unknown): void {
    const k = keyOf(key);
    this.#pendingCallbacks ??= new Set();
    if (this.#pendingCallbacks.has(k))
      throw new KeyReuseError(`key ${describeKey(key)} is already pending`);
    this.#pendingCallbacks.add(k);
  }

  /** Legacy: true once the callback for `key` was called. @see Tornado `Runner.is_ready` */
  isReady(key: unknown): boolean {
    const k = keyOf(key);
    if (this.#pendingCallbacks?.has(k) !== true)
      throw new UnknownKeyError(`key ${describeKey(key)} is not pending`);
    return this.#results?.has(k) === true;
  }

  /** Legacy: stores the result for `key` and resumes the generator. @see Tornado `Runner.set_result` */
  setResult(key: unknown, value: unknown): void {
    this.#results ??= new Map();
    this.#results.set(keyOf(key), value);
    this.run();
  }

  /** Legacy: unregisters `key` and returns its result. @see Tornado `Runner.pop_result` */
  popResult(key: unknown): unknown {
    const k = keyOf(key);
    this.#pendingCallbacks?.delete(k);
    const value = this.#results?.get(k);
    this.#results?.delete(k);
    return value;
  }

  /**
   * Legacy: a callback that stores its arguments as the result for `key` (no argument gives
   * `undefined`, one gives it, several give an `Arguments`). Bound to the current stack context.
   *
   * @see Tornado `Runner.result_callback`
   */
  resultCallback(key: unknown): (...args: unknown[]) => void {
    return wrap((...args: unknown[]) => this.setResult(key, callbackValue(args))) as (
      ...args: unknown[]
    ) => void;
  }

  /** Sends one value or exception in; returns true if the loop may continue at once. */
  #step(value: unknown, failed: boolean): boolean {
    let next: IteratorResult<unknown, R>;
    let depthBefore = 0;
    try {
      if (failed) {
        this.#hadException = true;
        depthBefore = traceDepth(value);
        next = this.#gen.throw(value);
      } else {
        next = this.#gen.next(value);
      }
    } catch (error) {
      // A failure thrown in at a plain `yield` escaped: name the coroutine (a `yield*` has
      // already recorded its exact line from inside the generator).
      if (failed && error === value && traceDepth(error) === depthBefore) {
        recordCoroutineTrace(error, `raised at a yield in coroutine ${this.name}`, null);
      }
      this.#finish(false, error);
      return false;
    }
    if (next.done === true) {
      const leaked = this.#pendingCallbacks;
      if (leaked !== null && leaked.size > 0 && !this.#hadException) {
        const keys = [...leaked].map(describeKey).join(', ');
        this.#finish(
          false,
          new LeakedCallbackError(`finished without waiting for callbacks ${keys}`),
        );
      } else {
        this.#finish(true, next.value);
      }
      return false;
    }
    this.#accept(next.value);
    return true;
  }

  /** Records what the generator yielded: a Future to wait for, a yield point, or an error. */
  #accept(yielded: unknown): void {
    if (isFuture(yielded) && yielded !== moment) {
      this.#pending = yielded;
      return;
    }
    if (yielded === moment || yielded === null || yielded === undefined) {
      const next = new Future<unknown>();
      // Cancelling the coroutine cancels `next`; the queued callback must then do nothing.
      this.loop.addCallback(() => futureSetResultUnlessCancelled(next, undefined));
      this.#pending = next;
      return;
    }
    let point: YieldPoint | null = null;
    if (isYieldPoint(yielded)) point = yielded;
    else if ((Array.isArray(yielded) || isPlainObject(yielded)) && containsYieldPoint(yielded)) {
      point = new MultiYieldPoint(yielded);
    }
    if (point !== null) {
      this.#yieldPoint = point;
      try {
        point.start(this as Runner<unknown>);
      } catch (error) {
        this.#error = error;
      }
      return;
    }
    try {
      this.#pending = convertYielded(yielded);
    } catch (error) {
      this.#error = error;
    }
  }

  #finish(ok: boolean, value: unknown): void {
    this.#finished = true;
    this.#pending = null;
    this.#yieldPoint = null;
    if (this.#result.done()) return;
    if (ok) this.#result.setResult(value as R);
    else this.#result.setException(value);
  }
}
