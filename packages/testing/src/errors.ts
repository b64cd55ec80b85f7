import { TronadaError } from '@tronada/ioloop';

/**
 * A test left something behind: timers, callbacks or handlers on its loop, or an unhandled
 * rejection. The message lists what leaked.
 */
export class LeakError extends TronadaError {
  override readonly name = 'LeakError';
  readonly code = 'ERR_TEST_LEAK';
}

/**
 * An `ExpectLog` block ended without the log line it expected, or a test logged a warning or
 * error nobody expected.
 *
 * @see Tornado `tornado.testing.ExpectLog` (its AssertionError)
 */
export class LogExpectationError extends TronadaError {
  override readonly name = 'LogExpectationError';
  readonly code = 'ERR_LOG_EXPECTATION';
}
