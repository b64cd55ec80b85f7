/**
 * Stack contexts and legacy engines, ported from Tornado 3.2's GenEngineTest: a generator
 * resumes in its own context whatever context its callback was called from, and repeated
 * calls do not pile contexts up (checked by reachability, with a forced garbage collection).
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { ResultCallback } from '@tronada/gen';
import { Callback, engine, Task, Wait } from '@tronada/gen';
import { ExceptionStackContext } from '@tronada/ioloop';
import { describe, expect, test } from 'vitest';
import { divideByZero, EngineHarness, ZeroDivisionError } from './legacy-harness.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Runs a full garbage collection once the current job is over (WeakRefs hold until then). */
async function collectGarbage(): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
  gc();
  await new Promise((resolve) => setImmediate(resolve));
}

/**
 * Tornado's `function_with_stack_context`: schedules `callback` from inside a context of its
 * own (named "a") without wrapping it first, a common mistake the engine must absorb. Returns
 * what that context's handler saw.
 */
function withStackContext(t: EngineHarness): {
  seen: unknown[];
  fn: (callback: ResultCallback) => void;
} {
  const seen: unknown[] = [];
  const a = new ExceptionStackContext((error) => {
    seen.push(error);
    return true;
  });
  return { seen, fn: (callback) => a.run(() => t.loop.addCallback(callback)) };
}

/**
 * After resuming, the generator schedules a failing callback and waits: the exception must be
 * thrown into it at that yield (its own context), not swallowed by context "a".
 */
function* failInOwnContext(t: EngineHarness): Generator<unknown, unknown, unknown> {
  t.loop.addCallback(() => divideByZero());
  try {
    yield Task((callback: () => void) => t.loop.callLater(1, callback));
    return 'not delivered';
  } catch (error) {
    return error instanceof ZeroDivisionError ? 'delivered to the generator' : error;
  }
}

describe('engine stack contexts (Tornado GenEngineTest)', () => {
  // Tornado: test_wait_transfer_stack_context
  test('a Wait resumes the generator in its own context, not the one its callback was scheduled from', async () => {
    const t = new EngineHarness();
    const a = withStackContext(t);
    const f = engine(function* () {
      a.fn(yield* new Callback('k1'));
      yield new Wait('k1');
      t.stop(yield* failInOwnContext(t));
    });
    expect(await t.runGen(f)).toBe('delivered to the generator');
    expect(a.seen).toEqual([]);
  });

  // Tornado: test_task_transfer_stack_context
  test('a Task resumes the generator in its own context, not the one its callback was scheduled from', async () => {
    const t = new EngineHarness();
    const a = withStackContext(t);
    const f = engine(function* () {
      yield Task(a.fn);
      t.stop(yield* failInOwnContext(t));
    });
    expect(await t.runGen(f)).toBe('delivered to the generator');
    expect(a.seen).toEqual([]);
  });

  // Tornado: test_stack_context_leak
  test('calling engine functions through Tasks many times keeps nothing of finished calls alive', async () => {
    const t = new EngineHarness();
    const markers: WeakRef<object>[] = [];
    const inner = engine(function* (callback: () => void) {
      const marker = {};
      markers.push(new WeakRef(marker));
      yield t.nextIteration();
      callback();
    });
    const outer = engine(function* () {
      for (let i = 0; i < 10; i++) yield Task(inner);
      t.stop();
    });
    await t.runGen(outer);
    await collectGarbage();
    expect(markers).toHaveLength(10);
    expect(markers.filter((m) => m.deref() !== undefined)).toHaveLength(0);
  });

  // Tornado: test_stack_context_leak_exception
  test('engine functions that fail through Tasks many times keep nothing of finished calls alive', async () => {
    const t = new EngineHarness();
    const markers: WeakRef<object>[] = [];
    const inner = engine(function* (_callback: () => void) {
      const marker = {};
      markers.push(new WeakRef(marker));
      yield t.nextIteration();
      divideByZero();
    });
    const outer = engine(function* () {
      let caught = 0;
      for (let i = 0; i < 10; i++) {
        try {
          yield Task(inner);
        } catch (error) {
          if (error instanceof ZeroDivisionError) caught++;
        }
      }
      t.stop(caught);
    });
    expect(await t.runGen(outer)).toBe(10);
    await collectGarbage();
    expect(markers.filter((m) => m.deref() !== undefined)).toHaveLength(0);
  });

  test('while an outer engine keeps running, the inner calls it made through Tasks are released', async () => {
    const t = new EngineHarness();
    const markers: WeakRef<object>[] = [];
    const inner = engine(function* (callback: () => void) {
      const marker = {};
      markers.push(new WeakRef(marker));
      yield t.nextIteration();
      callback();
    });
    let alive = -1;
    const outer = engine(function* () {
      for (let i = 0; i < 10; i++) yield Task(inner);
      // Still inside the outer generator, resumed after the last inner call: if it had resumed
      // in that call's context, the chain of contexts would keep every inner call alive.
      yield Task((callback: () => void) => {
        collectGarbage().then(callback, callback);
      });
      alive = markers.filter((m) => m.deref() !== undefined).length;
      t.stop();
    });
    await t.runGen(outer);
    expect(alive).toBe(0);
  });

  // Tornado: test_task_refcounting (CPython frees by reference count; the JavaScript analogue
  // is that nothing keeps a finished Task or its argument reachable)
  test('a finished Task and its argument are not kept alive by the engine or the loop', async () => {
    const t = new EngineHarness();
    let argRef: WeakRef<object> | null = null;
    let taskRef: WeakRef<object> | null = null;
    const f = engine(function* () {
      const arg = { name: 'Foo' };
      argRef = new WeakRef(arg);
      const task = Task(
        (value: object, callback: (v: object) => void) => t.loop.addCallback(callback, value),
        arg,
      );
      taskRef = new WeakRef(task);
      yield task;
      t.stop();
    });
    await t.runGen(f);
    await collectGarbage();
    expect(argRef!.deref()).toBeUndefined();
    expect(taskRef!.deref()).toBeUndefined();
  });
});
