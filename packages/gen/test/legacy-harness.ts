/**
 * What the legacy engine tests need from Tornado's AsyncTestCase: a current loop on a virtual
 * clock, a test-wide ExceptionStackContext that records the first failure (as AsyncTestCase's
 * did), `stop(value)`, and `runGen(f)`, which calls `f` inside that context and settles once
 * `f` has called `stop` or a failure arrived (a failure wins, as in Tornado's `wait()`).
 */

import { coroutine, Task } from '@tronada/gen';
import type { Future, LogRecord, NamedLogger } from '@tronada/ioloop';
import { ExceptionStackContext, IOLoop, VirtualClock } from '@tronada/ioloop';
import { expect, onTestFinished } from 'vitest';

const NONE = Symbol('none');

/** One test's loop, stack context and stop/wait protocol; cleaned up when the test ends. */
export class EngineHarness {
  readonly loop: IOLoop;
  readonly clock: VirtualClock;
  /** The test's own stack context: every failure that reaches it is recorded. */
  readonly context: ExceptionStackContext;
  /** Failures that arrived while no `runGen` was waiting. */
  readonly unclaimed: unknown[] = [];
  #failure: unknown = NONE;
  #value: unknown;
  #signal: (() => void) | null = null;

  constructor() {
    this.clock = new VirtualClock();
    this.loop = new IOLoop({ clock: this.clock });
    this.loop.makeCurrent();
    this.context = new ExceptionStackContext((error) => {
      if (this.#signal === null) this.unclaimed.push(error);
      else if (this.#failure === NONE) this.#failure = error;
      this.#wake();
      return true;
    });
    onTestFinished(() => {
      this.loop.close();
      IOLoop.clearCurrent();
      expect(this.unclaimed).toEqual([]);
    });
  }

  /** Ends the current `runGen` with `value` (Tornado's `self.stop`). */
  readonly stop = (value?: unknown): void => {
    this.#value = value;
    this.#wake();
  };

  /**
   * Calls `f` inside the test's context and resolves with what it passed to `stop`, or rejects
   * with the first failure that reached the context (thrown synchronously or later).
   */
  async runGen(f: () => void): Promise<unknown> {
    this.#failure = NONE;
    this.#value = undefined;
    const signal = new Promise<void>((resolve) => {
      this.#signal = resolve;
    });
    this.context.run(f);
    await signal;
    this.#signal = null;
    const failure = this.#failure;
    this.#failure = NONE;
    if (failure !== NONE) throw failure;
    return this.#value;
  }

  /** Calls `callback(arg)` after `iterations` loop iterations (Tornado's `delay_callback`). */
  readonly delayCallback = <T>(iterations: number, arg: T, callback: (arg: T) => void): void => {
    if (iterations === 0) callback(arg);
    else this.loop.addCallback(() => this.delayCallback(iterations - 1, arg, callback));
  };

  /** A Task that completes on the next loop iteration (Tornado's `gen.Task(io_loop.add_callback)`). */
  nextIteration(): Future<undefined> {
    return Task<[], []>((callback) => this.loop.addCallback(callback));
  }

  /** A coroutine that resolves with `result` one iteration later (Tornado 3.2's `async_future`). */
  readonly asyncFuture = coroutine(function* asyncFuture<T>(result: T) {
    yield Task<[], []>((callback) => IOLoop.current().addCallback(callback));
    return result;
  });

  #wake(): void {
    const signal = this.#signal;
    if (signal !== null) signal();
  }
}

/** Collects (and consumes) every record `logger` emits during the test. */
export function captureLog(logger: NamedLogger): LogRecord[] {
  const records: LogRecord[] = [];
  const remove = logger.addHandler((record) => {
    records.push(record);
    return true;
  });
  onTestFinished(remove);
  return records;
}

/** A stand-in for Python's ZeroDivisionError in ported tests. */
export class ZeroDivisionError extends Error {
  override readonly name = 'ZeroDivisionError';
}

/** Throws a {@link ZeroDivisionError}, as Tornado's tests did with `1 / 0`. */
export function divideByZero(): never {
  throw new ZeroDivisionError('division by zero');
}
