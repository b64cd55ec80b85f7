/**
 * withTimeout(): a Future that settles like the wrapped one, or fails with TimeoutError when the
 * timeout (relative seconds, or `{ deadline }` in loop time) passes first. The wrapped Future is
 * never cancelled; a failure it has after the timeout is logged unless quiet.
 */

import { coroutine, deadlineOf, sleep, withTimeout } from '@tronada/gen';
import {
  appLog,
  CancelledError,
  Future,
  InlineExecutor,
  ThreadPoolExecutor,
  TimeoutError,
  TronadaError,
} from '@tronada/ioloop';
import { describe, expect, test } from 'vitest';
import { captureLog, currentVirtualLoop, watched } from './coroutine-helpers.js';

describe('withTimeout', () => {
  test('fails with TimeoutError when the Future is not done in time', async () => {
    const { clock } = currentVirtualLoop();
    const guarded = watched(withTimeout(0.1, new Future<void>()));
    await clock.advance(0.0999);
    expect(guarded.done()).toBe(false);
    await clock.advance(0.0001);
    expect(guarded.done()).toBe(true);
    const error = guarded.exception();
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toBeInstanceOf(TronadaError);
    expect((error as TimeoutError).code).toBe('ERR_TIMEOUT');
  });

  test('a { deadline } is an absolute loop time', async () => {
    const { loop, clock } = currentVirtualLoop(1000);
    const guarded = watched(withTimeout({ deadline: 1005 }, new Future<void>()));
    await clock.advance(4.9);
    expect(guarded.done()).toBe(false);
    await clock.advance(0.1);
    expect(loop.time()).toBe(1005);
    expect(guarded.exception()).toBeInstanceOf(TimeoutError);
  });

  test('a deadline already passed times out on the next timer check', async () => {
    const { loop, clock } = currentVirtualLoop(50);
    const guarded = watched(withTimeout({ deadline: loop.time() }, new Future<void>()));
    expect(guarded.done()).toBe(false);
    await clock.advance(0);
    expect(guarded.exception()).toBeInstanceOf(TimeoutError);
  });

  test('resolves with the result when the Future finishes before the timeout, and removes its timer', async () => {
    const { loop, clock } = currentVirtualLoop();
    const inner = new Future<string>();
    loop.callLater(0.1, () => inner.setResult('asdf'));
    const guarded = watched(withTimeout(3600, inner));
    expect(loop.pendingTimeouts).toBe(2);
    await clock.advance(0.1);
    expect(await guarded).toBe('asdf');
    expect(loop.pendingTimeouts).toBe(0);
  });

  test('fails with the Future error when it fails before the timeout, and removes its timer', async () => {
    const { loop, clock } = currentVirtualLoop();
    const inner = new Future<string>();
    loop.callLater(0.1, () => inner.setException(new RangeError('divide by zero')));
    const guarded = watched(withTimeout(3600, inner));
    await clock.advance(0.1);
    await expect(guarded).rejects.toThrow(RangeError);
    expect(loop.pendingTimeouts).toBe(0);
  });

  test('an already resolved Future gives its result inside the call and leaves no timer behind', () => {
    const { loop } = currentVirtualLoop();
    const guarded = withTimeout(3600, Future.resolved('asdf'));
    expect(guarded.done()).toBe(true);
    expect(guarded.result()).toBe('asdf');
    expect(loop.pendingTimeouts).toBe(0);
  });

  test('accepts a Promise and an async function result', async () => {
    const { loop } = currentVirtualLoop();
    const f1 = async (): Promise<number> => 42;
    expect(await withTimeout(3600, f1())).toBe(42);
    expect(await withTimeout({ deadline: loop.time() + 3600 }, Promise.resolve('p'))).toBe('p');
    expect(loop.pendingTimeouts).toBe(0);
  });

  test('does not cancel the wrapped Future: it can still resolve and be used after the timeout', async () => {
    const { clock } = currentVirtualLoop();
    const inner = new Future<string>();
    const guarded = watched(withTimeout(1, inner));
    await clock.advance(1);
    expect(guarded.exception()).toBeInstanceOf(TimeoutError);
    expect(inner.done()).toBe(false);
    inner.setResult('late');
    expect(await inner).toBe('late');
    expect(await withTimeout(1, inner)).toBe('late');
  });

  test('logs a failure of the wrapped Future that comes after the timeout', async () => {
    const { clock } = currentVirtualLoop();
    const logged = captureLog(appLog);
    const inner = new Future<string>();
    const guarded = watched(withTimeout(1, inner));
    await clock.advance(1);
    await expect(guarded).rejects.toBeInstanceOf(TimeoutError);
    inner.setException(new RangeError('late failure'));
    await clock.settle();
    expect(logged).toHaveLength(1);
    expect(logged[0]!.message).toMatch(/after timeout/);
    expect(logged[0]!.args[0]).toBeInstanceOf(RangeError);
  });

  test('does not log a late failure listed in quietExceptions', async () => {
    const { clock } = currentVirtualLoop();
    const logged = captureLog(appLog);
    const inner = new Future<string>();
    const guarded = watched(withTimeout(1, inner, { quietExceptions: [TypeError, RangeError] }));
    await clock.advance(1);
    await expect(guarded).rejects.toBeInstanceOf(TimeoutError);
    inner.setException(new RangeError('late failure'));
    await clock.settle();
    expect(logged).toEqual([]);
  });

  test('never logs a late cancellation', async () => {
    const { clock } = currentVirtualLoop();
    const logged = captureLog(appLog);
    const cancelled = new Future<string>();
    const failedWithCancel = new Future<string>();
    const a = watched(withTimeout(1, cancelled));
    const b = watched(withTimeout(1, failedWithCancel));
    await clock.advance(1);
    await expect(a).rejects.toBeInstanceOf(TimeoutError);
    await expect(b).rejects.toBeInstanceOf(TimeoutError);
    cancelled.cancel();
    failedWithCancel.setException(new CancelledError());
    await clock.settle();
    expect(logged).toEqual([]);
  });

  test('does not log a late success', async () => {
    const { clock } = currentVirtualLoop();
    const logged = captureLog(appLog);
    const inner = new Future<string>();
    const guarded = watched(withTimeout(1, inner));
    await clock.advance(1);
    await expect(guarded).rejects.toBeInstanceOf(TimeoutError);
    inner.setResult('fine');
    await clock.settle();
    expect(logged).toEqual([]);
  });

  test('a coroutine can catch the TimeoutError at its yield', async () => {
    const { clock } = currentVirtualLoop();
    const c = coroutine(function* () {
      try {
        yield withTimeout(0.5, sleep(10));
      } catch (error) {
        return error instanceof TimeoutError ? 'timed out' : 'other';
      }
      return 'finished';
    })();
    await clock.advance(0.5);
    expect(await c).toBe('timed out');
    await clock.advance(10);
  });

  test('keeps a coroutine alive while its Future is only held by withTimeout', async () => {
    const { loop, clock } = currentVirtualLoop();
    const tester = coroutine(function* () {
      const f = new Future<number>();
      loop.addCallback(() => f.setResult(123));
      return yield f;
    });
    expect(await withTimeout(1, tester())).toBe(123);
    await clock.settle();
    expect(loop.pendingTimeouts).toBe(0);
  });
});

describe('withTimeout on executor Futures (Tornado: concurrent futures)', () => {
  test('times out on a thread-pool task that is still running', async () => {
    const { loop, clock } = currentVirtualLoop();
    const pool = new ThreadPoolExecutor({ maxWorkers: 1 });
    try {
      const task = loop.runInExecutor(
        pool,
        { module: 'node:timers/promises', name: 'setTimeout' },
        10_000,
      );
      const guarded = watched(withTimeout({ deadline: loop.time() }, task));
      await clock.advance(0);
      expect(guarded.exception()).toBeInstanceOf(TimeoutError);
      expect(task.done()).toBe(false);
    } finally {
      await pool.shutdown();
    }
  });

  test('resolves with a thread-pool task that finished before withTimeout was called', async () => {
    const { loop } = currentVirtualLoop();
    const pool = new ThreadPoolExecutor({ maxWorkers: 1 });
    try {
      const task = loop.runInExecutor(pool, { module: 'node:path', name: 'join' }, 'a', 'b');
      await task;
      expect(await withTimeout(3600, task)).toBe('a/b');
      expect(loop.pendingTimeouts).toBe(0);
    } finally {
      await pool.shutdown();
    }
  });

  test('resolves with a thread-pool task that finishes while it waits', async () => {
    const { loop } = currentVirtualLoop();
    const pool = new ThreadPoolExecutor({ maxWorkers: 1 });
    try {
      const task = loop.runInExecutor(pool, { module: 'node:path', name: 'join' }, 'x', 'y');
      expect(await withTimeout(3600, task)).toBe('x/y');
      expect(loop.pendingTimeouts).toBe(0);
    } finally {
      await pool.shutdown();
    }
  });

  test('resolves with an inline executor task', async () => {
    const { loop } = currentVirtualLoop();
    const task = loop.runInExecutor(new InlineExecutor(), (a: number, b: number) => a + b, 40, 2);
    expect(await withTimeout(3600, task)).toBe(42);
  });
});

describe('deadlineOf', () => {
  test('adds a relative number to the loop time and takes { deadline } as it is', () => {
    const { loop } = currentVirtualLoop(10);
    expect(deadlineOf(2.5, loop)).toBe(12.5);
    expect(deadlineOf({ deadline: 3 }, loop)).toBe(3);
    expect(deadlineOf(1)).toBe(11);
  });
});
