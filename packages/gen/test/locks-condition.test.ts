/**
 * Condition: wait/notify/notifyAll, FIFO wake order, timeouts (Tornado's ConditionTest).
 */

import { Condition, coroutine } from '@tronada/gen';
import type { Future } from '@tronada/ioloop';
import { describe, expect, test } from 'vitest';
import { currentVirtualLoop } from './coroutine-helpers.js';

/** Records `key` (or 'timeout' when the wait resolved false) once `wait` resolves. */
function recordDone(history: unknown[], wait: Future<boolean>, key: unknown): void {
  wait.addDoneCallback((f) => history.push(f.result() ? key : 'timeout'));
}

describe('Condition', () => {
  test('toString names the Condition and shows waiters only while coroutines wait', () => {
    currentVirtualLoop();
    const c = new Condition();
    expect(String(c)).toBe('<Condition>');
    c.wait();
    expect(String(c)).toBe('<Condition waiters[1]>');
    c.notify();
    expect(String(c)).toBe('<Condition>');
  });

  test('a waiting coroutine resumes with true when notified later', async () => {
    const { loop, clock } = currentVirtualLoop();
    const c = new Condition();
    loop.callLater(0.01, () => c.notify());
    const waiter = coroutine(function* () {
      return yield* c.wait();
    })();
    await clock.advance(0.01);
    expect(waiter.result()).toBe(true);
  });

  test('notify(1) wakes one waiter at a time, first come first served', async () => {
    const { clock } = currentVirtualLoop();
    const c = new Condition();
    const history: unknown[] = [];
    recordDone(history, c.wait(), 'wait1');
    recordDone(history, c.wait(), 'wait2');
    c.notify(1);
    await clock.advance(0);
    history.push('notify1');
    c.notify(1);
    await clock.advance(0);
    history.push('notify2');
    expect(history).toEqual(['wait1', 'notify1', 'wait2', 'notify2']);
  });

  test('notify(n) wakes the first n waiters in the order they started waiting', async () => {
    const { clock } = currentVirtualLoop();
    const c = new Condition();
    const history: unknown[] = [];
    for (let i = 0; i < 6; i++) recordDone(history, c.wait(), i);
    c.notify(3);
    await clock.advance(0);
    expect(history).toEqual([0, 1, 2]);
    c.notify(1);
    await clock.advance(0);
    expect(history).toEqual([0, 1, 2, 3]);
    c.notify(2);
    await clock.advance(0);
    expect(history).toEqual([0, 1, 2, 3, 4, 5]);
  });

  test('notify() with nobody waiting is remembered by nobody', async () => {
    const { clock } = currentVirtualLoop();
    const c = new Condition();
    c.notify(5);
    const wait = c.wait();
    await clock.advance(1);
    expect(wait.done()).toBe(false);
    c.notify();
    expect(await wait).toBe(true);
  });

  test('notifyAll wakes every waiter, in order, before later work', async () => {
    const { clock } = currentVirtualLoop();
    const c = new Condition();
    const history: unknown[] = [];
    for (let i = 0; i < 4; i++) recordDone(history, c.wait(), i);
    c.notifyAll();
    await clock.advance(0);
    history.push('notifyAll');
    expect(history).toEqual([0, 1, 2, 3, 'notifyAll']);
  });

  test('wait resolves false once its timeout has passed, and a late notify changes nothing', async () => {
    const { loop, clock } = currentVirtualLoop();
    const c = new Condition();
    const wait = c.wait(0.01);
    loop.callLater(0.02, () => c.notify()); // too late
    await clock.advance(0.0099);
    expect(wait.done()).toBe(false);
    await clock.advance(0.0001);
    expect(wait.result()).toBe(false);
    await clock.advance(0.02);
    expect(wait.result()).toBe(false);
  });

  test('a timeout given as { deadline } is an absolute loop time', async () => {
    const { clock } = currentVirtualLoop(100);
    const c = new Condition();
    const wait = c.wait({ deadline: 102 });
    await clock.advance(1.9);
    expect(wait.done()).toBe(false);
    await clock.advance(0.1);
    expect(wait.result()).toBe(false);
  });

  test('a notify before the timeout resolves true and cancels the timer', async () => {
    const { loop, clock } = currentVirtualLoop();
    const c = new Condition();
    loop.callLater(0.01, () => c.notify());
    const wait = c.wait(0.02);
    await clock.advance(0.01);
    expect(wait.result()).toBe(true);
    expect(loop.pendingTimeouts).toBe(0);
    await clock.advance(0.02);
    expect(wait.result()).toBe(true);
  });

  test('a timed-out waiter does not count against notify(n)', async () => {
    const { clock } = currentVirtualLoop();
    const c = new Condition();
    const history: unknown[] = [];
    recordDone(history, c.wait(), 0);
    recordDone(history, c.wait(0.01), 1);
    recordDone(history, c.wait(), 2);
    recordDone(history, c.wait(), 3);
    await clock.advance(0.02);
    expect(history).toEqual(['timeout']);
    c.notify(2);
    await clock.advance(0.01);
    expect(history).toEqual(['timeout', 0, 2]);
    c.notify();
    await clock.advance(0);
    expect(history).toEqual(['timeout', 0, 2, 3]);
  });

  test('notifyAll after a timeout wakes the remaining waiters only', async () => {
    const { clock } = currentVirtualLoop();
    const c = new Condition();
    const history: unknown[] = [];
    recordDone(history, c.wait(), 0);
    recordDone(history, c.wait(0.01), 1);
    recordDone(history, c.wait(), 2);
    await clock.advance(0.02);
    expect(history).toEqual(['timeout']);
    c.notifyAll();
    await clock.advance(0);
    expect(history).toEqual(['timeout', 0, 2]);
  });

  test('a notify made by a woken waiter reaches the next waiter', async () => {
    const { clock } = currentVirtualLoop();
    const c = new Condition();
    const futures = [c.wait(), c.wait(), c.wait()];
    futures[1]!.addDoneCallback(() => c.notify());
    c.notify(2);
    await clock.advance(0);
    expect(futures.map((f) => f.done())).toEqual([true, true, true]);
  });

  test('timed-out waiters leave the line at once, so short waits in a loop do not pile up', async () => {
    const { clock } = currentVirtualLoop();
    const c = new Condition();
    for (let i = 0; i < 101; i++) c.wait(0.01);
    const last = c.wait();
    expect(String(c)).toBe('<Condition waiters[102]>');
    await clock.advance(0.02);
    expect(String(c)).toBe('<Condition waiters[1]>');
    expect(last.done()).toBe(false);
    c.notify();
    expect(last.result()).toBe(true);
    expect(String(c)).toBe('<Condition>');
  });

  test('a waiter cancelled by its owner leaves the line at once and is never notified', async () => {
    const { loop, clock } = currentVirtualLoop();
    const c = new Condition();
    const cancelled = c.wait(10);
    const next = c.wait();
    cancelled.cancel();
    expect(String(c)).toBe('<Condition waiters[1]>');
    expect(loop.pendingTimeouts).toBe(0);
    c.notify();
    expect(next.result()).toBe(true);
    expect(cancelled.cancelled()).toBe(true);
    expect(String(c)).toBe('<Condition>');
    await clock.advance(20);
  });
});
