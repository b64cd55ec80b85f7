/**
 * What the framework makes of a handler method's return value.
 */
import { runGenerator } from '@tronada/gen';
import { isGeneratorObject, isThenable } from '@tronada/ioloop';

/**
 * Turns what a handler method returned into something to wait for: a generator runs as a
 * coroutine, a thenable is waited on, anything else means the method is done.
 */
export function pendingResult(value: unknown, name: string): PromiseLike<unknown> | undefined {
  if (isGeneratorObject(value)) {
    return runGenerator(value as Generator<unknown, unknown, unknown>, name);
  }
  if (isThenable(value)) return value as PromiseLike<unknown>;
  return undefined;
}
