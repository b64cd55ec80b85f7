/**
 * Legacy engine basics, ported from Tornado 3.2's GenEngineTest: callbacks and waits, keys,
 * Task, WaitMany/WaitAll, and the Arguments rules.
 */

import type { ResultCallback } from '@tronada/gen';
import { Arguments, Callback, engine, Task, Wait, WaitAll, WaitMany } from '@tronada/gen';
import { describe, expect, test } from 'vitest';
import { EngineHarness } from './legacy-harness.js';

describe('engine basics (Tornado GenEngineTest)', () => {
  // Tornado: test_no_yield
  test('an engine function that never yields runs to completion inside the call', async () => {
    const t = new EngineHarness();
    let ran = false;
    const f = engine(() => {
      ran = true;
      t.stop();
    });
    const pending = t.runGen(() => {
      expect(f()).toBeUndefined();
    });
    expect(ran).toBe(true);
    await pending;
  });

  // Tornado: test_inline_cb
  test('a callback called before its Wait makes the Wait ready at once, with undefined', async () => {
    const t = new EngineHarness();
    const steps: string[] = [];
    const f = engine(function* () {
      (yield* new Callback('k1'))();
      steps.push('called');
      const res = yield new Wait('k1');
      steps.push(`waited ${String(res)}`);
      t.stop();
    });
    const pending = t.runGen(f);
    // Everything was ready, so the whole generator ran inside the call.
    expect(steps).toEqual(['called', 'waited undefined']);
    await pending;
  });

  // Tornado: test_ioloop_cb
  test('a callback run by the loop resumes the generator waiting for its key', async () => {
    const t = new EngineHarness();
    const steps: string[] = [];
    const f = engine(function* () {
      t.loop.addCallback((yield new Callback('k1')) as ResultCallback);
      steps.push('scheduled');
      yield new Wait('k1');
      steps.push('resumed');
      t.stop();
    });
    const pending = t.runGen(f);
    expect(steps).toEqual(['scheduled']);
    await pending;
    expect(steps).toEqual(['scheduled', 'resumed']);
  });

  // Tornado: test_with_arg
  test('the Wait yields the single argument the callback was called with', async () => {
    const t = new EngineHarness();
    const f = engine(function* () {
      (yield* new Callback('k1'))(42);
      t.stop(yield new Wait('k1'));
    });
    expect(await t.runGen(f)).toBe(42);
  });

  // Tornado: test_with_arg_tuple
  test('array keys work as keys and array values pass through unchanged', async () => {
    const t = new EngineHarness();
    const f = engine(function* () {
      (yield* new Callback([1, 2]))([3, 4]);
      t.stop(yield new Wait([1, 2]));
    });
    expect(await t.runGen(f)).toEqual([3, 4]);
  });

  // Tornado: test_parallel_callback
  test('several callbacks may be outstanding and are waited for in any order', async () => {
    const t = new EngineHarness();
    const order: number[] = [];
    const f = engine(function* () {
      for (let k = 0; k < 3; k++) {
        const cb = yield* new Callback(k);
        t.loop.addCallback(() => {
          order.push(k);
          cb(k * 10);
        });
      }
      const results = [yield new Wait(1)];
      const cb3 = yield* new Callback(3);
      t.loop.addCallback(() => cb3(30));
      results.push(yield new Wait(0), yield new Wait(3), yield new Wait(2));
      t.stop(results);
    });
    expect(await t.runGen(f)).toEqual([10, 0, 30, 20]);
    expect(order).toEqual([0, 1, 2]);
  });

  // Tornado: test_reuse
  test('an engine function can be called again after it finished, with the same keys', async () => {
    const t = new EngineHarness();
    let runs = 0;
    const f = engine(function* () {
      t.loop.addCallback(yield* new Callback(0));
      yield new Wait(0);
      runs++;
      t.stop();
    });
    await t.runGen(f);
    await t.runGen(f);
    expect(runs).toBe(2);
  });

  test('each call gets its own runner, so calls may overlap with the same keys', async () => {
    const t = new EngineHarness();
    const seen: string[] = [];
    let finished = 0;
    const f = engine(function* (name: string) {
      t.loop.addCallback(yield* new Callback('k'), name);
      seen.push(String(yield new Wait('k')));
      if (++finished === 2) t.stop();
    });
    await t.runGen(() => {
      f('first');
      f('second');
    });
    expect(seen).toEqual(['first', 'second']);
  });

  // Tornado: test_task
  test('yielding a Task waits for the callback it passes to the function', async () => {
    const t = new EngineHarness();
    const steps: string[] = [];
    const f = engine(function* () {
      yield Task((callback: () => void) => t.loop.addCallback(callback));
      steps.push('after task');
      t.stop();
    });
    const pending = t.runGen(f);
    expect(steps).toEqual([]);
    await pending;
    expect(steps).toEqual(['after task']);
  });

  // Tornado: test_wait_all
  test('WaitMany (and its alias WaitAll) yields every key’s value in key order', async () => {
    expect(WaitAll).toBe(WaitMany);
    const t = new EngineHarness();
    const f = engine(function* () {
      (yield* new Callback('k1'))('v1');
      (yield* new Callback('k2'))('v2');
      (yield* new Callback('k3'))('v3');
      const many = yield new WaitMany(['k2', 'k1']);
      const all = yield* new WaitAll(['k3']);
      t.stop([many, all]);
    });
    expect(await t.runGen(f)).toEqual([['v2', 'v1'], ['v3']]);
  });

  test('WaitMany waits until the last of its keys is ready', async () => {
    const t = new EngineHarness();
    const f = engine(function* () {
      const cb1 = yield* new Callback('k1');
      const cb2 = yield* new Callback('k2');
      t.delayCallback(1, 'v2', cb2);
      t.delayCallback(3, 'v1', cb1);
      t.stop(yield new WaitMany(['k1', 'k2']));
    });
    expect(await t.runGen(f)).toEqual(['v1', 'v2']);
  });

  // Tornado: test_arguments
  test('a callback’s arguments become undefined, the argument, or Arguments', async () => {
    const t = new EngineHarness();
    const f = engine(function* () {
      (yield* new Callback('noargs'))();
      const none = yield new Wait('noargs');
      (yield* new Callback('1arg'))(42);
      const one = yield new Wait('1arg');
      // Tornado's `callback(value=42)`: JavaScript has no keyword arguments; an object is one
      // positional argument.
      (yield* new Callback('object'))({ value: 42 });
      const object = yield new Wait('object');
      (yield* new Callback('2args'))(42, 43);
      const two = yield new Wait('2args');
      // Tornado's `callback(None, error="foo")` in a Task.
      const fromTask = yield Task((callback: (a: null, b: string) => void) =>
        callback(null, 'foo'),
      );
      t.stop({ none, one, object, two, fromTask });
    });
    const { none, one, object, two, fromTask } = (await t.runGen(f)) as Record<string, unknown>;
    expect(none).toBeUndefined();
    expect(one).toBe(42);
    expect(object).toEqual({ value: 42 });
    expect(two).toBeInstanceOf(Arguments);
    expect((two as Arguments).args).toEqual([42, 43]);
    expect((two as Arguments).kwargs).toEqual({});
    expect(fromTask).toBeInstanceOf(Arguments);
    expect((fromTask as Arguments).args).toEqual([null, 'foo']);
  });

  test('engine works on methods without decorator syntax and keeps this', async () => {
    const t = new EngineHarness();
    class Handler {
      readonly written: string[] = [];
      get = engine(function* get(this: Handler, name: string) {
        t.loop.addCallback(yield* new Callback('k'));
        yield new Wait('k');
        this.written.push(`hello ${name}`);
        t.stop();
      });
    }
    const handler = new Handler();
    await t.runGen(() => handler.get('world'));
    expect(handler.written).toEqual(['hello world']);
    expect(handler.get.name).toBe('get');
  });
});
