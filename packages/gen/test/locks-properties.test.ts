/**
 * Properties of Semaphore and Lock under any interleaving: fast-check's scheduler decides in
 * which order coroutines start, hold and release, and a generated plan decides when virtual
 * time moves so that random timeouts fire in between.
 */

import type { Releaser } from '@tronada/gen';
import { BoundedSemaphore, Lock, TimeoutError } from '@tronada/gen';
import type { Future } from '@tronada/ioloop';
import { IOLoop, VirtualClock } from '@tronada/ioloop';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';

interface Worker {
  /** Seconds the acquire may wait; undefined waits for ever. */
  readonly timeout: number | undefined;
  /** Scheduler steps the worker holds its slot for. */
  readonly hold: number;
  /** Acquire with `use(fn)` instead of `acquire()` + `release()`. */
  readonly viaUse: boolean;
}

const worker: fc.Arbitrary<Worker> = fc.record({
  timeout: fc.option(fc.integer({ min: 0, max: 4 }), { nil: undefined }),
  hold: fc.integer({ min: 0, max: 3 }),
  viaUse: fc.boolean(),
});

/** Runs `body` with a fresh current loop on a virtual clock, closed afterwards. */
async function withLoop<T>(body: (loop: IOLoop, clock: VirtualClock) => Promise<T>): Promise<T> {
  const clock = new VirtualClock();
  const loop = new IOLoop({ clock });
  loop.makeCurrent();
  try {
    return await body(loop, clock);
  } finally {
    loop.close();
    IOLoop.clearCurrent();
  }
}

/**
 * Drives the scheduled tasks and virtual time until `all` settles: at each step the plan says
 * whether to release one scheduled task (chosen by the scheduler) or to let one second pass.
 * Fails if nothing is scheduled, no timer is pending and the workers are still not done.
 */
async function drive(
  s: fc.Scheduler,
  loop: IOLoop,
  clock: VirtualClock,
  plan: readonly boolean[],
  all: Promise<unknown>,
  check: () => void,
): Promise<void> {
  let finished = false;
  void all.then(() => {
    finished = true;
  });
  for (let step = 0; !finished; step++) {
    const preferTask = plan.length === 0 || plan[step % plan.length]!;
    if (s.count() > 0 && (preferTask || loop.pendingTimeouts === 0)) await s.waitNext(1);
    else if (loop.pendingTimeouts > 0) await clock.advance(1);
    await clock.settle();
    check();
    if (!finished && s.count() === 0 && loop.pendingTimeouts === 0) {
      await clock.settle();
      if (!finished) throw new Error('deadlock: workers wait but nothing can wake them');
    }
  }
  await all;
}

describe('Semaphore under any interleaving', () => {
  test('never has more holders than its value, serves waiters first come first served, and ends as it began', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        fc.integer({ min: 1, max: 3 }),
        fc.array(worker, { minLength: 1, maxLength: 10 }),
        fc.array(fc.boolean(), { maxLength: 20 }),
        (s, value, workers, plan) =>
          withLoop(async (loop, clock) => {
            const sem = new BoundedSemaphore(value);
            const acquisitions: Future<Releaser>[] = [];
            const waitedInOrder: number[] = [];
            const grantedWaiters: number[] = [];
            const holding = (): number =>
              acquisitions.filter(
                (f) => f.done() && !f.cancelled() && f.exception() === null && f.result().held,
              ).length;
            const check = (): void => expect(holding()).toBeLessThanOrEqual(value);

            const hold = async (i: number, steps: number): Promise<void> => {
              check();
              for (let k = 0; k < steps; k++) await s.schedule(Promise.resolve(), `hold ${i}.${k}`);
            };
            const run = async (i: number, w: Worker): Promise<string> => {
              await s.schedule(Promise.resolve(), `start ${i}`);
              if (w.viaUse) {
                const used = sem.use(() => hold(i, w.hold), w.timeout);
                return used.then(
                  () => 'used',
                  (error: unknown) => {
                    expect(error).toBeInstanceOf(TimeoutError);
                    return 'timeout';
                  },
                );
              }
              const f = sem.acquire(w.timeout);
              acquisitions.push(f);
              if (!f.done()) {
                waitedInOrder.push(i);
                f.addDoneCallback((done) => {
                  if (done.exception() === null) grantedWaiters.push(i);
                });
              }
              let releaser: Releaser;
              try {
                releaser = await f;
              } catch (error) {
                expect(error).toBeInstanceOf(TimeoutError);
                return 'timeout';
              }
              await hold(i, w.hold);
              releaser.release();
              return 'released';
            };

            const all = Promise.all(workers.map((w, i) => run(i, w)));
            await drive(s, loop, clock, plan, all, check);
            const outcomes = await all;
            // Waiters that got a slot got it in the order they started waiting.
            expect(grantedWaiters).toEqual(waitedInOrder.filter((i) => grantedWaiters.includes(i)));
            // A worker without a timeout always gets its turn.
            workers.forEach((w, i) => {
              if (w.timeout === undefined) expect(outcomes[i]).not.toBe('timeout');
            });
            expect(String(sem)).toBe(`<BoundedSemaphore [unlocked,value:${value}]>`);
            expect(loop.pendingTimeouts).toBe(0);
          }),
      ),
      { numRuns: 150 },
    );
  });
});

describe('Lock under any interleaving', () => {
  test('has at most one holder and hands itself over in request order, skipping timed-out waiters', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        fc.array(worker, { minLength: 1, maxLength: 10 }),
        fc.array(fc.boolean(), { maxLength: 20 }),
        (s, workers, plan) =>
          withLoop(async (loop, clock) => {
            const lock = new Lock();
            const requested: number[] = [];
            const entered: number[] = [];
            let inside = 0;
            const check = (): void => expect(inside).toBeLessThanOrEqual(1);

            const section = async (i: number, steps: number): Promise<void> => {
              inside++;
              entered.push(i);
              check();
              for (let k = 0; k < steps; k++) await s.schedule(Promise.resolve(), `hold ${i}.${k}`);
              inside--;
            };
            const run = async (i: number, w: Worker): Promise<string> => {
              await s.schedule(Promise.resolve(), `start ${i}`);
              requested.push(i);
              const f = w.viaUse
                ? lock.use(() => section(i, w.hold), w.timeout)
                : lock.acquire(w.timeout);
              try {
                const held = await f;
                if (held !== undefined) {
                  await section(i, w.hold);
                  held.release();
                }
                return 'entered';
              } catch (error) {
                expect(error).toBeInstanceOf(TimeoutError);
                return 'timeout';
              }
            };

            const all = Promise.all(workers.map((w, i) => run(i, w)));
            await drive(s, loop, clock, plan, all, check);
            const outcomes = await all;
            expect(entered).toEqual(requested.filter((i) => outcomes[i] === 'entered'));
            expect(String(lock)).toBe('<Lock unlocked>');
            expect(loop.pendingTimeouts).toBe(0);
          }),
      ),
      { numRuns: 150 },
    );
  });
});
