/**
 * Property: for any period and any run durations, a PeriodicCallback runs on the slots of its
 * original schedule (start + k·period: it never drifts), each slot at most once, never before the
 * previous run ended, and a run that takes `d` skips exactly the floor(d / period) slots it
 * overran. Durations are modelled by callbacks that return a Future a loop timer resolves `d`
 * seconds later, on a virtual clock.
 */

import { Future, IOLoop, PeriodicCallback, VirtualClock } from '@tronada/ioloop';
import fc from 'fast-check';
import { expect, test } from 'vitest';

/** A run's length as whole periods overrun plus a fraction kept away from slot boundaries. */
interface RunLength {
  readonly periods: number;
  readonly fraction: number;
}

const runLength: fc.Arbitrary<RunLength> = fc.oneof(
  fc.constant({ periods: 0, fraction: 0 }),
  fc.record({
    periods: fc.integer({ min: 0, max: 3 }),
    fraction: fc.double({ min: 0.02, max: 0.98, noNaN: true }),
  }),
);

test('runs land on schedule slots, skip only overrun slots, and never repeat a slot', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.integer({ min: 1, max: 10_000 }),
      fc.integer({ min: 0, max: 100_000 }),
      fc.array(runLength, { minLength: 1, maxLength: 12 }),
      async (callbackTimeMs, start, lengths) => {
        const clock = new VirtualClock(start);
        const loop = new IOLoop({ clock, makeCurrent: true });
        const period = callbackTimeMs / 1000;
        try {
          const calls: number[] = [];
          const ends: number[] = [];
          const pc = new PeriodicCallback(() => {
            const { periods, fraction } = lengths[calls.length]!;
            const duration = (periods + fraction) * period;
            calls.push(loop.time());
            if (calls.length === lengths.length) pc.stop();
            if (duration === 0) {
              ends.push(loop.time());
              return undefined;
            }
            const done = new Future<void>();
            loop.callLater(duration, () => {
              ends.push(loop.time());
              done.setResult(undefined);
            });
            return done;
          }, callbackTimeMs);
          pc.start();

          // The slot index each run should use: one after the last slot the previous run touched.
          const slots: number[] = [];
          let slot = 1;
          for (const { periods, fraction } of lengths) {
            slots.push(slot);
            slot += fraction === 0 ? 1 : periods + 1;
          }
          await clock.advance((slot + 1) * period);

          expect(calls).toHaveLength(lengths.length);
          const tolerance = 1e-6;
          calls.forEach((t, i) => {
            // On the original grid: no drift.
            expect(Math.abs(t - (start + slots[i]! * period))).toBeLessThan(tolerance);
            if (i > 0) {
              // Never before the previous run ended, and never a whole period later than needed.
              expect(t).toBeGreaterThanOrEqual(ends[i - 1]!);
              expect(t - period).toBeLessThan(ends[i - 1]! + tolerance);
              // Never twice for one slot.
              expect(t).toBeGreaterThan(calls[i - 1]!);
            }
          });
          expect(pc.isRunning()).toBe(false);
          expect(loop.pendingTimeouts).toBe(0);
        } finally {
          loop.close();
        }
      },
    ),
    { numRuns: 100 },
  );
});
