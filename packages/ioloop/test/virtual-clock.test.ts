import { Future, IOLoop, VirtualClock } from '@tronada/ioloop';
import { describe, expect, test } from 'vitest';
import { virtualLoop } from './helpers.js';

describe('VirtualClock', () => {
  test('starts at the given time (0 by default) and stands still', () => {
    expect(new VirtualClock().now()).toBe(0);
    const clock = new VirtualClock(1234.5);
    expect(clock.now()).toBe(1234.5);
    expect(clock.now()).toBe(1234.5);
  });

  test('advance fires each due wake-up at its own deadline, in deadline then arming order', async () => {
    const clock = new VirtualClock(10);
    const fired: Array<[string, number]> = [];
    clock.wakeAt(13, () => fired.push(['c', clock.now()]));
    clock.wakeAt(11, () => fired.push(['a', clock.now()]));
    clock.wakeAt(12, () => fired.push(['b1', clock.now()]));
    clock.wakeAt(12, () => fired.push(['b2', clock.now()]));
    clock.wakeAt(20, () => fired.push(['later', clock.now()]));
    expect(clock.pendingWakes).toBe(5);
    await clock.advance(5);
    expect(fired).toEqual([
      ['a', 11],
      ['b1', 12],
      ['b2', 12],
      ['c', 13],
    ]);
    expect(clock.now()).toBe(15);
    expect(clock.pendingWakes).toBe(1);
  });

  test('a disarmed wake-up never fires, and disarming twice is harmless', async () => {
    const clock = new VirtualClock();
    let fired = false;
    const disarm = clock.wakeAt(1, () => {
      fired = true;
    });
    disarm();
    disarm();
    await clock.advance(2);
    expect(fired).toBe(false);
    expect(clock.pendingWakes).toBe(0);
  });

  test('a wake-up armed for the past fires at the current time, which never goes back', async () => {
    const clock = new VirtualClock(100);
    const seen: number[] = [];
    clock.wakeAt(50, () => seen.push(clock.now()));
    await clock.advance(0);
    expect(seen).toEqual([100]);
  });

  test('advance rejects a negative or NaN amount', async () => {
    const clock = new VirtualClock();
    await expect(clock.advance(-1)).rejects.toThrow(RangeError);
    await expect(clock.advance(Number.NaN)).rejects.toThrow(RangeError);
  });

  test('setTime forward fires what is due; setTime backwards fires nothing', async () => {
    const clock = new VirtualClock(10);
    const fired: number[] = [];
    clock.wakeAt(12, () => fired.push(clock.now()));
    await clock.setTime(5);
    expect(clock.now()).toBe(5);
    expect(fired).toEqual([]);
    await clock.setTime(12);
    expect(fired).toEqual([12]);
  });

  test('lets microtasks and coroutines run between due timers', async () => {
    const { loop, clock } = virtualLoop();
    const trace: Array<[string, number]> = [];
    const tick = new Future<void>();
    loop.callLater(1, () => tick.setResult(undefined));
    void (async () => {
      await tick;
      trace.push(['awaited', loop.time()]);
      loop.callLater(0.5, () => trace.push(['scheduled after await', loop.time()]));
    })();
    loop.callLater(2, () => trace.push(['fixed timer', loop.time()]));
    await clock.advance(3);
    expect(trace).toEqual([
      ['awaited', 1],
      ['scheduled after await', 1.5],
      ['fixed timer', 2],
    ]);
  });

  test('settle runs queued loop callbacks, including ones they add, without moving time', async () => {
    const { loop, clock } = virtualLoop(3);
    const ran: string[] = [];
    loop.addCallback(() => {
      ran.push('first');
      loop.addCallback(() => ran.push('second'));
    });
    await clock.settle();
    expect(ran).toEqual(['first', 'second']);
    expect(clock.now()).toBe(3);
  });

  test('a closed loop no longer holds up settle', async () => {
    const clock = new VirtualClock();
    const loop = new IOLoop({ clock });
    loop.addCallback(() => loop.addCallback(() => undefined));
    loop.close();
    await clock.settle();
    expect(loop.pendingCallbacks).toBe(0);
  });

  test('advance gives up with a clear error when a callback keeps re-adding itself', async () => {
    const { loop, clock } = virtualLoop();
    const again = (): void => loop.addCallback(again);
    loop.addCallback(again);
    await expect(clock.advance(1)).rejects.toThrow(/still busy.*re-adding itself/);
    loop.close();
  });
});
