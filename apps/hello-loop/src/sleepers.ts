import { coroutine, multi, sleep } from '@tronada/gen';
import type { Future } from '@tronada/ioloop';

/**
 * One sleeper: says it is sleeping, sleeps `seconds` without blocking the loop, says it is
 * awake. `say` receives each line.
 */
export const sleeper = coroutine(function* sleeper(
  name: string,
  seconds: number,
  say: (line: string) => void,
) {
  say(`${name}: sleeping`);
  yield* sleep(seconds);
  say(`${name}: awake!`);
});

/**
 * Runs two sleepers on the same loop. Because `sleep` yields to the loop, both print
 * "sleeping" before either prints "awake!", and the whole run takes one sleep, not two.
 */
export function twoSleepers(seconds: number, say: (line: string) => void): Future<unknown> {
  return multi([sleeper('first', seconds, say), sleeper('second', seconds, say)]);
}
