/**
 * Legacy yield points outside the engine tests: coroutines yielding them (Tornado 3.x
 * GenCoroutineSequenceHandler), user-written YieldPoints, and the request-handler patterns of
 * Tornado's GenWebTest run against a stack context that stands in for the request.
 */

import type { Runner } from '@tronada/gen';
import {
  Callback,
  coroutine,
  engine,
  LeakedCallbackError,
  Task,
  UnknownKeyError,
  Wait,
  YieldPoint,
} from '@tronada/gen';
import { ExceptionStackContext } from '@tronada/ioloop';
import { describe, expect, test } from 'vitest';
import { divideByZero, EngineHarness, ZeroDivisionError } from './legacy-harness.js';

/** A stand-in for a request: an output buffer and the stack context `@asynchronous` opened. */
function fakeRequest(): { written: string[]; errors: unknown[]; run: (fn: () => void) => void } {
  const written: string[] = [];
  const errors: unknown[] = [];
  const context = new ExceptionStackContext((error) => {
    errors.push(error);
    return true;
  });
  return { written, errors, run: (fn) => void context.run(fn) };
}

describe('coroutines yield legacy yield points (Tornado 3.x GenCoroutineTest)', () => {
  // Tornado: GenWebTest.test_coroutine_sequence_handler (GenCoroutineSequenceHandler)
  test('a coroutine waits on Callback/Wait pairs and may reuse a key once it was waited for', async () => {
    const t = new EngineHarness();
    const written: string[] = [];
    const get = coroutine(function* () {
      t.loop.addCallback(yield* new Callback('k1'));
      yield new Wait('k1');
      written.push('1');
      t.loop.addCallback(yield* new Callback('k2'));
      yield new Wait('k2');
      written.push('2');
      t.loop.addCallback(yield* new Callback('k1'));
      yield new Wait('k1');
      written.push('3');
      return written.join('');
    });
    expect(await get()).toBe('123');
  });

  test('a key error inside a coroutine fails its Future instead of throwing', async () => {
    new EngineHarness();
    const unknown = coroutine(function* () {
      yield new Wait('never registered');
    })();
    await expect(unknown).rejects.toThrow(UnknownKeyError);
    const leaked = coroutine(function* () {
      yield new Callback('never waited');
      return 'finished';
    })();
    await expect(leaked).rejects.toThrow(LeakedCallbackError);
  });

  // Tornado: GenCoroutineTest.test_pass_callback is "removed in Tornado 6" (coroutines no longer
  // take callback=); the pattern it covered, a Task over a callback-taking function, is here.
  test('a Task over a function that completes a coroutine through its callback gives the result', async () => {
    new EngineHarness();
    const f = coroutine(() => 42);
    const withCallback = (callback: (value: number) => void): void => {
      f().addDoneCallback((done) => callback(done.result()));
    };
    const c = coroutine(function* () {
      return yield* Task(withCallback);
    });
    expect(await c()).toBe(42);
  });
});

describe('user-written YieldPoints', () => {
  /** Ready after `turns` loop iterations; records the protocol calls it gets. */
  class AfterTurns extends YieldPoint {
    readonly calls: string[] = [];
    #runner: Runner<unknown> | null = null;
    #left: number;

    constructor(turns: number) {
      super();
      this.#left = turns;
    }

    start(runner: Runner<unknown>): void {
      this.calls.push('start');
      this.#runner = runner;
      this.#tick();
    }

    isReady(): boolean {
      this.calls.push('isReady');
      return this.#left === 0;
    }

    getResult(): unknown {
      this.calls.push('getResult');
      return 'ready';
    }

    #tick(): void {
      if (this.#left === 0) return;
      this.#runner!.loop.addCallback(() => {
        this.#left--;
        this.#runner!.run();
        this.#tick();
      });
    }
  }

  test('the runner calls start once, isReady until true, then getResult once', async () => {
    const t = new EngineHarness();
    const point = new AfterTurns(3);
    const f = engine(function* () {
      t.stop(yield point);
    });
    expect(await t.runGen(f)).toBe('ready');
    expect(point.calls[0]).toBe('start');
    expect(point.calls.filter((c) => c === 'start')).toHaveLength(1);
    expect(point.calls.at(-1)).toBe('getResult');
    expect(point.calls.filter((c) => c === 'getResult')).toHaveLength(1);
    expect(point.calls.at(-2)).toBe('isReady');
    expect(point.calls.filter((c) => c === 'isReady').length).toBeGreaterThanOrEqual(2);
  });

  test('a coroutine can yield a user-written YieldPoint, alone or with others in an array', async () => {
    new EngineHarness();
    const c = coroutine(function* () {
      const one = yield new AfterTurns(1);
      const both = yield [new AfterTurns(2), new AfterTurns(0)];
      return [one, both];
    });
    expect(await c()).toEqual(['ready', ['ready', 'ready']]);
  });

  test('an exception from start is thrown into the generator at the yield', async () => {
    const t = new EngineHarness();
    class Broken extends YieldPoint {
      start(): void {
        divideByZero();
      }
      isReady(): boolean {
        return true;
      }
      getResult(): unknown {
        return undefined;
      }
    }
    const f = engine(function* () {
      try {
        yield new Broken();
      } catch (error) {
        t.stop(error instanceof ZeroDivisionError);
      }
    });
    expect(await t.runGen(f)).toBe(true);
  });
});

describe('legacy request patterns (Tornado GenWebTest handlers)', () => {
  // Tornado: GenWebTest.test_sequence_handler (GenSequenceHandler, @asynchronous @gen.engine)
  test('an engine method writes in sequence across Callback/Wait pairs and finishes through its request', async () => {
    const t = new EngineHarness();
    const request = fakeRequest();
    const get = engine(function* () {
      t.loop.addCallback(yield* new Callback('k1'));
      yield new Wait('k1');
      request.written.push('1');
      t.loop.addCallback(yield* new Callback('k2'));
      yield new Wait('k2');
      request.written.push('2');
      t.loop.addCallback(yield* new Callback('k1'));
      yield new Wait('k1');
      request.written.push('3');
      t.stop(request.written.join(''));
    });
    expect(await t.runGen(() => request.run(get))).toBe('123');
    expect(request.errors).toEqual([]);
  });

  // Tornado: GenWebTest.test_exception_handler (GenExceptionHandler: a 500)
  test('an exception after a Wait reaches the request’s context', async () => {
    const t = new EngineHarness();
    const request = fakeRequest();
    const get = engine(function* () {
      t.loop.addCallback(yield* new Callback('k1'));
      yield new Wait('k1');
      divideByZero();
    });
    request.run(get);
    await t.clock.settle();
    expect(request.errors).toHaveLength(1);
    expect(request.errors[0]).toBeInstanceOf(ZeroDivisionError);
  });

  // Tornado: GenWebTest.test_yield_exception_handler (GenYieldExceptionHandler: "ok")
  test('an exception from a Task’s callback goes to the generator, not the request’s context', async () => {
    const t = new EngineHarness();
    const request = fakeRequest();
    const get = engine(function* () {
      try {
        yield Task((_callback: () => void) => t.loop.addCallback(() => divideByZero()));
        request.written.push('did not get expected exception');
      } catch (error) {
        if (error instanceof ZeroDivisionError) request.written.push('ok');
      }
    });
    request.run(get);
    await t.clock.settle();
    expect(request.written).toEqual(['ok']);
    expect(request.errors).toEqual([]);
  });
});
