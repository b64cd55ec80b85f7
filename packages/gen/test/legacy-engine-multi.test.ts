/**
 * Parallel waits in legacy engines, ported from Tornado 3.2's GenEngineTest: arrays and
 * records of yield points and Futures, `Multi`, and Futures from coroutines.
 */

import { Callback, coroutine, engine, Multi, MultiYieldPoint, Task, Wait } from '@tronada/gen';
import { appLog, Future } from '@tronada/ioloop';
import { describe, expect, test } from 'vitest';
import { captureLog, EngineHarness } from './legacy-harness.js';

describe('engine multi (Tornado GenEngineTest)', () => {
  // Tornado: test_multi
  test('yielding an array of Waits gives their values in array order', async () => {
    const t = new EngineHarness();
    const f = engine(function* () {
      (yield* new Callback('k1'))('v1');
      (yield* new Callback('k2'))('v2');
      t.stop(yield [new Wait('k1'), new Wait('k2')]);
    });
    expect(await t.runGen(f)).toEqual(['v1', 'v2']);
  });

  // Tornado: test_multi_dict
  test('yielding a record of Waits gives a record with the same keys', async () => {
    const t = new EngineHarness();
    const f = engine(function* () {
      (yield* new Callback('k1'))('v1');
      (yield* new Callback('k2'))('v2');
      t.stop(yield { foo: new Wait('k1'), bar: new Wait('k2') });
    });
    expect(await t.runGen(f)).toEqual({ foo: 'v1', bar: 'v2' });
  });

  // Tornado: test_multi_delayed
  test('Tasks finishing in a different order still give results in array order', async () => {
    const t = new EngineHarness();
    const f = engine(function* () {
      t.stop(yield [Task(t.delayCallback, 3, 'v1'), Task(t.delayCallback, 1, 'v2')]);
    });
    expect(await t.runGen(f)).toEqual(['v1', 'v2']);
  });

  // Tornado: test_multi_dict_delayed
  test('Tasks finishing in a different order still give a record with the same keys', async () => {
    const t = new EngineHarness();
    const f = engine(function* () {
      t.stop(yield { foo: Task(t.delayCallback, 3, 'v1'), bar: Task(t.delayCallback, 1, 'v2') });
    });
    expect(await t.runGen(f)).toEqual({ foo: 'v1', bar: 'v2' });
  });

  test('an array mixing Waits and Futures waits for all of them', async () => {
    const t = new EngineHarness();
    const f = engine(function* () {
      const cb = yield* new Callback('k');
      t.delayCallback(2, 'from callback', cb);
      t.stop(
        yield [new Wait('k'), Task(t.delayCallback, 1, 'from task'), t.asyncFuture('from future')],
      );
    });
    expect(await t.runGen(f)).toEqual(['from callback', 'from task', 'from future']);
  });

  // Tornado: test_multi_performance
  test('2000 Tasks (and 2000 Waits) in one yield finish in well under a second', async () => {
    const t = new EngineHarness();
    const f = engine(function* () {
      const started = performance.now();
      const tasks = Array.from({ length: 2000 }, () => t.nextIteration());
      yield tasks;
      for (let k = 0; k < 2000; k++) t.loop.addCallback(yield* new Callback(k));
      yield Array.from({ length: 2000 }, (_, k) => new Wait(k));
      t.stop(performance.now() - started);
    });
    expect(await t.runGen(f)).toBeLessThan(1000);
  });

  // Tornado: test_multi_empty
  test('an empty array gives an empty array and an empty record an empty record', async () => {
    const t = new EngineHarness();
    const f = engine(function* () {
      t.stop([yield [], yield {}]);
    });
    const [x, y] = (await t.runGen(f)) as [unknown, unknown];
    expect(x).toEqual([]);
    expect(Array.isArray(x)).toBe(true);
    expect(y).toEqual({});
    expect(Array.isArray(y)).toBe(false);
  });

  // Tornado: test_future
  test('a coroutine’s Future can be yielded from an engine', async () => {
    const t = new EngineHarness();
    const f = engine(function* () {
      t.stop(yield t.asyncFuture(1));
    });
    expect(await t.runGen(f)).toBe(1);
  });

  // Tornado: test_multi_future
  test('an array of coroutine Futures gives their results in order', async () => {
    const t = new EngineHarness();
    const f = engine(function* () {
      t.stop(yield [t.asyncFuture(1), t.asyncFuture(2)]);
    });
    expect(await t.runGen(f)).toEqual([1, 2]);
  });

  // Tornado: test_multi_dict_future
  test('a record of coroutine Futures gives a record of their results', async () => {
    const t = new EngineHarness();
    const f = engine(function* () {
      t.stop(yield { foo: t.asyncFuture(1), bar: t.asyncFuture(2) });
    });
    expect(await t.runGen(f)).toEqual({ foo: 1, bar: 2 });
  });
});

describe('Multi (Tornado 4.5 gen.Multi)', () => {
  test('returns a MultiYieldPoint when a child is a yield point, and the multi() Future otherwise', () => {
    new EngineHarness();
    expect(Multi([new Wait('k'), Future.resolved(1)])).toBeInstanceOf(MultiYieldPoint);
    expect(Multi({ a: new Wait('k') })).toBeInstanceOf(MultiYieldPoint);
    const modern = Multi([Future.resolved(1), Future.resolved(2)]);
    expect(modern).toBeInstanceOf(Future);
    expect((modern as Future<number[]>).result()).toEqual([1, 2]);
    expect((Multi({}) as Future<object>).result()).toEqual({});
  });

  test('yielding Multi of yield points raises the first failure and logs the others', async () => {
    const t = new EngineHarness();
    const records = captureLog(appLog);
    const f = engine(function* () {
      try {
        yield Multi([new Wait('missing 1'), new Wait('missing 2')]);
      } catch (error) {
        t.stop((error as Error).message);
      }
    });
    expect(await t.runGen(f)).toBe('key "missing 1" is not pending');
    // isReady raised for the first child, so the second never ran: nothing else to log.
    expect(records).toEqual([]);
  });

  test('Multi of yield points logs later failures unless they are quiet', async () => {
    const t = new EngineHarness();
    const records = captureLog(appLog);
    class Boom extends Error {}
    const failing = (message: string) =>
      Task((_cb: () => void) => {
        throw new Boom(message);
      });
    const f = engine(function* () {
      const messages: string[] = [];
      for (const options of [{}, { quietExceptions: Boom }]) {
        (yield* new Callback('k'))();
        try {
          yield Multi([new Wait('k'), failing('first'), failing('second')], options);
        } catch (error) {
          messages.push((error as Error).message);
        }
      }
      t.stop(messages);
    });
    expect(await t.runGen(f)).toEqual(['first', 'first']);
    expect(records.map((r) => [r.message, (r.args[0] as Error).message])).toEqual([
      ['Multiple exceptions in yield list', 'second'],
    ]);
  });

  test('a coroutine can yield Multi of Futures and of yield points', async () => {
    const t = new EngineHarness();
    const c = coroutine(function* () {
      const futures = yield Multi([t.asyncFuture('a'), t.asyncFuture('b')]);
      t.loop.addCallback(yield* new Callback('k'), 'c');
      const points = yield Multi({ k: new Wait('k'), f: t.asyncFuture('d') });
      return [futures, points];
    });
    expect(await c()).toEqual([['a', 'b'], { k: 'c', f: 'd' }]);
  });
});
