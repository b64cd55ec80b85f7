/**
 * Legacy engine failures, ported from Tornado 3.2's GenEngineTest: where exceptions go (the
 * caller, the generator, the enclosing stack context) and the key errors.
 */

import type { ResultCallback } from '@tronada/gen';
import {
  Callback,
  engine,
  KeyReuseError,
  LeakedCallbackError,
  Task,
  UnknownKeyError,
  Wait,
} from '@tronada/gen';
import { appLog, BadYieldError, ExceptionStackContext, wrap } from '@tronada/ioloop';
import { describe, expect, test } from 'vitest';
import { captureLog, divideByZero, EngineHarness, ZeroDivisionError } from './legacy-harness.js';

describe('engine exceptions (Tornado GenEngineTest)', () => {
  // Tornado: test_exception_phase1
  test('an exception before the first yield is thrown to the caller synchronously', () => {
    new EngineHarness();
    const f = engine(() => divideByZero());
    expect(() => f()).toThrow(ZeroDivisionError);
    const g = engine(function* () {
      divideByZero();
      yield null;
    });
    expect(() => g()).toThrow(ZeroDivisionError);
  });

  // Tornado: test_exception_phase2
  test('an exception after a yield reaches the stack context active at the call', async () => {
    const t = new EngineHarness();
    const f = engine(function* () {
      t.loop.addCallback(yield* new Callback('k1'));
      yield new Wait('k1');
      divideByZero();
    });
    await expect(t.runGen(f)).rejects.toThrow(ZeroDivisionError);
  });

  test('an exception after a yield with no stack context around the call is logged on appLog', async () => {
    const t = new EngineHarness();
    const records = captureLog(appLog);
    const f = engine(function* failsLater() {
      yield t.nextIteration();
      divideByZero();
    });
    f();
    await t.clock.settle();
    expect(records).toHaveLength(1);
    expect(records[0]!.message).toBe('Uncaught exception in engine function failsLater');
    expect(records[0]!.args[0]).toBeInstanceOf(ZeroDivisionError);
  });

  test('a handler that declines a late exception lets it reach appLog', async () => {
    const t = new EngineHarness();
    const records = captureLog(appLog);
    const declined: unknown[] = [];
    const f = engine(function* () {
      yield t.nextIteration();
      divideByZero();
    });
    new ExceptionStackContext((error) => {
      declined.push(error);
      return false;
    }).run(f);
    await t.clock.settle();
    expect(declined).toHaveLength(1);
    expect(records.map((r) => r.args[0])).toEqual(declined);
  });

  // Tornado: test_exception_in_task_phase1
  test('a Task function that throws synchronously throws into the generator at the yield', async () => {
    const t = new EngineHarness();
    const f = engine(function* () {
      try {
        yield Task((_callback: () => void) => divideByZero());
        throw new Error('did not get expected exception');
      } catch (error) {
        if (!(error instanceof ZeroDivisionError)) throw error;
        t.stop('caught');
      }
    });
    expect(await t.runGen(f)).toBe('caught');
  });

  // Tornado: test_exception_in_task_phase2
  test('an exception in a callback a Task function scheduled is thrown into the generator at the yield', async () => {
    const t = new EngineHarness();
    const failTask = (_callback: () => void): void => t.loop.addCallback(() => divideByZero());
    const f = engine(function* () {
      try {
        yield Task(failTask);
        throw new Error('did not get expected exception');
      } catch (error) {
        if (!(error instanceof ZeroDivisionError)) throw error;
        t.stop('caught');
      }
    });
    expect(await t.runGen(f)).toBe('caught');
  });

  test('an exception in a callback the engine itself scheduled is thrown into the generator where it waits', async () => {
    const t = new EngineHarness();
    const f = engine(function* () {
      t.loop.addCallback(() => divideByZero());
      const cb = yield* new Callback('later');
      t.loop.callLater(10, cb);
      try {
        yield new Wait('later');
        throw new Error('did not get expected exception');
      } catch (error) {
        if (!(error instanceof ZeroDivisionError)) throw error;
        t.stop(t.loop.time());
      }
    });
    // Delivered on the first iteration, not when the Wait's callback runs at t=10.
    expect(await t.runGen(f)).toBe(0);
  });

  test('a callback the engine left behind reports its exception to the enclosing context after the engine finished', async () => {
    const t = new EngineHarness();
    const f = engine(function* () {
      t.loop.callLater(1, () => divideByZero());
      yield t.nextIteration();
      t.stop('finished');
    });
    expect(await t.runGen(f)).toBe('finished');
    await t.clock.advance(1);
    expect(t.unclaimed).toHaveLength(1);
    expect(t.unclaimed.pop()).toBeInstanceOf(ZeroDivisionError);
  });

  test('an exception from a context-bound function run while the generator runs goes to the enclosing handlers, not into the generator', async () => {
    const t = new EngineHarness();
    const enclosing: unknown[] = [];
    const steps: string[] = [];
    const f = engine(function* () {
      const bound = wrap(() => divideByZero());
      yield t.nextIteration();
      // Tornado's Runner.handle_exception declines while the generator runs, so the handler
      // chain goes on past the engine; the bound function returns undefined once handled.
      steps.push(`call returned ${String(bound())}`);
      yield t.nextIteration();
      steps.push('next yield went through');
      t.stop();
    });
    new ExceptionStackContext((error) => {
      enclosing.push(error);
      return true;
    }).run(f);
    await t.clock.settle();
    expect(steps).toEqual(['call returned undefined', 'next yield went through']);
    expect(enclosing).toHaveLength(1);
    expect(enclosing[0]).toBeInstanceOf(ZeroDivisionError);
  });

  // Tornado: test_exception_in_yield
  test('Wait on a key nobody registered throws UnknownKeyError into the generator', async () => {
    const t = new EngineHarness();
    const f = engine(function* () {
      try {
        yield new Wait('k1');
        throw new Error('did not get expected exception');
      } catch (error) {
        if (!(error instanceof UnknownKeyError)) throw error;
      }
      t.stop('caught');
    });
    expect(await t.runGen(f)).toBe('caught');
  });

  // Tornado: test_resume_after_exception_in_yield
  test('a generator that caught an exception at a yield goes on normally', async () => {
    const t = new EngineHarness();
    const f = engine(function* () {
      try {
        yield new Wait('k1');
        throw new Error('did not get expected exception');
      } catch (error) {
        if (!(error instanceof UnknownKeyError)) throw error;
      }
      (yield* new Callback('k2'))('v2');
      t.stop(yield new Wait('k2'));
    });
    expect(await t.runGen(f)).toBe('v2');
  });

  // Tornado: test_raise_after_stop
  test('an exception after stop() still fails the run', async () => {
    const t = new EngineHarness();
    const f = engine(() => {
      t.stop();
      divideByZero();
    });
    await expect(t.runGen(f)).rejects.toThrow(ZeroDivisionError);
  });
});

describe('engine key errors (Tornado GenEngineTest)', () => {
  // Tornado: test_key_reuse
  test('registering a key that is still pending fails with KeyReuseError', async () => {
    const t = new EngineHarness();
    const f = engine(function* () {
      yield new Callback('k1');
      yield new Callback('k1');
      t.stop();
    });
    await expect(t.runGen(f)).rejects.toThrow(KeyReuseError);
    expect(() => f()).toThrow('key "k1" is already pending');
  });

  // Tornado: test_key_reuse_tuple
  test('array keys that are equal by value are the same key for KeyReuseError', async () => {
    const t = new EngineHarness();
    const f = engine(function* () {
      yield new Callback([1, 2]);
      yield new Callback([1, 2]);
      t.stop();
    });
    await expect(t.runGen(f)).rejects.toThrow(KeyReuseError);
  });

  // Tornado: test_key_mismatch
  test('waiting for a key other than the registered one fails with UnknownKeyError', async () => {
    const t = new EngineHarness();
    const f = engine(function* () {
      yield new Callback('k1');
      yield new Wait('k2');
      t.stop();
    });
    await expect(t.runGen(f)).rejects.toThrow(UnknownKeyError);
    expect(() => f()).toThrow('key "k2" is not pending');
  });

  // Tornado: test_key_mismatch_tuple
  test('array keys with different contents are different keys for UnknownKeyError', async () => {
    const t = new EngineHarness();
    const f = engine(function* () {
      yield new Callback([1, 2]);
      yield new Wait([2, 3]);
      t.stop();
    });
    await expect(t.runGen(f)).rejects.toThrow(UnknownKeyError);
  });

  test('object keys compare by identity, not by contents', async () => {
    const t = new EngineHarness();
    const f = engine(function* () {
      const key = { id: 1 };
      (yield* new Callback(key))('same');
      (yield* new Callback({ id: 1 }))('other');
      t.stop(yield new Wait(key));
    });
    // The second callback is never waited for, so the run ends with LeakedCallbackError.
    await expect(t.runGen(f)).rejects.toThrow(LeakedCallbackError);
  });

  // Tornado: test_leaked_callback
  test('finishing without waiting for a callback fails with LeakedCallbackError', async () => {
    const t = new EngineHarness();
    const f = engine(function* () {
      yield new Callback('k1');
      t.stop();
    });
    await expect(t.runGen(f)).rejects.toThrow(LeakedCallbackError);
    expect(() => f()).toThrow('finished without waiting for callbacks "k1"');
  });

  // Tornado: test_leaked_callback_tuple
  test('a leaked array key fails with LeakedCallbackError too', async () => {
    const t = new EngineHarness();
    const f = engine(function* () {
      yield new Callback([1, 2]);
      t.stop();
    });
    await expect(t.runGen(f)).rejects.toThrow(LeakedCallbackError);
  });

  test('the leak check is skipped when an exception was thrown into the generator', async () => {
    const t = new EngineHarness();
    const f = engine(function* () {
      yield new Callback('k1');
      try {
        yield new Wait('unknown');
      } catch {
        // the leaked 'k1' is not reported after this
      }
      t.stop('done');
    });
    expect(await t.runGen(f)).toBe('done');
  });

  // Tornado: test_orphaned_callback
  test('calling an orphaned callback after LeakedCallbackError is harmless', async () => {
    const t = new EngineHarness();
    let orphaned: ResultCallback | null = null;
    const f = engine(function* () {
      orphaned = (yield new Callback(1)) as ResultCallback;
    });
    await expect(t.runGen(f)).rejects.toThrow(LeakedCallbackError);
    expect(orphaned).not.toBeNull();
    orphaned!('late');
    await t.clock.settle();
  });

  // Tornado: test_bogus_yield
  test('yielding a value that is not yieldable throws BadYieldError into the generator', async () => {
    const t = new EngineHarness();
    const f = engine(function* () {
      yield 42;
    });
    await expect(t.runGen(f)).rejects.toThrow(BadYieldError);
    const g = engine(function* () {
      try {
        yield 42;
      } catch (error) {
        t.stop(error);
      }
    });
    expect(await t.runGen(g)).toBeInstanceOf(BadYieldError);
  });

  // Tornado: test_bogus_yield_tuple (JavaScript has no tuples: an array of plain values, and
  // other collections, stand in for it)
  test('yielding an array of plain values or a Map throws BadYieldError', async () => {
    const t = new EngineHarness();
    const f = engine(function* () {
      yield [1, 2];
    });
    await expect(t.runGen(f)).rejects.toThrow(BadYieldError);
    const g = engine(function* () {
      yield new Map([[1, 2]]);
    });
    await expect(t.runGen(g)).rejects.toThrow(BadYieldError);
  });
});
