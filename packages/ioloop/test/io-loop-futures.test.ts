import { appLog, ExceptionStackContext, Future, IOLoop, VirtualClock } from '@tronada/ioloop';
import { describe, expect, test } from 'vitest';
import { captureLog, collectUnhandledRejections, virtualLoop } from './helpers.js';

describe('addFuture', () => {
  test('calls back with the Future on the loop iteration after it is done, not in the microtask', async () => {
    const { loop, clock } = virtualLoop();
    const f = new Future<number>();
    const seen: Array<Future<number>> = [];
    loop.addFuture(f, (done) => seen.push(done));
    f.setResult(4);
    await Promise.resolve();
    await Promise.resolve();
    expect(seen).toEqual([]);
    expect(loop.pendingCallbacks).toBe(1);
    await clock.settle();
    expect(seen).toHaveLength(1);
    expect(seen[0]).toBe(f);
    expect(seen[0]?.result()).toBe(4);
  });

  test('accepts a Promise and hands the callback a Future with its outcome', async () => {
    const { loop, clock } = virtualLoop();
    const results: unknown[] = [];
    loop.addFuture(Promise.resolve('resolved'), (done) => results.push(done.result()));
    loop.addFuture(Promise.reject(new Error('rejected')), (done) =>
      results.push((done.exception() as Error).message),
    );
    await clock.settle();
    await clock.settle();
    expect(results.sort()).toEqual(['rejected', 'resolved']);
  });

  test('a failed Future handed to addFuture counts as observed', async () => {
    const { loop, clock } = virtualLoop();
    const seen = await collectUnhandledRejections(async () => {
      const f = new Future<number>();
      loop.addFuture(f, () => undefined);
      f.setException(new Error('observed by addFuture'));
      await clock.settle();
    });
    expect(seen).toEqual([]);
  });

  test('runs the callback with current() being the loop', async () => {
    const { loop, clock } = virtualLoop();
    const other = new IOLoop({ clock: new VirtualClock(), makeCurrent: true });
    try {
      let seenLoop: IOLoop | null = null;
      loop.addFuture(Future.resolved(1), () => {
        seenLoop = IOLoop.current();
      });
      await clock.settle();
      expect(seenLoop).toBe(loop);
    } finally {
      other.close();
    }
  });

  test('an exception in the callback is logged on appLog', async () => {
    const { loop, clock } = virtualLoop();
    const records = captureLog(appLog);
    loop.addFuture(Future.resolved(1), () => {
      throw new Error('in addFuture callback');
    });
    await clock.settle();
    await clock.settle();
    expect(records.map((r) => (r.args[0] as Error).message)).toEqual(['in addFuture callback']);
  });
});

describe('spawnCallback', () => {
  test('runs the callback with its arguments on the next iteration', async () => {
    const { loop, clock } = virtualLoop();
    const seen: unknown[] = [];
    loop.spawnCallback((a: number, b: string) => seen.push(a, b), 1, 'b');
    expect(seen).toEqual([]);
    await clock.settle();
    expect(seen).toEqual([1, 'b']);
  });

  test('an exception in a spawned callback, sync or async, is logged and does not stop the loop', async () => {
    const { loop, clock } = virtualLoop();
    const records = captureLog(appLog);
    const after: string[] = [];
    loop.spawnCallback(() => {
      throw new Error('spawned sync');
    });
    loop.spawnCallback(async () => {
      await Promise.resolve();
      throw new Error('spawned async');
    });
    loop.addCallback(() => after.push('still running'));
    await clock.settle();
    await clock.settle();
    expect(after).toEqual(['still running']);
    expect(records.map((r) => (r.args[0] as Error).message).sort()).toEqual([
      'spawned async',
      'spawned sync',
    ]);
  });

  test('runs outside the stack context it was called from, unlike addCallback', async () => {
    const { loop, clock } = virtualLoop();
    const records = captureLog(appLog);
    const handled: string[] = [];
    const context = new ExceptionStackContext((error) => {
      handled.push((error as Error).message);
      return true;
    });
    context.run(() => {
      loop.addCallback(() => {
        throw new Error('from addCallback');
      });
      loop.spawnCallback(() => {
        throw new Error('from spawnCallback');
      });
    });
    await clock.settle();
    expect(handled).toEqual(['from addCallback']);
    expect(records.map((r) => (r.args[0] as Error).message)).toEqual(['from spawnCallback']);
  });
});
