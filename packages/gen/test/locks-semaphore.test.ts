/**
 * Semaphore and BoundedSemaphore: counting, FIFO hand-over, timeouts, releasers with `using`,
 * and `use(fn)` (Tornado's SemaphoreTest, SemaphoreContextManagerTest, BoundedSemaphoreTest).
 */

import type { Releaser } from '@tronada/gen';
import {
  BadYieldError,
  BoundedSemaphore,
  coroutine,
  multi,
  Semaphore,
  sleep,
  TimeoutError,
} from '@tronada/gen';
import type { Future } from '@tronada/ioloop';
import { describe, expect, expectTypeOf, test } from 'vitest';
import { currentVirtualLoop } from './coroutine-helpers.js';

/** A Promise of the Future's error, or of 'resolved'; observing it keeps a failure handled. */
function outcome(f: Future<unknown>): Promise<unknown> {
  return f.then(
    () => 'resolved',
    (error: unknown) => error,
  );
}

describe('Semaphore', () => {
  test('a negative or fractional initial value is a RangeError', () => {
    expect(() => new Semaphore(-1)).toThrow(RangeError);
    expect(() => new Semaphore(1.5)).toThrow(RangeError);
    expect(() => new Semaphore(0)).not.toThrow();
  });

  test('toString shows the free slots, locked, and the waiters', () => {
    currentVirtualLoop();
    const sem = new Semaphore();
    expect(String(sem)).toBe('<Semaphore [unlocked,value:1]>');
    sem.acquire();
    expect(String(sem)).toBe('<Semaphore [locked]>');
    sem.acquire();
    expect(String(sem)).toBe('<Semaphore [locked,waiters:1]>');
  });

  test('acquire is done at once while a slot is free, and each release wakes one waiter in order', () => {
    currentVirtualLoop();
    const sem = new Semaphore();
    expect(sem.acquire().done()).toBe(true);
    const f1 = sem.acquire();
    const f2 = sem.acquire();
    expect(f1.done()).toBe(false);
    sem.release();
    expect(f1.done()).toBe(true);
    expect(f2.done()).toBe(false);
    sem.release();
    expect(f2.done()).toBe(true);
    sem.release();
    expect(sem.acquire().done()).toBe(true);
    expect(String(sem)).toBe('<Semaphore [locked]>');
  });

  test('acquire fails with TimeoutError when no slot comes in time, and takes no slot', async () => {
    const { loop, clock } = currentVirtualLoop();
    const sem = new Semaphore(2);
    await sem.acquire();
    await sem.acquire();
    const timedOut = outcome(sem.acquire(0.01));
    loop.callLater(0.02, () => sem.release()); // too late
    await clock.advance(0.3);
    expect(await timedOut).toBeInstanceOf(TimeoutError);
    // The late release went to the counter, not to the timed-out waiter.
    expect(sem.acquire().done()).toBe(true);
    const f = sem.acquire();
    expect(f.done()).toBe(false);
    sem.release();
    expect(f.done()).toBe(true);
  });

  test('a release before the timeout satisfies the waiter and removes its timer', async () => {
    const { loop, clock } = currentVirtualLoop();
    const sem = new Semaphore(1);
    await sem.acquire();
    loop.callLater(0.01, () => sem.release());
    const acquire = sem.acquire(0.02);
    await clock.advance(0.03);
    expect(acquire.done()).toBe(true);
    await acquire;
    expect(loop.pendingTimeouts).toBe(0);
  });

  test('releases without acquires add slots', () => {
    currentVirtualLoop();
    const sem = new Semaphore();
    sem.release();
    sem.release();
    expect(sem.acquire().done()).toBe(true);
    expect(sem.acquire().done()).toBe(true);
    expect(sem.acquire().done()).toBe(true);
    expect(sem.acquire().done()).toBe(false);
  });

  test('timed-out waiters leave the line at once and never take a slot', async () => {
    const { clock } = currentVirtualLoop();
    const sem = new Semaphore(0);
    const timedOut = Array.from({ length: 101 }, () => outcome(sem.acquire(0.01)));
    const last = sem.acquire();
    expect(String(sem)).toBe('<Semaphore [locked,waiters:102]>');
    await clock.advance(0.02);
    expect(String(sem)).toBe('<Semaphore [locked,waiters:1]>');
    expect(last.done()).toBe(false);
    sem.release();
    expect(last.done()).toBe(true);
    for (const o of await Promise.all(timedOut)) expect(o).toBeInstanceOf(TimeoutError);
  });

  test('a waiter cancelled by its owner is skipped, and the slot goes to the next one', () => {
    currentVirtualLoop();
    const sem = new Semaphore(0);
    const cancelled = sem.acquire();
    const next = sem.acquire();
    cancelled.cancel();
    sem.release();
    expect(next.done()).toBe(true);
    expect(String(sem)).toBe('<Semaphore [locked]>');
  });
});

describe('Semaphore acquisitions as releasers', () => {
  test('a `using` declaration in a coroutine releases at the end of the block', async () => {
    currentVirtualLoop();
    const sem = new Semaphore();
    const c = coroutine(function* () {
      {
        using held = yield* sem.acquire();
        expect(held.held).toBe(true);
        expect(String(sem)).toBe('<Semaphore [locked]>');
      }
      return String(sem);
    })();
    expect(await c).toBe('<Semaphore [unlocked,value:1]>');
    expect(sem.acquire().done()).toBe(true);
  });

  test('an `await using` declaration in an async function releases at the end of the block', async () => {
    currentVirtualLoop();
    const sem = new Semaphore();
    const f = async (): Promise<string> => {
      {
        await using _held = await sem.acquire();
        expect(String(sem)).toBe('<Semaphore [locked]>');
      }
      return String(sem);
    };
    expect(await f()).toBe('<Semaphore [unlocked,value:1]>');
  });

  test('the releaser releases when the block throws, and the error propagates', async () => {
    currentVirtualLoop();
    const sem = new Semaphore();
    const c = coroutine(function* () {
      using _held = yield* sem.acquire();
      throw new SyntaxError('in the block');
    })();
    await expect(c).rejects.toThrow(SyntaxError);
    expect(sem.acquire().done()).toBe(true);
  });

  test('an acquisition with a timeout that is granted at once releases like any other', async () => {
    currentVirtualLoop();
    const sem = new Semaphore();
    const c = coroutine(function* () {
      using _held = yield* sem.acquire(0.01);
    })();
    await c;
    expect(sem.acquire().done()).toBe(true);
  });

  test('a timed-out acquisition never enters the block and leaves the count alone', async () => {
    const { clock } = currentVirtualLoop();
    const sem = new Semaphore(0);
    let entered = false;
    const c = coroutine(function* () {
      using _held = yield* sem.acquire(0.01);
      entered = true;
    })();
    const result = outcome(c);
    await clock.advance(0.01);
    expect(await result).toBeInstanceOf(TimeoutError);
    expect(entered).toBe(false);
    expect(sem.acquire().done()).toBe(false);
  });

  test('contending coroutines hold the semaphore one after the other', async () => {
    const { clock } = currentVirtualLoop();
    const sem = new Semaphore();
    const history: string[] = [];
    const f = coroutine(function* (index: number) {
      using _held = yield* sem.acquire();
      history.push(`acquired ${index}`);
      yield sleep(0.01);
      history.push(`release ${index}`);
    });
    const all = multi([f(0), f(1)]);
    await clock.advance(0.02);
    await all;
    expect(history).toEqual(['acquired 0', 'release 0', 'acquired 1', 'release 1']);
  });

  test('yielding the semaphore itself instead of acquire() is a BadYieldError', async () => {
    currentVirtualLoop();
    const c = coroutine(function* () {
      yield new Semaphore();
    })();
    await expect(c).rejects.toBeInstanceOf(BadYieldError);
  });

  test('`using` the semaphore itself instead of an acquisition is a TypeError', () => {
    const misuse = (): void => {
      // @ts-expect-error: a Semaphore is not Disposable, only what acquire() gives is
      using _sem = new Semaphore();
    };
    expect(misuse).toThrow(TypeError);
  });

  test('a releaser releases once: disposing after an explicit release does nothing', async () => {
    currentVirtualLoop();
    const sem = new Semaphore(1);
    {
      using held = await sem.acquire();
      held.release();
      expect(held.held).toBe(false);
      expect(String(sem)).toBe('<Semaphore [unlocked,value:1]>');
    }
    expect(String(sem)).toBe('<Semaphore [unlocked,value:1]>');
  });
});

describe('Semaphore.use', () => {
  test('runs a plain function holding a slot and resolves with its result', () => {
    currentVirtualLoop();
    const sem = new Semaphore();
    const f = sem.use(() => String(sem));
    expect(f.result()).toBe('<Semaphore [locked]>');
    expect(String(sem)).toBe('<Semaphore [unlocked,value:1]>');
  });

  test('runs an async function and releases when its Promise settles', async () => {
    const { clock } = currentVirtualLoop();
    const sem = new Semaphore();
    const f = sem.use(async () => {
      await sleep(1);
      return 7;
    });
    await clock.advance(0.5);
    expect(String(sem)).toBe('<Semaphore [locked]>');
    await clock.advance(0.5);
    expect(await f).toBe(7);
    expect(String(sem)).toBe('<Semaphore [unlocked,value:1]>');
  });

  test('runs a generator function as a coroutine', async () => {
    const { clock } = currentVirtualLoop();
    const sem = new Semaphore();
    const f = sem.use(function* () {
      yield sleep(1);
      return 'done';
    });
    await clock.advance(1);
    expect(await f).toBe('done');
    expect(String(sem)).toBe('<Semaphore [unlocked,value:1]>');
  });

  test('is typed by what the function returns', () => {
    currentVirtualLoop();
    const sem = new Semaphore();
    expectTypeOf(sem.use(() => 1)).toEqualTypeOf<Future<number>>();
    expectTypeOf(sem.use(async () => 'a')).toEqualTypeOf<Future<string>>();
    expectTypeOf(
      sem.use(function* () {
        yield sleep(0);
        return true;
      }),
    ).toEqualTypeOf<Future<boolean>>();
    expectTypeOf(sem.acquire()).toEqualTypeOf<Future<Releaser>>();
  });

  test('releases when the function throws or its Future fails, and passes the error on', async () => {
    currentVirtualLoop();
    const sem = new Semaphore();
    await expect(
      sem.use(() => {
        throw new SyntaxError('sync');
      }),
    ).rejects.toThrow('sync');
    await expect(sem.use(() => Promise.reject(new SyntaxError('async')))).rejects.toThrow('async');
    expect(String(sem)).toBe('<Semaphore [unlocked,value:1]>');
  });

  test('waits its turn, and with a timeout fails without running the function', async () => {
    const { clock } = currentVirtualLoop();
    const sem = new Semaphore(1);
    const held = await sem.acquire();
    let ran = false;
    const timedOut = outcome(
      sem.use(() => {
        ran = true;
      }, 1),
    );
    const patient = sem.use(() => 'mine');
    await clock.advance(1);
    expect(await timedOut).toBeInstanceOf(TimeoutError);
    expect(ran).toBe(false);
    expect(patient.done()).toBe(false);
    held.release();
    expect(await patient).toBe('mine');
    expect(String(sem)).toBe('<Semaphore [unlocked,value:1]>');
  });
});

describe('BoundedSemaphore', () => {
  test('a release past the initial value is a RangeError and changes nothing', () => {
    currentVirtualLoop();
    const sem = new BoundedSemaphore();
    expect(() => sem.release()).toThrow(RangeError);
    expect(() => sem.release()).toThrow('Semaphore released too many times');
    sem.acquire();
    const future = sem.acquire();
    expect(future.done()).toBe(false);
    sem.release();
    expect(future.done()).toBe(true);
    sem.release();
    expect(() => sem.release()).toThrow(RangeError);
    expect(String(sem)).toBe('<BoundedSemaphore [unlocked,value:1]>');
  });

  test('allows as many holders as its initial value', () => {
    currentVirtualLoop();
    const sem = new BoundedSemaphore(3);
    const held = [sem.acquire(), sem.acquire(), sem.acquire()];
    expect(held.every((f) => f.done())).toBe(true);
    expect(sem.acquire().done()).toBe(false);
  });

  test('times out with a TimeoutError that names the class', async () => {
    const { clock } = currentVirtualLoop();
    const sem = new BoundedSemaphore(0);
    const timedOut = outcome(sem.acquire(1));
    await clock.advance(1);
    const error = await timedOut;
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as Error).message).toMatch(/BoundedSemaphore/);
  });
});
