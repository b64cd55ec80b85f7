/**
 * genTest: turns a generator function (or an async function) into a test body that runs on the
 * current IOLoop with a timeout (Tornado's `@gen_test`).
 */

import { coroutine } from '@tronada/gen';
import { IOLoop } from '@tronada/ioloop';

/** Options of {@link genTest}. */
export interface GenTestOptions {
  /**
   * Seconds before the test fails with a `TimeoutError`; default 5, or the
   * `ASYNC_TEST_TIMEOUT` environment variable (as in Tornado).
   */
  timeout?: number;
}

function defaultTimeout(): number {
  const fromEnv = Number(process.env.ASYNC_TEST_TIMEOUT);
  return Number.isFinite(fromEnv) && fromEnv > 0 ? fromEnv : 5;
}

/**
 * Wraps a generator test body so it runs as a coroutine on `IOLoop.current()` and fails on
 * timeout. The result is an async function for `it(...)` / `test(...)`.
 *
 * @see Tornado `tornado.testing.gen_test`
 */
export function genTest<A extends unknown[]>(
  body: (...args: A) => Generator<unknown, unknown, unknown> | PromiseLike<unknown> | undefined,
  options: GenTestOptions = {},
): (...args: A) => Promise<void> {
  const run = coroutine(body as (...args: A) => Generator<unknown, unknown, unknown>);
  const timeout = options.timeout ?? defaultTimeout();
  return async (...args: A): Promise<void> => {
    await IOLoop.current().runSync(() => run(...args), { timeout });
  };
}
