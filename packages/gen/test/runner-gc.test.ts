/**
 * Garbage collection around runners (Tornado's RunnerGCTest, in JavaScript terms): a waiting
 * coroutine stays alive as long as the Future it waits for can still be resolved, and once its
 * loop is closed nothing keeps a suspended coroutine (or async function) alive.
 *
 * A full collection is forced with V8's `gc`, reached without restarting Node: the flag is set
 * at run time and the function is read from a fresh context.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { coroutine, sleep, withTimeout } from '@tronada/gen';
import { Future, IOLoop, VirtualClock } from '@tronada/ioloop';
import { describe, expect, test } from 'vitest';
import { currentVirtualLoop } from './coroutine-helpers.js';

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

/** Lets the current job end (WeakRef targets are kept until then), then collects. */
async function fullCollection(): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
  collectGarbage();
  await new Promise((resolve) => setImmediate(resolve));
  collectGarbage();
}

describe('runners and garbage collection', () => {
  test('a coroutine waiting on a Future only the loop can reach is not collected before it resumes', async () => {
    const { loop } = currentVirtualLoop();
    let weak: WeakRef<Future<number>> | null = null;
    let resolvedAfterGc = false;
    const tester = coroutine(function* tester() {
      const fut = new Future<number>();
      weak = new WeakRef(fut);
      loop.addCallback(() => {
        collectGarbage();
        const still = weak?.deref();
        if (still !== undefined) {
          still.setResult(123);
          resolvedAfterGc = true;
        }
      });
      return yield fut;
    });
    const guarded = withTimeout(1, tester());
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    expect(resolvedAfterGc).toBe(true);
    expect(await guarded).toBe(123);
  });

  test('a suspended endless coroutine is collected once its loop is closed', async () => {
    const clock = new VirtualClock();
    const loop = new IOLoop({ clock });
    loop.makeCurrent();
    const wakeups: boolean[] = [];
    let weak: WeakRef<Future<never>> | null = null;
    try {
      const infinite = coroutine(function* infinite() {
        for (;;) {
          yield sleep(1e-3);
          wakeups.push(true);
        }
      });
      weak = new WeakRef(infinite());
      await clock.advance(0.2);
    } finally {
      loop.close();
      IOLoop.clearCurrent();
    }
    await fullCollection();
    expect(wakeups.length).toBeGreaterThanOrEqual(2);
    expect(weak?.deref()).toBeUndefined();
  });

  test('a suspended endless async function awaiting sleep is collected once its loop is closed', async () => {
    const clock = new VirtualClock();
    const loop = new IOLoop({ clock });
    loop.makeCurrent();
    const wakeups: boolean[] = [];
    let weak: WeakRef<Promise<never>> | null = null;
    try {
      const infinite = async (): Promise<never> => {
        for (;;) {
          await sleep(1e-3);
          wakeups.push(true);
        }
      };
      weak = new WeakRef(infinite());
      await clock.advance(0.2);
    } finally {
      loop.close();
      IOLoop.clearCurrent();
    }
    await fullCollection();
    expect(wakeups.length).toBeGreaterThanOrEqual(2);
    expect(weak?.deref()).toBeUndefined();
  });
});
