/**
 * Event: isSet/set/clear/wait and wait timeouts (Tornado's EventTest).
 */

import { Event, TimeoutError } from '@tronada/gen';
import { describe, expect, test } from 'vitest';
import { currentVirtualLoop } from './coroutine-helpers.js';

describe('Event', () => {
  test('toString says clear, then set', () => {
    const e = new Event();
    expect(String(e)).toBe('<Event clear>');
    e.set();
    expect(String(e)).toBe('<Event set>');
  });

  test('set wakes earlier waiters, wait returns at once while set, and clear makes it block again', () => {
    currentVirtualLoop();
    const e = new Event();
    expect(e.isSet()).toBe(false);
    const f0 = e.wait();
    e.set();
    expect(e.isSet()).toBe(true);
    const f1 = e.wait();
    e.clear();
    expect(e.isSet()).toBe(false);
    const f2 = e.wait();
    expect(f0.done()).toBe(true);
    expect(f1.done()).toBe(true);
    expect(f2.done()).toBe(false);
    e.set();
    expect(f2.done()).toBe(true);
  });

  test('wait fails with TimeoutError when not set in time, and the Event works normally after', async () => {
    const { loop, clock } = currentVirtualLoop();
    const e = new Event();
    const timedOut = e.wait(0.01);
    const outcome = timedOut.then(
      () => 'resolved',
      (error: unknown) => error,
    );
    await clock.advance(0.01);
    expect(await outcome).toBeInstanceOf(TimeoutError);
    expect(loop.pendingTimeouts).toBe(0);

    loop.callLater(0.01, () => e.set());
    const wait = e.wait(1);
    await clock.advance(0.01);
    expect(wait.done()).toBe(true);
    expect(loop.pendingTimeouts).toBe(0);
    await wait;
  });

  test('setting twice keeps it set', () => {
    const e = new Event();
    e.set();
    e.set();
    expect(e.isSet()).toBe(true);
  });

  test('clear before set does not forget the waiters', () => {
    currentVirtualLoop();
    const e = new Event();
    const f0 = e.wait();
    e.clear();
    const f1 = e.wait();
    e.set();
    expect(f0.done()).toBe(true);
    expect(f1.done()).toBe(true);
  });

  test('a timed-out waiter is never woken by a later set', async () => {
    const { clock } = currentVirtualLoop();
    const e = new Event();
    const timedOut = e.wait(1);
    const outcome = timedOut.then(
      () => 'resolved',
      (error: unknown) => error,
    );
    const patient = e.wait();
    await clock.advance(1);
    e.set();
    expect(await outcome).toBeInstanceOf(TimeoutError);
    expect(patient.done()).toBe(true);
  });
});
