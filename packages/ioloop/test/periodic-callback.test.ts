import type { IOLoop } from '@tronada/ioloop';
import { appLog, Future, PeriodicCallback } from '@tronada/ioloop';
import { describe, expect, test } from 'vitest';
import { captureLog, collectUnhandledRejections, virtualLoop } from './helpers.js';

/** A Future resolved `seconds` later on `loop`'s clock. */
function sleepOn(loop: IOLoop, seconds: number): Future<void> {
  const f = new Future<void>();
  loop.callLater(seconds, () => f.setResult(undefined));
  return f;
}

/**
 * Runs a PeriodicCallback (10 s period unless told otherwise) on a virtual clock that starts at
 * 1000 and returns the loop times of its runs. Run `i` "takes" `durations[i]` seconds: the
 * callback returns a Future that a loop timer resolves that much later. A negative duration
 * models the clock jumping back during the run: the callback sets the clock back instead.
 * The callback stops the schedule on its last run.
 */
async function simulateCalls(
  durations: readonly number[],
  options: { callbackTimeMs?: number; jitter?: number; random?: () => number } = {},
): Promise<number[]> {
  const { loop, clock } = virtualLoop(1000);
  loop.makeCurrent();
  const calls: number[] = [];
  const pc = new PeriodicCallback(
    () => {
      const duration = durations[calls.length] ?? 0;
      calls.push(loop.time());
      if (calls.length === durations.length) pc.stop();
      if (duration > 0) return sleepOn(loop, duration);
      if (duration < 0) return clock.setTime(loop.time() + duration);
      return undefined;
    },
    options.callbackTimeMs ?? 10_000,
    options.jitter ?? 0,
    options.random,
  );
  pc.start();
  await clock.advance(100_000);
  expect(pc.isRunning()).toBe(false);
  expect(loop.pendingTimeouts).toBe(0);
  return calls;
}

describe('PeriodicCallback schedule (Tornado’s TestPeriodicCallbackMath)', () => {
  test('runs once a period, measured from the start', async () => {
    expect(await simulateCalls([0, 0, 0, 0, 0])).toEqual([1010, 1020, 1030, 1040, 1050]);
  });

  test('a run longer than a period skips whole periods to get back on schedule', async () => {
    const durations = [9, 9, 10, 11, 20, 20, 35, 35, 0, 0, 0];
    expect(await simulateCalls(durations)).toEqual([
      1010,
      1020,
      1030, // on schedule
      1050,
      1070, // one period late
      1100,
      1130, // two periods late
      1170,
      1210, // three periods late
      1220,
      1230, // back on schedule
    ]);
  });

  test('a clock that moves back a little leaves the schedule alone', async () => {
    expect(await simulateCalls([-2, -1, -3, -2, 0])).toEqual([1010, 1020, 1030, 1040, 1050]);
  });

  test('a clock that jumps far back still advances one period per run', async () => {
    expect(await simulateCalls([-100, 0, 0])).toEqual([1010, 1020, 1030]);
  });

  test('jitter moves each run by a random fraction of the period', async () => {
    const randoms = [0.5, 1, 0, 0.75];
    const random = (): number => {
      const next = randoms.shift();
      if (next === undefined) throw new Error('random() called more often than expected');
      return next;
    };
    expect(await simulateCalls([0, 0, 0, 0], { jitter: 0.5, random })).toEqual([
      1010, 1022.5, 1030, 1041.25,
    ]);
    expect(randoms).toEqual([]);
  });

  test('the period is in milliseconds', async () => {
    expect(await simulateCalls([0, 0, 0], { callbackTimeMs: 1500 })).toEqual([
      1001.5, 1003, 1004.5,
    ]);
  });
});

describe('PeriodicCallback on the loop', () => {
  test('a plain callback runs every period until stopped', async () => {
    const { loop, clock } = virtualLoop();
    loop.makeCurrent();
    const times: number[] = [];
    const pc = new PeriodicCallback(() => {
      times.push(loop.time());
      if (times.length === 3) pc.stop();
    }, 10);
    expect(pc.isRunning()).toBe(false);
    pc.start();
    expect(pc.isRunning()).toBe(true);
    await clock.advance(1);
    expect(times.map((t) => Math.round(t * 1000))).toEqual([10, 20, 30]);
    expect(pc.isRunning()).toBe(false);
  });

  test('an async callback is waited for before the next run is scheduled', async () => {
    const { loop, clock } = virtualLoop();
    loop.makeCurrent();
    const starts: number[] = [];
    let finished = 0;
    const pc = new PeriodicCallback(async () => {
      starts.push(loop.time());
      await sleepOn(loop, 0.025);
      finished++;
      if (finished === 3) pc.stop();
    }, 10);
    pc.start();
    await clock.advance(1);
    expect(starts.map((t) => Math.round(t * 1000))).toEqual([10, 40, 70]);
    expect(finished).toBe(3);
  });

  test('a callback returning a Future is waited for too', async () => {
    const { loop, clock } = virtualLoop();
    loop.makeCurrent();
    const starts: number[] = [];
    const pc = new PeriodicCallback(() => {
      starts.push(loop.time());
      if (starts.length === 3) pc.stop();
      return sleepOn(loop, 0.025);
    }, 10);
    pc.start();
    await clock.advance(1);
    expect(starts.map((t) => Math.round(t * 1000))).toEqual([10, 40, 70]);
  });

  test('a callback that throws or rejects is logged and the schedule goes on', async () => {
    const { loop, clock } = virtualLoop();
    loop.makeCurrent();
    const records = captureLog(appLog);
    let runs = 0;
    const pc = new PeriodicCallback(function flaky() {
      runs++;
      if (runs === 1) throw new Error('sync failure');
      if (runs === 2) return Promise.reject(new Error('async failure'));
      pc.stop();
      return undefined;
    }, 1000);
    pc.start();
    await clock.advance(10);
    expect(runs).toBe(3);
    expect(records.map((r) => [r.message, (r.args[0] as Error).message])).toEqual([
      ['Exception in callback flaky', 'sync failure'],
      ['Exception in callback flaky', 'async failure'],
    ]);
  });

  test('stop() cancels the next run', async () => {
    const { loop, clock } = virtualLoop();
    loop.makeCurrent();
    let runs = 0;
    const pc = new PeriodicCallback(() => {
      runs++;
    }, 1000);
    pc.start();
    await clock.advance(2.5);
    pc.stop();
    expect(loop.pendingTimeouts).toBe(0);
    await clock.advance(10);
    expect(runs).toBe(2);
  });

  test('start() after stop() starts a fresh schedule from the current time', async () => {
    const { loop, clock } = virtualLoop();
    loop.makeCurrent();
    const times: number[] = [];
    const pc = new PeriodicCallback(() => {
      times.push(loop.time());
    }, 1000);
    pc.start();
    await clock.advance(1);
    pc.stop();
    await clock.advance(0.25);
    pc.start();
    await clock.advance(2);
    pc.stop();
    expect(times).toEqual([1, 2.25, 3.25]);
  });

  test('start() on a running PeriodicCallback does not schedule a second series of runs', async () => {
    const { loop, clock } = virtualLoop();
    loop.makeCurrent();
    let runs = 0;
    const pc = new PeriodicCallback(() => {
      runs++;
    }, 1000);
    pc.start();
    pc.start();
    await clock.advance(3);
    pc.stop();
    expect(runs).toBe(3);
    expect(loop.pendingTimeouts).toBe(0);
  });

  test('stop() then start() while an async run is in flight leaves a single schedule', async () => {
    const { loop, clock } = virtualLoop();
    loop.makeCurrent();
    const starts: number[] = [];
    const pc = new PeriodicCallback(() => {
      starts.push(loop.time());
      return starts.length === 1 ? sleepOn(loop, 0.5) : undefined;
    }, 1000);
    pc.start();
    await clock.advance(1.2);
    expect(starts).toEqual([1]);
    pc.stop();
    pc.start();
    await clock.advance(3);
    expect(loop.pendingTimeouts).toBe(1);
    pc.stop();
    expect(starts).toEqual([1, 2.2, 3.2, 4.2]);
    expect(loop.pendingTimeouts).toBe(0);
  });

  test('runs on the loop that was current at start()', async () => {
    const first = virtualLoop();
    const second = virtualLoop();
    first.loop.makeCurrent();
    const ranOn: number[] = [];
    const pc = new PeriodicCallback(() => {
      ranOn.push(first.loop.time());
    }, 1000);
    pc.start();
    second.loop.makeCurrent();
    await second.clock.advance(5);
    expect(ranOn).toEqual([]);
    await first.clock.advance(1);
    pc.stop();
    expect(ranOn).toEqual([1]);
  });

  test('closing the loop while an async run is in flight ends the schedule quietly', async () => {
    const { loop, clock } = virtualLoop();
    loop.makeCurrent();
    const release = new Future<void>();
    const pc = new PeriodicCallback(() => release, 1000);
    pc.start();
    await clock.advance(1);
    loop.close();
    const seen = await collectUnhandledRejections(() => release.setResult(undefined));
    expect(seen).toEqual([]);
    expect(pc.isRunning()).toBe(false);
  });

  test('the period must be a positive number of milliseconds', () => {
    for (const bad of [0, -5, Number.NaN]) {
      expect(() => new PeriodicCallback(() => undefined, bad)).toThrow(RangeError);
    }
    expect(() => new PeriodicCallback(() => undefined, 0)).toThrow(/milliseconds/);
    const pc = new PeriodicCallback(() => undefined, 250, 0.1);
    expect([pc.callbackTime, pc.jitter]).toEqual([250, 0.1]);
    expect(new PeriodicCallback(() => undefined, 1).jitter).toBe(0);
  });
});
