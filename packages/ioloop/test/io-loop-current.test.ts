import { IOLoop, IOLoopStateError, VirtualClock } from '@tronada/ioloop';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { turns, virtualLoop } from './helpers.js';

const timeoutHandles = (): number =>
  process.getActiveResourcesInfo().filter((resource) => resource === 'Timeout').length;

beforeEach(() => {
  IOLoop.clearCurrent();
});

afterEach(() => {
  IOLoop.current(false)?.close();
  IOLoop.clearCurrent();
});

describe('IOLoop.current', () => {
  test('creates a loop on first use and returns the same one afterwards', () => {
    expect(IOLoop.current(false)).toBeNull();
    const loop = IOLoop.current();
    expect(loop).toBeInstanceOf(IOLoop);
    expect(IOLoop.current()).toBe(loop);
    expect(IOLoop.current(false)).toBe(loop);
    expect(IOLoop.instance()).toBe(loop);
  });

  test('a loop created with new is not made current unless asked', () => {
    const { loop } = virtualLoop();
    expect(IOLoop.current(false)).toBeNull();
    const forced = new IOLoop({ clock: new VirtualClock(), makeCurrent: true });
    try {
      expect(IOLoop.current()).toBe(forced);
      expect(IOLoop.current()).not.toBe(loop);
    } finally {
      forced.close();
    }
  });

  test('makeCurrent lets a test install its own loop, and clearCurrent forgets it', () => {
    const { loop } = virtualLoop();
    loop.makeCurrent();
    expect(IOLoop.current()).toBe(loop);
    IOLoop.clearCurrent();
    expect(IOLoop.current(false)).toBeNull();
    expect(loop.closed).toBe(false);
  });

  test('clearCurrent without a current loop is a no-op', () => {
    expect(() => IOLoop.clearCurrent()).not.toThrow();
    expect(IOLoop.current(false)).toBeNull();
  });

  test('closing the current loop clears current', () => {
    const { loop } = virtualLoop();
    loop.makeCurrent();
    loop.close();
    expect(IOLoop.current(false)).toBeNull();
  });

  test('inside a loop callback or timeout, current() is that loop even when another is current', async () => {
    const { loop, clock } = virtualLoop();
    const other = new IOLoop({ clock: new VirtualClock(), makeCurrent: true });
    try {
      const seen: Array<IOLoop | null> = [];
      loop.addCallback(() => seen.push(IOLoop.current(false)));
      loop.callLater(1, () => seen.push(IOLoop.current(false)));
      await clock.advance(1);
      expect(seen).toEqual([loop, loop]);
      expect(IOLoop.current()).toBe(other);
    } finally {
      other.close();
    }
  });
});

describe('start and stop', () => {
  test('start() returns a Future that stop() resolves; current() is the loop meanwhile', async () => {
    const { loop } = virtualLoop();
    for (let round = 0; round < 3; round++) {
      let currentInside: IOLoop | null = null;
      loop.addCallback(() => {
        currentInside = IOLoop.current(false);
        loop.stop();
      });
      const running = loop.start();
      expect(loop.running).toBe(true);
      expect(IOLoop.current(false)).toBe(loop);
      await running;
      expect(running.done()).toBe(true);
      expect(loop.running).toBe(false);
      expect(currentInside).toBe(loop);
      expect(IOLoop.current(false)).toBeNull();
    }
  });

  test('stop() restores the loop that was current before start()', async () => {
    const { loop } = virtualLoop();
    const previous = new IOLoop({ clock: new VirtualClock(), makeCurrent: true });
    try {
      const running = loop.start();
      expect(IOLoop.current()).toBe(loop);
      loop.stop();
      await running;
      expect(IOLoop.current()).toBe(previous);
    } finally {
      previous.close();
    }
  });

  test('starting a running loop throws instead of deadlocking', async () => {
    const { loop } = virtualLoop();
    const outcome: string[] = [];
    loop.addCallback(() => {
      try {
        void loop.start();
        outcome.push('returned');
      } catch (error) {
        outcome.push(error instanceof IOLoopStateError ? 'IOLoopStateError' : String(error));
      }
      loop.stop();
    });
    await loop.start();
    expect(outcome).toEqual(['IOLoopStateError']);
  });

  test('stop() before start() makes the next start() return after one iteration', async () => {
    const { loop } = virtualLoop();
    const ran: string[] = [];
    loop.addCallback(() => ran.push('queued earlier'));
    loop.stop();
    await loop.start();
    expect(ran).toEqual(['queued earlier']);
    expect(loop.running).toBe(false);
  });

  test('close() while running resolves the start() Future', async () => {
    const { loop } = virtualLoop();
    const running = loop.start();
    loop.close();
    await running;
    expect(loop.running).toBe(false);
  });

  test('start() keeps the process alive until stop()', async () => {
    const { loop } = virtualLoop();
    const before = timeoutHandles();
    const running = loop.start();
    expect(timeoutHandles()).toBe(before + 1);
    loop.stop();
    await running;
    expect(timeoutHandles()).toBe(before);
  });

  test('callbacks run whether or not the loop was started', async () => {
    const { loop } = virtualLoop();
    let ran = false;
    loop.addCallback(() => {
      ran = true;
    });
    await turns(2);
    expect(ran).toBe(true);
    expect(loop.running).toBe(false);
  });
});
