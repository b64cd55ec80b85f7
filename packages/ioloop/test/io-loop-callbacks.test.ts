import { appLog, CancelledError, Future, IOLoop, IOLoopStateError } from '@tronada/ioloop';
import { describe, expect, test } from 'vitest';
import { captureLog, turns, virtualLoop } from './helpers.js';

describe('addCallback', () => {
  test('runs callbacks in the order they were added, without start()', async () => {
    const { loop, clock } = virtualLoop();
    const order: number[] = [];
    for (let i = 0; i < 10; i++) loop.addCallback(() => order.push(i));
    expect(order).toEqual([]);
    expect(loop.pendingCallbacks).toBe(10);
    await clock.settle();
    expect(order).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(loop.pendingCallbacks).toBe(0);
  });

  test('passes extra arguments through', async () => {
    const { loop, clock } = virtualLoop();
    const seen: unknown[][] = [];
    loop.addCallback((a: number, b: string, c: { x: number }) => seen.push([a, b, c]), 1, 'two', {
      x: 3,
    });
    loop.addCallback(() => seen.push([]));
    await clock.settle();
    expect(seen).toEqual([[1, 'two', { x: 3 }], []]);
  });

  test('runs the whole batch queued before an iteration in one Node turn', async () => {
    const { loop } = virtualLoop();
    const order: string[] = [];
    loop.addCallback(() => {
      order.push('a');
      setImmediate(() => order.push('node turn'));
    });
    loop.addCallback(() => order.push('b'));
    loop.addCallback(() => order.push('c'));
    await turns(3);
    expect(order).toEqual(['a', 'b', 'c', 'node turn']);
  });

  test('a callback added while a batch runs waits for the next iteration', async () => {
    const { loop, clock } = virtualLoop();
    const order: string[] = [];
    let waitingDuringB = -1;
    loop.addCallback(() => {
      order.push('a');
      setImmediate(() => order.push('node turn'));
      loop.addCallback(() => order.push('added by a'));
    });
    loop.addCallback(() => {
      order.push('b');
      waitingDuringB = loop.pendingCallbacks;
    });
    await clock.settle();
    expect(order).toEqual(['a', 'b', 'node turn', 'added by a']);
    expect(waitingDuringB).toBe(1);
  });

  test('a callback added from a timeout runs in the next Node turn, without waiting for another timer', async () => {
    const { loop, clock } = virtualLoop();
    const ranAt: number[] = [];
    loop.callLater(1, () => loop.addCallback(() => ranAt.push(loop.time())));
    loop.callLater(5, () => ranAt.push(loop.time()));
    await clock.advance(1);
    expect(ranAt).toEqual([1]);
  });

  test('a callback that re-adds itself does not starve a due timer', async () => {
    const loop = new IOLoop();
    try {
      let spins = 0;
      const timerFired = new Future<number>();
      const spin = (): void => {
        spins++;
        // Arm the timer once the spinning has begun, so it must fire in spite of it.
        if (spins === 1) loop.callLater(0.001, () => timerFired.setResult(spins));
        if (!timerFired.done()) loop.addCallback(spin);
      };
      loop.addCallback(spin);
      const spinsWhenFired = await timerFired;
      expect(spinsWhenFired).toBeGreaterThanOrEqual(1);
      await turns(2);
      expect(loop.pendingCallbacks).toBe(0);
    } finally {
      loop.close();
    }
  });

  test('can be called from a microtask, a Promise continuation and a signal listener', async () => {
    const { loop, clock } = virtualLoop();
    const seen: string[] = [];
    queueMicrotask(() => loop.addCallback(() => seen.push('microtask')));
    void Promise.resolve().then(() => loop.addCallback(() => seen.push('continuation')));
    const listener = (): void => loop.addCallback(() => seen.push('signal'));
    process.once('SIGUSR2', listener);
    try {
      process.emit('SIGUSR2');
    } finally {
      process.off('SIGUSR2', listener);
    }
    await clock.settle();
    expect(seen.sort()).toEqual(['continuation', 'microtask', 'signal']);
  });

  test('callbacks returning {} or [] are not mistaken for awaitables and do not spin', async () => {
    let adds = 0;
    class CountingLoop extends IOLoop {
      override addCallback<A extends unknown[]>(
        callback: (...args: A) => unknown,
        ...args: A
      ): void {
        adds++;
        super.addCallback(callback, ...args);
      }
    }
    const loop = new CountingLoop();
    try {
      const done = new Future<void>();
      loop.addCallback(() => ({}));
      loop.addCallback(() => []);
      loop.addCallback(() => done.setResult(undefined));
      await done;
      await turns(5);
      expect(adds).toBe(3);
      expect(loop.pendingCallbacks).toBe(0);
    } finally {
      loop.close();
    }
  });
});

describe('exceptions in callbacks', () => {
  test('are logged on appLog with the error and its stack, and later callbacks still run', async () => {
    const { loop, clock } = virtualLoop();
    const records = captureLog(appLog);
    const ran: string[] = [];
    loop.addCallback(function divideByZero() {
      throw new Error('division by zero');
    });
    loop.addCallback(() => ran.push('after'));
    await clock.settle();
    expect(ran).toEqual(['after']);
    expect(records).toHaveLength(1);
    const [record] = records;
    expect(record?.logger).toBe('tronada.application');
    expect(record?.level).toBe('error');
    expect(record?.message).toBe('Exception in callback divideByZero');
    const error = record?.args[0] as Error;
    expect(error.message).toBe('division by zero');
    expect(error.stack).toContain('io-loop-callbacks.test.ts');
  });

  test('a callback returning a Promise that rejects is logged', async () => {
    const { loop, clock } = virtualLoop();
    const records = captureLog(appLog);
    loop.addCallback(() => Promise.reject(new Error('async failure')));
    await clock.settle();
    await turns(1);
    expect(records.map((r) => (r.args[0] as Error).message)).toEqual(['async failure']);
  });

  test('an async function callback that throws after an await is logged', async () => {
    const { loop, clock } = virtualLoop();
    const records = captureLog(appLog);
    loop.addCallback(async function later() {
      await Promise.resolve();
      throw new Error('thrown after await');
    });
    await clock.settle();
    await turns(1);
    expect(records).toHaveLength(1);
    expect(records[0]?.message).toBe('Exception in callback later');
  });

  test('a callback returning a Future that fails is logged', async () => {
    const { loop, clock } = virtualLoop();
    const records = captureLog(appLog);
    const f = new Future<number>();
    loop.addCallback(() => f);
    await clock.settle();
    f.setException(new Error('future failure'));
    await turns(1);
    expect(records.map((r) => (r.args[0] as Error).message)).toEqual(['future failure']);
  });

  test('a CancelledError escaping a callback is not logged', async () => {
    const { loop, clock } = virtualLoop();
    const records = captureLog(appLog);
    loop.addCallback(() => {
      throw new CancelledError();
    });
    const cancelled = new Future<void>();
    cancelled.cancel();
    loop.addCallback(() => cancelled);
    await clock.settle();
    await turns(1);
    expect(records).toEqual([]);
  });
});

describe('close', () => {
  test('drops waiting callbacks and ignores callbacks added afterwards', async () => {
    const { loop } = virtualLoop();
    const ran: string[] = [];
    loop.addCallback(() => ran.push('queued before close'));
    loop.close();
    expect(loop.closed).toBe(true);
    expect(loop.pendingCallbacks).toBe(0);
    for (let i = 0; i < 1000; i++) loop.addCallback(() => ran.push('added after close'));
    await turns(3);
    expect(ran).toEqual([]);
    expect(loop.pendingCallbacks).toBe(0);
  });

  test('from inside a callback stops the rest of the batch', async () => {
    const { loop } = virtualLoop();
    const ran: string[] = [];
    loop.addCallback(() => {
      ran.push('first');
      loop.close();
    });
    loop.addCallback(() => ran.push('second'));
    await turns(3);
    expect(ran).toEqual(['first']);
  });

  test('is idempotent', () => {
    const { loop } = virtualLoop();
    loop.close();
    expect(() => loop.close()).not.toThrow();
    expect(() => loop.close(true)).not.toThrow();
  });

  test('makes scheduling and running calls throw IOLoopStateError', () => {
    const { loop } = virtualLoop();
    loop.close();
    expect(() => loop.callLater(1, () => undefined)).toThrow(IOLoopStateError);
    expect(() => loop.callAt(1, () => undefined)).toThrow(IOLoopStateError);
    expect(() => loop.addTimeout({ delay: 1 }, () => undefined)).toThrow(IOLoopStateError);
    expect(() => loop.start()).toThrow(IOLoopStateError);
    expect(() => loop.runSync(() => undefined)).toThrow(IOLoopStateError);
    expect(() => loop.makeCurrent()).toThrow(IOLoopStateError);
  });
});
