/**
 * ExpectLog: asserts that a block logs a matching line, and keeps that line out of the output
 * (and out of the "unexpected log" check of the test guards).
 */
import type { LogLevel, LogRecord, NamedLogger } from '@tronada/ioloop';
import { LogExpectationError } from './errors.js';

/** Options of {@link ExpectLog}. */
export interface ExpectLogOptions {
  /** Fail if nothing matched; default true. */
  required?: boolean;
  /** Only records at this level match (default: any level). */
  level?: LogLevel;
}

function render(record: LogRecord): string {
  const extras = record.args.map((a) =>
    a instanceof Error ? `${a.name}: ${a.message}` : String(a),
  );
  return [record.message, ...extras].join(' ');
}

/**
 * Captures records of `logger` whose message (plus its arguments' text) matches `pattern`.
 * Use {@link expectLog} for a block, or `start()`/`finish()` (also `using`) by hand.
 *
 * @see Tornado `tornado.testing.ExpectLog`
 */
export class ExpectLog {
  /** How many records matched so far. */
  matched = 0;
  readonly #logger: NamedLogger;
  readonly #pattern: RegExp;
  readonly #options: ExpectLogOptions;
  #remove: (() => void) | null = null;

  constructor(logger: NamedLogger, pattern: RegExp | string, options: ExpectLogOptions = {}) {
    this.#logger = logger;
    this.#pattern = typeof pattern === 'string' ? new RegExp(pattern) : pattern;
    this.#options = options;
  }

  /** Starts capturing. */
  start(): this {
    this.#remove = this.#logger.addHandler((record) => {
      if (this.#options.level !== undefined && record.level !== this.#options.level)
        return undefined;
      if (!this.#pattern.test(render(record))) return undefined;
      this.matched++;
      return true;
    });
    return this;
  }

  /** Stops capturing; throws {@link LogExpectationError} if a required match never came. */
  finish(): void {
    this.#remove?.();
    this.#remove = null;
    if ((this.#options.required ?? true) && this.matched === 0) {
      throw new LogExpectationError(
        `did not get expected log message matching ${this.#pattern} on ${this.#logger.name}`,
      );
    }
  }

  [Symbol.dispose](): void {
    this.finish();
  }
}

/**
 * Runs `fn` (sync or async) while expecting `logger` to log a line matching `pattern`; returns
 * what `fn` returns.
 */
export function expectLog<R>(
  logger: NamedLogger,
  pattern: RegExp | string,
  fn: () => R,
  options: ExpectLogOptions = {},
): R {
  const expectation = new ExpectLog(logger, pattern, options).start();
  let result: R;
  try {
    result = fn();
  } catch (error) {
    expectation.finish();
    throw error;
  }
  if (typeof (result as PromiseLike<unknown>)?.then === 'function') {
    return Promise.resolve(result).finally(() => expectation.finish()) as R;
  }
  expectation.finish();
  return result;
}
