/**
 * Task with Tornado 4 semantics: a Future of what the callback (always the last argument) is
 * called with, failed by a synchronous throw or by an exception from a callback the function
 * scheduled on the loop.
 */

import { Arguments, coroutine, engine, Task } from '@tronada/gen';
import { ExceptionStackContext, Future } from '@tronada/ioloop';
import { describe, expect, expectTypeOf, test } from 'vitest';
import { divideByZero, EngineHarness, ZeroDivisionError } from './legacy-harness.js';

describe('Task (Tornado 4 gen.Task)', () => {
  test('calls the function with its arguments and a callback last, and resolves with the callback’s argument', async () => {
    const t = new EngineHarness();
    const seen: unknown[] = [];
    const add = (a: number, b: number, callback: (sum: number) => void): void => {
      seen.push(a, b, typeof callback);
      t.loop.addCallback(() => callback(a + b));
    };
    const future = Task(add, 1, 2);
    expect(future).toBeInstanceOf(Future);
    expect(seen).toEqual([1, 2, 'function']);
    expect(future.done()).toBe(false);
    expect(await future).toBe(3);
  });

  test('no callback argument gives undefined, several give Arguments', () => {
    new EngineHarness();
    expect(Task((cb: () => void) => cb()).result()).toBeUndefined();
    const several = Task((cb: (a: number, b: string, c: null) => void) =>
      cb(1, 'two', null),
    ).result();
    expect(several).toBeInstanceOf(Arguments);
    expect(several.args).toEqual([1, 'two', null]);
  });

  test('the result type follows the callback’s parameters', () => {
    new EngineHarness();
    expectTypeOf(Task((cb: (n: number) => void) => cb(1))).toEqualTypeOf<Future<number>>();
    expectTypeOf(Task((cb: () => void) => cb())).toEqualTypeOf<Future<undefined>>();
    expectTypeOf(Task((cb: (a: number, b: string) => void) => cb(1, 'b'))).toEqualTypeOf<
      Future<Arguments>
    >();
    expectTypeOf(Task((cb: (...xs: number[]) => void) => cb())).toEqualTypeOf<Future<unknown>>();
  });

  test('a synchronous throw from the function fails the Future instead of throwing', () => {
    new EngineHarness();
    const future = Task((_cb: () => void) => divideByZero());
    expect(future.exception()).toBeInstanceOf(ZeroDivisionError);
  });

  test('an exception in a callback the function scheduled on the loop fails the Future', async () => {
    const t = new EngineHarness();
    const future = Task((_cb: () => void) => {
      t.loop.callLater(1, () => t.loop.addCallback(() => divideByZero()));
    });
    const outcome = future.then(
      () => 'resolved',
      (error: unknown) => error,
    );
    await t.clock.advance(1);
    expect(await outcome).toBeInstanceOf(ZeroDivisionError);
  });

  test('only the first outcome counts: a second result is ignored', async () => {
    const t = new EngineHarness();
    const future = Task((cb: (v: string) => void) => {
      cb('first');
      cb('second');
      t.loop.addCallback(() => cb('third'));
    });
    await t.clock.settle();
    expect(future.result()).toBe('first');
  });

  test('an exception after the result goes on to the enclosing stack context', async () => {
    const t = new EngineHarness();
    const enclosing: unknown[] = [];
    let future: Future<undefined> | undefined;
    new ExceptionStackContext((error) => {
      enclosing.push(error);
      return true;
    }).run(() => {
      future = Task((cb: () => void) => {
        t.loop.addCallback(cb);
        t.loop.callLater(1, () => divideByZero());
      });
    });
    await t.clock.advance(1);
    expect(future!.result()).toBeUndefined();
    expect(enclosing).toHaveLength(1);
    expect(enclosing[0]).toBeInstanceOf(ZeroDivisionError);
  });

  test('a function that calls back and then throws synchronously throws to the Task caller', () => {
    new EngineHarness();
    expect(() =>
      Task((cb: () => void) => {
        cb();
        divideByZero();
      }),
    ).toThrow(ZeroDivisionError);
  });

  test('yield* on a Task inside a coroutine gives the typed result', async () => {
    const t = new EngineHarness();
    const c = coroutine(function* () {
      const n = yield* Task((cb: (n: number) => void) => t.loop.addCallback(cb, 20));
      expectTypeOf(n).toEqualTypeOf<number>();
      const m = yield Task((cb: (m: number) => void) => cb(22));
      return n + (m as number);
    });
    expect(await c()).toBe(42);
  });

  test('a coroutine catches and replaces an exception from a callback its Task scheduled', async () => {
    // Tornado GenCoroutineTest.test_replace_context_exception, with the failing callback
    // scheduled by the Task's function: coroutines open no stack context of their own.
    const t = new EngineHarness();
    const c = coroutine(function* () {
      try {
        yield Task((cb: () => void) => {
          t.loop.addCallback(() => divideByZero());
          t.loop.callLater(10, cb);
        });
      } catch (error) {
        if (error instanceof ZeroDivisionError) throw new RangeError('replaced');
        throw error;
      }
    });
    await expect(c()).rejects.toThrow('replaced');
  });

  test('a coroutine swallows an exception from a callback its Task scheduled and returns a value', async () => {
    // Tornado GenCoroutineTest.test_swallow_context_exception (same adaptation as above).
    const t = new EngineHarness();
    const c = coroutine(function* () {
      try {
        yield Task((cb: () => void) => {
          t.loop.addCallback(() => divideByZero());
          t.loop.callLater(10, cb);
        });
      } catch (error) {
        if (error instanceof ZeroDivisionError) return 42;
        throw error;
      }
      return 0;
    });
    expect(await c()).toBe(42);
  });

  test('Tasks nest: an engine function run through a Task reports completion and failure', async () => {
    const t = new EngineHarness();
    const ok = engine(function* (value: string, callback: (v: string) => void) {
      yield t.nextIteration();
      callback(value.toUpperCase());
    });
    const failing = engine(function* (_callback: () => void) {
      yield t.nextIteration();
      divideByZero();
    });
    const c = coroutine(function* () {
      const value = yield* Task(ok, 'done');
      try {
        yield Task(failing);
      } catch (error) {
        return [value, error instanceof ZeroDivisionError];
      }
      return [value, false];
    });
    expect(await c()).toEqual(['DONE', true]);
  });
});
