import { coroutine, sleep } from '@tronada/gen';
import { PeriodicCallback } from '@tronada/ioloop';

// A loop in a coroutine: work, then sleep a minute. It runs every 60 s plus the time the
// work takes, like Tornado's minute_loop.
export const minuteLoop = coroutine(function* (work: () => unknown) {
  for (;;) {
    yield work();
    yield* sleep(60);
  }
});

// Starting the sleep first keeps a steady 60 s rhythm, as long as the work takes less.
export const minuteLoopSteady = coroutine(function* (work: () => unknown) {
  for (;;) {
    const nextMinute = sleep(60);
    yield work();
    yield* nextMinute;
  }
});

// PeriodicCallback does the same without a coroutine; its interval is in milliseconds.
export function everyMinute(work: () => unknown): PeriodicCallback {
  const periodic = new PeriodicCallback(work, 60_000);
  periodic.start();
  return periodic;
}
