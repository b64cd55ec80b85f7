import { coroutine, sleep } from '@tronada/gen';
import { IOLoop } from '@tronada/ioloop';

export const divide = coroutine(function* (x: number, y: number) {
  yield* sleep(0.01);
  if (y === 0) throw new RangeError('division by zero');
  return x / y;
});

// Right: yield* (or await) the coroutine; its failure is thrown here.
export const goodCall = coroutine(function* () {
  return yield* divide(1, 0);
});

// Also right, when nobody waits for the result: the loop logs a failure instead of losing it.
export function fireAndForget(): void {
  IOLoop.current().spawnCallback(divide, 1, 0);
}

// At the top of a program, runSync starts the loop, runs the function and stops again.
export async function main(): Promise<number> {
  return IOLoop.current().runSync(() => divide(10, 4));
}
