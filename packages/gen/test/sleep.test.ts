/**
 * sleep(seconds): a Future that resolves after that long on the current loop's clock.
 */

import { coroutine, sleep } from '@tronada/gen';
import { IOLoop, VirtualClock } from '@tronada/ioloop';
import fc from 'fast-check';
import { describe, expect, onTestFinished, test } from 'vitest';
import { currentVirtualLoop } from './coroutine-helpers.js';

describe('sleep', () => {
  test('resolves with undefined exactly when the virtual clock reaches the delay', async () => {
    const { loop, clock } = currentVirtualLoop();
    const f = sleep(0.01);
    await clock.advance(0.0099);
    expect(f.done()).toBe(false);
    await clock.advance(0.0001);
    expect(f.done()).toBe(true);
    expect(f.result()).toBeUndefined();
    expect(loop.pendingTimeouts).toBe(0);
  });

  test('pauses a coroutine without blocking the loop', async () => {
    const { loop, clock } = currentVirtualLoop();
    const events: string[] = [];
    const sleeper = coroutine(function* (name: string, seconds: number) {
      events.push(`${name} sleeping`);
      yield sleep(seconds);
      events.push(`${name} awake at ${loop.time()}`);
    });
    const a = sleeper('a', 2);
    const b = sleeper('b', 1);
    await clock.advance(2);
    await Promise.all([a, b]);
    expect(events).toEqual(['a sleeping', 'b sleeping', 'b awake at 1', 'a awake at 2']);
  });

  test('sleep(0) resolves on the next timer check, not synchronously', async () => {
    const { clock } = currentVirtualLoop();
    const f = sleep(0);
    expect(f.done()).toBe(false);
    await clock.advance(0);
    expect(f.done()).toBe(true);
  });

  test('uses the loop that is current when it is called', async () => {
    const otherClock = new VirtualClock();
    const other = new IOLoop({ clock: otherClock });
    onTestFinished(() => other.close());
    other.makeCurrent();
    const onOther = sleep(1);
    const { clock } = currentVirtualLoop();
    const onMine = sleep(1);
    await clock.advance(1);
    expect(onMine.done()).toBe(true);
    expect(onOther.done()).toBe(false);
    await otherClock.advance(1);
    expect(onOther.done()).toBe(true);
  });

  test('cancelling a sleep removes its timer', async () => {
    const { loop, clock } = currentVirtualLoop();
    const f = sleep(1);
    expect(loop.pendingTimeouts).toBe(1);
    f.cancel();
    expect(loop.pendingTimeouts).toBe(0);
    await clock.advance(1);
    expect(f.cancelled()).toBe(true);
  });

  test('cancelling a coroutine that sleeps removes the timer of its sleep', () => {
    const { loop } = currentVirtualLoop();
    const c = coroutine(function* () {
      yield sleep(3600);
    })();
    expect(loop.pendingTimeouts).toBe(1);
    c.cancel();
    expect(loop.pendingTimeouts).toBe(0);
  });

  test('sleeps of any lengths finish in order of their end times, each at its end time', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 20 }),
        async (millis) => {
          const clock = new VirtualClock();
          const loop = new IOLoop({ clock });
          loop.makeCurrent();
          try {
            const woke: Array<[number, number]> = [];
            millis.forEach((ms, i) => {
              sleep(ms / 1000).addDoneCallback(() => woke.push([i, loop.time()]));
            });
            await clock.advance(1);
            const expected = millis
              .map((ms, i) => [i, ms / 1000] as [number, number])
              .sort((x, y) => x[1] - y[1] || x[0] - y[0]);
            expect(woke).toEqual(expected);
          } finally {
            loop.close();
            IOLoop.clearCurrent();
          }
        },
      ),
      { seed: 20261121, numRuns: 50 },
    );
  });
});
