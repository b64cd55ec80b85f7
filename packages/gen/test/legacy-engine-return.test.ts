/**
 * Return rules of legacy engines, ported from Tornado 3.2's GenEngineTest: an engine function
 * may finish (`return;`, Tornado's bare `raise gen.Return()`), but returning a value is a
 * ReturnValueIgnoredError, thrown to the caller if it happens during the call and sent to the
 * caller's stack context if it happens later. Python's `gen.Return(v)` is plain `return v` here.
 */

import { engine, ReturnValueIgnoredError } from '@tronada/gen';
import { describe, expect, test } from 'vitest';
import { EngineHarness } from './legacy-harness.js';

/** An engine generator that returns a value, which the types rightly forbid. */
type ValueReturning = () => Generator<unknown, unknown, unknown>;
const returning = (fn: ValueReturning): (() => void) =>
  engine(fn as () => Generator<unknown, void, unknown>);

describe('engine return values (Tornado GenEngineTest)', () => {
  // Tornado: test_sync_raise_return
  test('returning nothing before the first yield is fine', async () => {
    const t = new EngineHarness();
    const f = engine(function* () {
      t.stop(42);
      return;
      // biome-ignore lint/correctness/noUnreachable: the generator must contain a yield
      yield null;
    });
    expect(await t.runGen(f)).toBe(42);
  });

  // Tornado: test_async_raise_return
  test('returning nothing after a yield is fine', async () => {
    const t = new EngineHarness();
    const f = engine(function* () {
      yield t.nextIteration();
      t.stop(42);
      return;
    });
    expect(await t.runGen(f)).toBe(42);
  });

  // Tornado: test_sync_raise_return_value
  test('a generator returning a value before it waits throws ReturnValueIgnoredError to the caller', () => {
    new EngineHarness();
    // biome-ignore lint/correctness/useYield: finishing before any yield is the point
    const f = returning(function* () {
      return 42;
    });
    expect(() => f()).toThrow(ReturnValueIgnoredError);
    expect(() => f()).toThrow('engine functions cannot return values: 42');
  });

  // Tornado: test_sync_raise_return_value_tuple
  test('returning an array before waiting throws ReturnValueIgnoredError naming it', () => {
    new EngineHarness();
    // biome-ignore lint/correctness/useYield: finishing before any yield is the point
    const f = returning(function* () {
      return [1, 2];
    });
    expect(() => f()).toThrow('engine functions cannot return values: [1,2]');
  });

  // Tornado: test_async_raise_return_value
  test('returning a value after a yield sends ReturnValueIgnoredError to the caller’s context', async () => {
    const t = new EngineHarness();
    const f = returning(function* () {
      yield t.nextIteration();
      return 42;
    });
    await expect(t.runGen(f)).rejects.toThrow(ReturnValueIgnoredError);
  });

  // Tornado: test_async_raise_return_value_tuple
  test('returning an array after a yield sends ReturnValueIgnoredError to the caller’s context', async () => {
    const t = new EngineHarness();
    const f = returning(function* () {
      yield t.nextIteration();
      return [1, 2];
    });
    await expect(t.runGen(f)).rejects.toThrow('engine functions cannot return values: [1,2]');
  });

  // Tornado: test_return_value
  test('a plain (non-generator) engine function returning a value throws ReturnValueIgnoredError', async () => {
    const t = new EngineHarness();
    const f = engine((() => 42) as () => void);
    await expect(t.runGen(f)).rejects.toThrow(ReturnValueIgnoredError);
    expect(() => f()).toThrow(ReturnValueIgnoredError);
  });

  // Tornado: test_return_value_tuple
  test('a plain engine function returning an array throws ReturnValueIgnoredError', () => {
    new EngineHarness();
    const f = engine((() => [1, 2]) as () => void);
    expect(() => f()).toThrow('engine functions cannot return values: [1,2]');
  });

  test('a plain engine function returning undefined is fine', async () => {
    const t = new EngineHarness();
    const f = engine(() => t.stop('ok'));
    expect(await t.runGen(f)).toBe('ok');
  });
});
