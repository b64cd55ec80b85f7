/**
 * Property: for any sequence of addCallback / callLater / callAt / removeTimeout operations and
 * clock advances on a virtual clock, the loop does exactly what a simple model says:
 *
 * - the callbacks queued before an iteration run first, in the order added, and callbacks they
 *   add run in the next iteration, after all of them;
 * - due timeouts run in (deadline, insertion) order, each at max(deadline, time of the advance);
 * - a removed timeout never runs, including one removed by another timeout of the same batch;
 * - no timeout runs before its deadline.
 */

import type { TimeoutHandle } from '@tronada/ioloop';
import { IOLoop, VirtualClock } from '@tronada/ioloop';
import fc from 'fast-check';
import { expect, test } from 'vitest';

type Op =
  | { readonly kind: 'callback'; readonly child: boolean }
  | { readonly kind: 'later'; readonly delay: number; readonly removes: number | null }
  | { readonly kind: 'at'; readonly when: number; readonly removes: number | null }
  | { readonly kind: 'remove'; readonly pick: number }
  | { readonly kind: 'advance'; readonly by: number };

// Times on a quarter-second grid make equal deadlines (ties) common and keep arithmetic exact.
const quarter = (max: number): fc.Arbitrary<number> =>
  fc.integer({ min: 0, max: max * 4 }).map((n) => n / 4);
const removes = fc.option(fc.nat(), { freq: 4 });

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('callback'), child: fc.boolean() }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('later'), delay: quarter(3), removes }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('at'), when: quarter(8), removes }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('remove'), pick: fc.nat() }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('advance'), by: quarter(2) }) },
);

interface ModelTimer {
  readonly index: number;
  readonly deadline: number;
  readonly removes: number | null;
  state: 'waiting' | 'fired' | 'removed';
}

test('callbacks and timeouts run in the model’s order, removed timeouts never, nothing early', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(op, { maxLength: 40 }), async (ops) => {
      const clock = new VirtualClock();
      const loop = new IOLoop({ clock });
      try {
        const log: string[] = [];
        const early: string[] = [];
        const handles: TimeoutHandle[] = [];

        const model: string[] = [];
        let now = 0;
        let queued: Array<{ id: number; child: boolean }> = [];
        const timers: ModelTimer[] = [];
        let nextCallback = 0;

        const addTimer = (
          deadline: number,
          removesPick: number | null,
          schedule: (fn: () => void) => TimeoutHandle,
        ): void => {
          const index = timers.length;
          timers.push({ index, deadline, removes: removesPick, state: 'waiting' });
          handles.push(
            schedule(() => {
              if (loop.time() < deadline) early.push(`t${index} at ${loop.time()} < ${deadline}`);
              log.push(`t${index}@${loop.time()}`);
              if (removesPick !== null) loop.removeTimeout(handles[removesPick % handles.length]);
            }),
          );
        };

        const runModelAdvance = (by: number): void => {
          for (const { id } of queued) model.push(`cb${id}`);
          for (const { id, child } of queued) if (child) model.push(`child${id}`);
          queued = [];
          const start = now;
          const target = now + by;
          const due = timers
            .filter((t) => t.state === 'waiting' && t.deadline <= target)
            .sort((a, b) => a.deadline - b.deadline || a.index - b.index);
          for (const t of due) {
            if (t.state !== 'waiting') continue;
            t.state = 'fired';
            model.push(`t${t.index}@${Math.max(t.deadline, start)}`);
            if (t.removes !== null) {
              const victim = timers[t.removes % timers.length]!;
              if (victim.state === 'waiting') victim.state = 'removed';
            }
          }
          now = target;
        };

        for (const o of [...ops, { kind: 'advance', by: 100 } as const]) {
          switch (o.kind) {
            case 'callback': {
              const id = nextCallback++;
              queued.push({ id, child: o.child });
              loop.addCallback(() => {
                log.push(`cb${id}`);
                if (o.child) loop.addCallback(() => log.push(`child${id}`));
              });
              break;
            }
            case 'later':
              addTimer(now + o.delay, o.removes, (fn) => loop.callLater(o.delay, fn));
              break;
            case 'at':
              addTimer(o.when, o.removes, (fn) => loop.callAt(o.when, fn));
              break;
            case 'remove': {
              if (handles.length === 0) break;
              const k = o.pick % handles.length;
              loop.removeTimeout(handles[k]);
              const t = timers[k]!;
              if (t.state === 'waiting') t.state = 'removed';
              break;
            }
            case 'advance':
              await clock.advance(o.by);
              runModelAdvance(o.by);
              break;
          }
        }

        expect(early).toEqual([]);
        expect(log).toEqual(model);
        expect(loop.pendingTimeouts).toBe(0);
        expect(loop.pendingCallbacks).toBe(0);
      } finally {
        loop.close();
      }
    }),
    { numRuns: 120 },
  );
});
