/**
 * The runner's synchronous fast path: a yield of an already-done Future continues in the same
 * frame, so a long chain neither grows the stack nor goes through the microtask queue.
 */

import { coroutine } from '@tronada/gen';
import { Future } from '@tronada/ioloop';
import { describe, expect, test } from 'vitest';
import { currentVirtualLoop } from './coroutine-helpers.js';

const doneYields = coroutine(function* (n: number) {
  let sum = 0;
  for (let i = 0; i < n; i++) sum += (yield Future.resolved(1)) as number;
  return sum;
});

const doneYieldStars = coroutine(function* (n: number) {
  let sum = 0;
  for (let i = 0; i < n; i++) sum += yield* Future.resolved(1);
  return sum;
});

describe('a long chain of done Futures', () => {
  test('1,000,000 yields of done Futures complete inside the call without a stack overflow', () => {
    currentVirtualLoop();
    const f = doneYields(1_000_000);
    expect(f.done()).toBe(true);
    expect(f.result()).toBe(1_000_000);
  });

  test('1,000,000 yield* of done Futures complete inside the call too', () => {
    currentVirtualLoop();
    const f = doneYieldStars(1_000_000);
    expect(f.result()).toBe(1_000_000);
  });

  test('1,000 nested coroutines, each yielding the next one, complete synchronously', () => {
    currentVirtualLoop();
    const nested: (n: number) => Future<number> = coroutine(function* (n: number) {
      if (n === 0) return 0;
      return ((yield nested(n - 1)) as number) + 1;
    });
    // Each level is a real call (the generator calls the next coroutine), so this is bounded by
    // ordinary recursion; what matters is that resuming adds no frames of its own.
    const f = nested(1_000);
    expect(f.result()).toBe(1_000);
  });

  test('does not touch the microtask queue: a microtask queued before the call has not run when it returns', () => {
    currentVirtualLoop();
    let microtaskRan = false;
    queueMicrotask(() => {
      microtaskRan = true;
    });
    const f = doneYields(100_000);
    expect(f.done()).toBe(true);
    expect(microtaskRan).toBe(false);
  });

  test('does not go through the loop either: no callback or timeout is queued', () => {
    const { loop } = currentVirtualLoop();
    doneYields(10_000).result();
    expect(loop.pendingCallbacks).toBe(0);
    expect(loop.pendingTimeouts).toBe(0);
  });

  test('a pending Future in the middle of a chain resumes it, and the rest runs in that one resumption', async () => {
    currentVirtualLoop();
    const gate = new Future<number>();
    let resumed = 0;
    const c = coroutine(function* () {
      let sum = (yield gate) as number;
      resumed++;
      for (let i = 0; i < 100_000; i++) sum += (yield Future.resolved(1)) as number;
      return sum;
    })();
    expect(c.done()).toBe(false);
    gate.setResult(5);
    expect(await c).toBe(100_005);
    expect(resumed).toBe(1);
  });
});
