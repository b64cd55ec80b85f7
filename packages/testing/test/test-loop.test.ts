import { sleep } from '@tronada/gen';
import { appLog, genLog, IOLoop, VirtualClock } from '@tronada/ioloop';
import {
  ExpectLog,
  expectLog,
  genTest,
  LeakError,
  LogExpectationError,
  TestLoop,
  useTestLoop,
} from '@tronada/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

describe('TestLoop', () => {
  it('makes a fresh loop current and restores the previous one on close', () => {
    const before = IOLoop.current(false);
    const t = new TestLoop();
    expect(IOLoop.current()).toBe(t.loop);
    expect(t.clock).toBeInstanceOf(VirtualClock);
    t.close();
    expect(t.loop.closed).toBe(true);
    expect(IOLoop.current(false)).toBe(before);
  });

  it('reports a pending timeout as a leak and still closes the loop', () => {
    const t = new TestLoop();
    t.loop.callLater(10, () => undefined);
    expect(() => t.close()).toThrow(LeakError);
    expect(t.loop.closed).toBe(true);
  });

  it('reports a pending callback as a leak', () => {
    const t = new TestLoop();
    t.loop.addCallback(() => undefined);
    expect(() => t.close()).toThrow(/1 pending callback/);
  });

  it('does not report leaks when checks are off', () => {
    const t = new TestLoop({ checkLeaks: false });
    t.loop.callLater(10, () => undefined);
    expect(() => t.close()).not.toThrow();
  });

  it('advances its virtual clock, firing timers in between', async () => {
    const t = new TestLoop();
    const fired: number[] = [];
    t.loop.callLater(2, () => fired.push(t.loop.time()));
    await t.advance(5);
    expect(fired).toEqual([2]);
    expect(t.loop.time()).toBe(5);
    t.close();
  });

  it('refuses advance() with the real clock', async () => {
    const t = new TestLoop({ clock: false });
    await expect(t.advance(1)).rejects.toThrow(/virtual clock/);
    t.close();
  });
});

describe('useTestLoop', () => {
  const handle = useTestLoop({ beforeEach, afterEach });
  let seen: IOLoop | null = null;

  it('gives each test its own current loop (first test)', () => {
    seen = handle.testLoop.loop;
    expect(IOLoop.current()).toBe(seen);
  });

  it('gives each test its own current loop (second test)', () => {
    expect(handle.testLoop.loop).not.toBe(seen);
    expect(seen?.closed).toBe(true);
  });
});

describe('genTest', () => {
  const handle = useTestLoop({ beforeEach, afterEach }, { clock: false });

  it(
    'runs a generator body as a coroutine on the current loop',
    genTest(function* () {
      const start = handle.testLoop.loop.time();
      yield sleep(0.01);
      expect(handle.testLoop.loop.time() - start).toBeGreaterThanOrEqual(0.01);
    }),
  );

  it('fails with a TimeoutError when the body outlives its timeout', async () => {
    const body = genTest(
      function* () {
        yield sleep(5);
      },
      { timeout: 0.02 },
    );
    await expect(body()).rejects.toThrow(/timed out after 0.02 seconds/);
  });
});

describe('ExpectLog', () => {
  it('claims a matching line and passes', () => {
    expectLog(appLog, /disk full/, () => appLog.error('write failed: disk full'));
  });

  it('fails when the expected line never comes', () => {
    expect(() => expectLog(genLog, /never/, () => undefined)).toThrow(LogExpectationError);
  });

  it('matches text of an Error argument', async () => {
    await expectLog(appLog, /RangeError: bad index/, async () => {
      appLog.error('Exception in callback', new RangeError('bad index'));
    });
  });

  it('lets a non-required expectation pass without a match', () => {
    const e = new ExpectLog(genLog, /maybe/, { required: false }).start();
    e.finish();
    expect(e.matched).toBe(0);
  });

  it('only matches the requested level', () => {
    const e = new ExpectLog(genLog, /note/, { level: 'info', required: false }).start();
    genLog.info('a note');
    expectLog(genLog, /note/, () => genLog.warn('another note'));
    e.finish();
    expect(e.matched).toBe(1);
  });
});
