/**
 * Lock: acquire/release, FIFO hand-over, timeouts, misuse, releasers and `use(fn)` (Tornado's
 * LockTests).
 */

import { BadYieldError, coroutine, Lock, multi, sleep, TimeoutError } from '@tronada/gen';
import { Future, InvalidStateError } from '@tronada/ioloop';
import { describe, expect, test } from 'vitest';
import { currentVirtualLoop } from './coroutine-helpers.js';

describe('Lock', () => {
  test('toString shows whether it is locked and who waits', () => {
    currentVirtualLoop();
    const lock = new Lock();
    expect(String(lock)).toBe('<Lock unlocked>');
    lock.acquire();
    expect(String(lock)).toBe('<Lock locked>');
    lock.acquire();
    expect(String(lock)).toBe('<Lock locked waiters[1]>');
  });

  test('acquire is done at once when unlocked, and a release hands the lock to the waiter', () => {
    currentVirtualLoop();
    const lock = new Lock();
    expect(lock.acquire().done()).toBe(true);
    const future = lock.acquire();
    expect(future.done()).toBe(false);
    lock.release();
    expect(future.done()).toBe(true);
    expect(String(lock)).toBe('<Lock locked>');
  });

  test('coroutines waiting with a `using` releaser get the lock in the order they asked', async () => {
    currentVirtualLoop();
    const lock = new Lock();
    expect(lock.acquire().done()).toBe(true);
    const history: number[] = [];
    const f = coroutine(function* (index: number) {
      using _held = yield* lock.acquire();
      history.push(index);
    });
    const futures = Array.from({ length: 5 }, (_, i) => f(i));
    expect(futures.some((x) => x.done())).toBe(false);
    lock.release();
    await multi(futures);
    expect(history).toEqual([0, 1, 2, 3, 4]);
    expect(String(lock)).toBe('<Lock unlocked>');
  });

  test('async functions waiting with `await using` get the lock in the order they asked', async () => {
    currentVirtualLoop();
    const lock = new Lock();
    expect(lock.acquire().done()).toBe(true);
    const history: number[] = [];
    const f = async (index: number): Promise<void> => {
      await using _held = await lock.acquire();
      history.push(index);
    };
    const promises = Array.from({ length: 5 }, (_, i) => f(i));
    lock.release();
    await Promise.all(promises);
    expect(history).toEqual([0, 1, 2, 3, 4]);
  });

  test('acquire fails with TimeoutError when the lock does not come in time, and it stays locked', async () => {
    const { loop, clock } = currentVirtualLoop();
    const lock = new Lock();
    lock.acquire();
    const timedOut = lock.acquire(0.01).then(
      () => 'resolved',
      (error: unknown) => error,
    );
    await clock.advance(0.01);
    expect(await timedOut).toBeInstanceOf(TimeoutError);
    expect(loop.pendingTimeouts).toBe(0);
    expect(lock.acquire().done()).toBe(false);
  });

  test('releasing an unlocked lock is an InvalidStateError', () => {
    currentVirtualLoop();
    const lock = new Lock();
    expect(() => lock.release()).toThrow(InvalidStateError);
    lock.acquire();
    lock.release();
    expect(() => lock.release()).toThrow(/unlocked Lock/);
  });

  test('yielding the lock itself instead of acquire() is a BadYieldError', async () => {
    currentVirtualLoop();
    const c = coroutine(function* () {
      yield new Lock();
    })();
    await expect(c).rejects.toBeInstanceOf(BadYieldError);
  });

  test('`using` the lock itself instead of an acquisition is a TypeError', () => {
    const misuse = (): void => {
      // @ts-expect-error: a Lock is not Disposable, only what acquire() gives is
      using _lock = new Lock();
    };
    expect(misuse).toThrow(TypeError);
  });

  test("a stale releaser cannot release the next holder's acquisition", async () => {
    currentVirtualLoop();
    const lock = new Lock();
    const first = await lock.acquire();
    lock.release(); // released the Tronada way, not through the releaser
    expect(first.held).toBe(false);
    const second = await lock.acquire();
    first.release(); // a `using` block ending late would do this
    expect(second.held).toBe(true);
    expect(String(lock)).toBe('<Lock locked>');
    second.release();
    expect(String(lock)).toBe('<Lock unlocked>');
  });

  test('a waiter cancelled by its owner is skipped when the lock is handed over', () => {
    currentVirtualLoop();
    const lock = new Lock();
    lock.acquire();
    const cancelled = lock.acquire();
    const next = lock.acquire();
    cancelled.cancel();
    lock.release();
    expect(next.done()).toBe(true);
    expect(String(lock)).toBe('<Lock locked>');
  });
});

describe('Lock.use', () => {
  test('serialises async critical sections in call order', async () => {
    const { clock } = currentVirtualLoop();
    const lock = new Lock();
    const history: string[] = [];
    const section = (name: string, seconds: number) =>
      lock.use(async () => {
        history.push(`enter ${name}`);
        await sleep(seconds);
        history.push(`leave ${name}`);
        return name;
      });
    const all = multi([section('a', 2), section('b', 1), section('c', 0)]);
    await clock.advance(3);
    expect(await all).toEqual(['a', 'b', 'c']);
    expect(history).toEqual(['enter a', 'leave a', 'enter b', 'leave b', 'enter c', 'leave c']);
    expect(String(lock)).toBe('<Lock unlocked>');
  });

  test('runs at once, inside the call, when the lock is free', () => {
    currentVirtualLoop();
    const lock = new Lock();
    let inside = '';
    const f = lock.use(function* () {
      inside = String(lock);
      return yield* Future.resolved(1); // a done Future does not suspend the coroutine
    });
    expect(inside).toBe('<Lock locked>');
    expect(f.result()).toBe(1);
    expect(String(lock)).toBe('<Lock unlocked>');
  });

  test('releases when the critical section fails', async () => {
    const { clock } = currentVirtualLoop();
    const lock = new Lock();
    const failed = lock.use(function* () {
      yield sleep(1);
      throw new SyntaxError('boom');
    });
    const settled = expect(failed).rejects.toThrow('boom');
    await clock.advance(1);
    await settled;
    expect(String(lock)).toBe('<Lock unlocked>');
  });

  test('cancelled while waiting, it leaves the line and never runs the section', async () => {
    const { clock } = currentVirtualLoop();
    const lock = new Lock();
    const held = await lock.acquire();
    let ran = false;
    const used = lock.use(() => {
      ran = true;
    });
    used.cancel();
    held.release();
    await clock.advance(0);
    expect(ran).toBe(false);
    expect(String(lock)).toBe('<Lock unlocked>');
  });

  test('cancelled after the lock was handed to it but before it resumed, it gives the lock back', async () => {
    const { clock } = currentVirtualLoop();
    const lock = new Lock();
    const held = await lock.acquire();
    let ran = false;
    const used = lock.use(() => {
      ran = true;
    });
    held.release(); // hands the lock to the waiting use() ...
    used.cancel(); // ... which is cancelled before its coroutine resumes
    await clock.advance(0);
    expect(ran).toBe(false);
    expect(used.cancelled()).toBe(true);
    expect(String(lock)).toBe('<Lock unlocked>');
  });

  test('gives up after the timeout without running the section', async () => {
    const { clock } = currentVirtualLoop();
    const lock = new Lock();
    const held = await lock.acquire();
    let ran = false;
    const timedOut = lock
      .use(
        () => {
          ran = true;
        },
        { deadline: 5 },
      )
      .then(
        () => 'resolved',
        (error: unknown) => error,
      );
    await clock.advance(5);
    expect(await timedOut).toBeInstanceOf(TimeoutError);
    expect(ran).toBe(false);
    held.release();
    expect(String(lock)).toBe('<Lock unlocked>');
  });
});
