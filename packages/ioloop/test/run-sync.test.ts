import {
  BadYieldError,
  CancelledError,
  Future,
  IOLoop,
  IOLoopStateError,
  TimeoutError,
  VirtualClock,
} from '@tronada/ioloop';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { virtualLoop } from './helpers.js';

/** A Future resolved `seconds` later on `loop`'s clock (what `gen.sleep` does). */
function sleepOn(loop: IOLoop, seconds: number): Future<void> {
  const f = new Future<void>();
  loop.callLater(seconds, () => f.setResult(undefined));
  return f;
}

beforeEach(() => {
  IOLoop.clearCurrent();
});

afterEach(() => {
  IOLoop.current(false)?.close();
  IOLoop.clearCurrent();
});

describe('runSync with synchronous functions', () => {
  test('a function returning undefined resolves with undefined', async () => {
    const { loop } = virtualLoop();
    let ran = false;
    const result = await loop.runSync(() => {
      ran = true;
    });
    expect(result).toBeUndefined();
    expect(ran).toBe(true);
  });

  test('a function returning a plain value fails with BadYieldError, as in Tornado', async () => {
    const { loop } = virtualLoop();
    const run = loop.runSync(() => 42);
    await expect(run).rejects.toBeInstanceOf(BadYieldError);
    await expect(run).rejects.toThrow(/returned 42/);
  });

  test('a generator function gets a hint to wrap it with coroutine()', async () => {
    const { loop } = virtualLoop();
    function* notWrapped(): Generator<unknown, number, unknown> {
      yield undefined;
      return 1;
    }
    await expect(loop.runSync(notWrapped)).rejects.toThrow(/coroutine\(\)/);
  });

  test('a function that throws fails with that exception', async () => {
    const { loop } = virtualLoop();
    const error = new RangeError('division by zero');
    await expect(
      loop.runSync(() => {
        throw error;
      }),
    ).rejects.toBe(error);
  });

  test('the function runs on the loop with current() being that loop', async () => {
    const { loop } = virtualLoop();
    const other = new IOLoop({ clock: new VirtualClock(), makeCurrent: true });
    try {
      let seen: IOLoop | null = null;
      await loop.runSync(() => {
        seen = IOLoop.current();
      });
      expect(seen).toBe(loop);
      expect(IOLoop.current()).toBe(other);
    } finally {
      other.close();
    }
  });
});

describe('runSync with asynchronous functions', () => {
  test('an async function that awaits loop timers resolves with its result', async () => {
    const { loop, clock } = virtualLoop();
    const run = loop.runSync(async () => {
      await sleepOn(loop, 1);
      await sleepOn(loop, 2);
      return loop.time();
    });
    await clock.advance(3);
    expect(await run).toBe(3);
  });

  test('an async function that throws after an await fails with that exception', async () => {
    const { loop, clock } = virtualLoop();
    const run = loop.runSync(async () => {
      await sleepOn(loop, 1);
      throw new Error('late failure');
    });
    await clock.advance(1);
    await expect(run).rejects.toThrow('late failure');
  });

  test('a function returning a Future resolves with the Future’s result', async () => {
    const { loop, clock } = virtualLoop();
    const run = loop.runSync(() => {
      const f = new Future<string>();
      loop.callLater(0.5, () => f.setResult('from a future'));
      return f;
    });
    await clock.advance(1);
    expect(await run).toBe('from a future');
  });

  test('an async function awaiting a Future (a native coroutine over a Future) works', async () => {
    const { loop, clock } = virtualLoop();
    const inner = (): Future<number> => {
      const f = new Future<number>();
      loop.addCallback(() => f.setResult(5));
      return f;
    };
    const run = loop.runSync(async () => (await inner()) * 2);
    await clock.settle();
    expect(await run).toBe(10);
  });

  test('current() is still the loop after an await inside the function', async () => {
    const { loop, clock } = virtualLoop();
    const seen: Array<IOLoop | null> = [];
    const run = loop.runSync(async () => {
      seen.push(IOLoop.current(false));
      await sleepOn(loop, 1);
      seen.push(IOLoop.current(false));
      // Code written for Tornado schedules on IOLoop.current() after an await.
      await sleepOn(IOLoop.current(), 1);
      seen.push(IOLoop.current(false));
    });
    await clock.advance(2);
    await run;
    expect(seen).toEqual([loop, loop, loop]);
    expect(IOLoop.current(false)).toBeNull();
  });

  test('runSync keeps the process alive while it runs and lets go afterwards', async () => {
    const { loop, clock } = virtualLoop();
    const handles = (): number =>
      process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const before = handles();
    const run = loop.runSync(() => sleepOn(loop, 1));
    expect(handles()).toBe(before + 1);
    await clock.advance(1);
    await run;
    expect(handles()).toBe(before);
  });
});

describe('runSync timeout', () => {
  test('fails with TimeoutError and cancels the Future the function returned', async () => {
    const { loop, clock } = virtualLoop();
    const inner = new Future<void>();
    const run = loop.runSync(() => inner, { timeout: 0.01 });
    await clock.advance(0.009);
    expect(run.done()).toBe(false);
    await clock.setTime(0.01);
    await expect(run).rejects.toBeInstanceOf(TimeoutError);
    await expect(run).rejects.toThrow(/0\.01 seconds/);
    expect(inner.cancelled()).toBe(true);
    await expect(inner).rejects.toBeInstanceOf(CancelledError);
  });

  test('a run that finishes in time removes its timeout', async () => {
    const { loop, clock } = virtualLoop();
    const run = loop.runSync(() => sleepOn(loop, 1), { timeout: 5 });
    await clock.advance(1);
    await run;
    expect(loop.pendingTimeouts).toBe(0);
    expect(clock.pendingWakes).toBe(0);
  });

  test('closing the loop fails a run that has not finished', async () => {
    const { loop } = virtualLoop();
    const run = loop.runSync(() => new Future<void>());
    loop.close();
    await expect(run).rejects.toBeInstanceOf(IOLoopStateError);
    await expect(run).rejects.toThrow(/closed before runSync finished/);
  });

  test('a native Promise that outlives the timeout still gives a TimeoutError', async () => {
    const { loop, clock } = virtualLoop();
    const run = loop.runSync(() => new Promise<void>(() => undefined), { timeout: 2 });
    await clock.advance(2);
    await expect(run).rejects.toBeInstanceOf(TimeoutError);
  });
});
