import type { TimeoutHandle } from '@tronada/ioloop';
import { appLog, Future, IOLoop } from '@tronada/ioloop';
import { describe, expect, test } from 'vitest';
import { captureLog, virtualLoop } from './helpers.js';

describe('timeouts on the virtual clock', () => {
  test('fire in deadline order whatever order they were added in', async () => {
    const { loop, clock } = virtualLoop();
    const fired: Array<[string, number]> = [];
    for (const [name, delay] of [
      ['c', 3],
      ['a', 1],
      ['d', 4],
      ['b', 2],
    ] as const) {
      loop.callLater(delay, () => fired.push([name, loop.time()]));
    }
    await clock.advance(10);
    expect(fired).toEqual([
      ['a', 1],
      ['b', 2],
      ['c', 3],
      ['d', 4],
    ]);
  });

  test('with equal deadlines fire in the order they were added', async () => {
    const { loop, clock } = virtualLoop();
    const fired: number[] = [];
    for (let i = 0; i < 20; i++) loop.callAt(5, () => fired.push(i));
    loop.callAt(4, () => fired.push(-1));
    await clock.advance(5);
    expect(fired).toEqual([-1, ...Array.from({ length: 20 }, (_, i) => i)]);
  });

  test('never fire before their deadline and fire exactly at it', async () => {
    const { loop, clock } = virtualLoop(100);
    const firedAt: number[] = [];
    loop.callLater(2.5, () => firedAt.push(loop.time()));
    await clock.advance(2.4999);
    expect(firedAt).toEqual([]);
    await clock.advance(0.0001);
    expect(firedAt).toHaveLength(1);
    expect(firedAt[0]).toBeCloseTo(102.5, 10);
    expect(firedAt[0]).toBeGreaterThanOrEqual(102.5);
  });

  test('a deadline already in the past fires on the next wake-up', async () => {
    const { loop, clock } = virtualLoop(50);
    const fired: number[] = [];
    loop.callAt(10, () => fired.push(loop.time()));
    await clock.advance(0);
    expect(fired).toEqual([50]);
  });

  test('loop.time() is the clock time in seconds and stands still between advances', async () => {
    const { loop, clock } = virtualLoop(7);
    expect(loop.time()).toBe(7);
    expect(loop.time()).toBe(7);
    await clock.advance(1.5);
    expect(loop.time()).toBe(8.5);
    expect(loop.clock).toBe(clock);
  });

  test('callLater is relative to loop.time(), callAt absolute, addTimeout takes both forms', async () => {
    const { loop, clock } = virtualLoop(1000);
    const fired: Array<[string, number]> = [];
    loop.callLater(3, () => fired.push(['callLater', loop.time()]));
    loop.callAt(1001, () => fired.push(['callAt', loop.time()]));
    loop.addTimeout(1002, () => fired.push(['addTimeout number', loop.time()]));
    loop.addTimeout({ delay: 4 }, () => fired.push(['addTimeout delay', loop.time()]));
    await clock.advance(5);
    expect(fired).toEqual([
      ['callAt', 1001],
      ['addTimeout number', 1002],
      ['callLater', 1003],
      ['addTimeout delay', 1004],
    ]);
  });

  test('every timeout method passes extra arguments through', async () => {
    const { loop, clock } = virtualLoop();
    const results: number[] = [];
    const append = (n: number): void => {
      results.push(n);
    };
    loop.addTimeout(loop.time(), append, 1);
    loop.addTimeout({ delay: 0 }, append, 2);
    loop.callAt(loop.time(), append, 3);
    loop.callLater(0, append, 4);
    loop.callLater(0, (a: string, b: number[]) => results.push(a.length, ...b), 'xy', [9]);
    await clock.advance(0);
    expect(results).toEqual([1, 2, 3, 4, 2, 9]);
  });

  test('a timeout that throws is logged and the other timeouts still fire', async () => {
    const { loop, clock } = virtualLoop();
    const records = captureLog(appLog);
    const fired: string[] = [];
    loop.callLater(1, function failingTimer() {
      throw new Error('timer failure');
    });
    loop.callLater(1, () => fired.push('same deadline'));
    loop.callLater(2, () => fired.push('later'));
    await clock.advance(3);
    expect(fired).toEqual(['same deadline', 'later']);
    expect(records.map((r) => r.message)).toEqual(['Exception in callback failingTimer']);
  });

  test('a timeout scheduled from a timeout fires at its own deadline in the same advance', async () => {
    const { loop, clock } = virtualLoop();
    const fired: number[] = [];
    loop.callLater(1, () => {
      fired.push(loop.time());
      loop.callLater(0, () => fired.push(loop.time()));
      loop.callLater(0.5, () => fired.push(loop.time()));
    });
    await clock.advance(2);
    expect(fired).toEqual([1, 1, 1.5]);
  });

  test('callAt rejects a NaN deadline', () => {
    const { loop } = virtualLoop();
    expect(() => loop.callAt(Number.NaN, () => undefined)).toThrow(RangeError);
  });

  test('close drops pending timeouts and disarms the clock', async () => {
    const { loop, clock } = virtualLoop();
    const fired: string[] = [];
    loop.callLater(1, () => fired.push('dropped'));
    expect(loop.pendingTimeouts).toBe(1);
    expect(clock.pendingWakes).toBe(1);
    loop.close();
    expect(loop.pendingTimeouts).toBe(0);
    expect(clock.pendingWakes).toBe(0);
    await clock.advance(5);
    expect(fired).toEqual([]);
  });

  test('a timeout that closes the loop stops the rest of its batch', async () => {
    const { loop, clock } = virtualLoop();
    const fired: string[] = [];
    loop.callLater(1, () => {
      fired.push('closer');
      loop.close();
    });
    loop.callLater(1, () => fired.push('same deadline'));
    await clock.advance(2);
    expect(fired).toEqual(['closer']);
  });
});

describe('removeTimeout', () => {
  test('every timeout method returns a handle that removeTimeout accepts', async () => {
    const { loop, clock } = virtualLoop();
    const fired: string[] = [];
    const handles: TimeoutHandle[] = [
      loop.addTimeout(loop.time(), () => fired.push('addTimeout')),
      loop.addTimeout({ delay: 0 }, () => fired.push('addTimeout delay')),
      loop.callAt(loop.time(), () => fired.push('callAt')),
      loop.callLater(0, () => fired.push('callLater')),
    ];
    for (const handle of handles) {
      expect(handle).toBeTruthy();
      loop.removeTimeout(handle);
    }
    expect(loop.pendingTimeouts).toBe(0);
    await clock.advance(1);
    expect(fired).toEqual([]);
  });

  test('a removed timeout never fires while its neighbours do', async () => {
    const { loop, clock } = virtualLoop();
    const fired: number[] = [];
    const handles = [1, 2, 3, 4].map((n) => loop.callLater(n, () => fired.push(n)));
    loop.removeTimeout(handles[1]);
    loop.removeTimeout(handles[2]);
    await clock.advance(10);
    expect(fired).toEqual([1, 4]);
  });

  test('is a no-op after the timeout fired, when repeated, and for null or undefined', async () => {
    const { loop, clock } = virtualLoop();
    const fired = new Future<void>();
    const handle = loop.callLater(0, () => fired.setResult(undefined));
    await clock.advance(0);
    expect(fired.done()).toBe(true);
    expect(() => loop.removeTimeout(handle)).not.toThrow();
    expect(() => loop.removeTimeout(handle)).not.toThrow();
    expect(() => loop.removeTimeout(null)).not.toThrow();
    expect(() => loop.removeTimeout(undefined)).not.toThrow();
  });

  test('from inside a timeout cancels another timeout that is due in the same batch', async () => {
    const { loop, clock } = virtualLoop();
    const calls = { first: false, second: false, third: false };
    const now = loop.time();
    loop.callAt(now + 0.01, () => {
      calls.first = true;
      loop.removeTimeout(second);
    });
    const second = loop.callAt(now + 0.02, () => {
      calls.second = true;
    });
    loop.callAt(now + 0.03, () => {
      calls.third = true;
    });
    // Jump past all three deadlines at once, so they are taken off the heap together.
    await clock.setTime(now + 1);
    expect(calls).toEqual({ first: true, second: false, third: true });
  });

  test('adding and removing thousands of timeouts leaves nothing behind', async () => {
    const { loop, clock } = virtualLoop();
    for (let i = 0; i < 2000; i++) {
      const handle = loop.callLater(3600, () => {
        throw new Error('must not fire');
      });
      loop.removeTimeout(handle);
    }
    expect(loop.pendingTimeouts).toBe(0);
    expect(clock.pendingWakes).toBe(0);
    await clock.advance(7200);
  });
});

describe('timeouts on the system clock', () => {
  test('fire on real time, no earlier than their deadline', async () => {
    const loop = new IOLoop();
    try {
      const deadline = loop.time() + 0.005;
      const firedAt = new Future<number>();
      loop.callAt(deadline, () => firedAt.setResult(loop.time()));
      expect(await firedAt).toBeGreaterThanOrEqual(deadline);
      expect(Math.abs(loop.time() - Date.now() / 1000)).toBeLessThan(1);
    } finally {
      loop.close();
    }
  });

  test('a removed timeout does not keep the loop armed', async () => {
    const loop = new IOLoop();
    try {
      const handle = loop.callLater(60, () => undefined);
      const before = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
      loop.removeTimeout(handle);
      const after = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
      expect(after).toBe(before - 1);
    } finally {
      loop.close();
    }
  });
});
