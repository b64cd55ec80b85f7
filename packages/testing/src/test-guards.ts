/**
 * Test guards: hooks that make tests police themselves (after Tornado's `runtests.py`, per test).
 * A test fails if it leaves an unhandled rejection, or if Tronada's application or general logger
 * printed a warning or error that no `ExpectLog` claimed. Framework-agnostic: give it your runner's hooks.
 */
import type { LogRecord } from '@tronada/ioloop';
import { appLog, genLog } from '@tronada/ioloop';
import { LeakError, LogExpectationError } from './errors.js';
import type { TestLoopOptions } from './test-loop.js';
import { TestLoop } from './test-loop.js';

/** The per-test hooks of a test runner (vitest, `node:test`, jest, mocha). */
export interface TestHooks {
  beforeEach(fn: () => unknown): void;
  afterEach(fn: () => unknown): void;
}

let installed = false;

function describeRecord(r: LogRecord): string {
  const first = r.args.find((a) => a instanceof Error) as Error | undefined;
  return `${r.level} on ${r.logger}: ${r.message}${first ? ` (${first.name}: ${first.message})` : ''}`;
}

/**
 * Installs the guards once per test process; later calls do nothing.
 *
 * @see Tornado `tornado.testing` log and leak checks
 */
export function installTestGuards(hooks: TestHooks): void {
  if (installed) return;
  installed = true;
  const rejections: unknown[] = [];
  const unexpected: LogRecord[] = [];
  process.on('unhandledRejection', (reason) => {
    rejections.push(reason);
  });
  // The access log is left out, as Tornado's runtests.py silences `tornado.access`: a 404 or 403
  // logged there is the expected outcome of many tests, not a problem they hide.
  for (const log of [appLog, genLog]) {
    log.addHandler((record) => {
      if (record.level === 'warn' || record.level === 'error') unexpected.push(record);
      return undefined;
    });
  }
  hooks.beforeEach(() => {
    rejections.length = 0;
    unexpected.length = 0;
  });
  hooks.afterEach(async () => {
    // Rejections made at the very end of a test reach the process hook a turn later.
    await new Promise((resolve) => setImmediate(resolve));
    if (rejections.length > 0) {
      const errors = rejections.splice(0);
      throw new LeakError(`unhandled rejection during the test: ${String(errors[0])}`, {
        cause: errors[0],
      });
    }
    if (unexpected.length > 0) {
      const records = unexpected.splice(0);
      throw new LogExpectationError(
        `the test logged ${records.length} unexpected line(s); wrap the code in expectLog() if they are intended: ${records.map(describeRecord).join('; ')}`,
      );
    }
  });
}

/** What {@link useTestLoop} gives a test file. */
export interface TestLoopHandle {
  /** The current test's loop. */
  readonly testLoop: TestLoop;
}

/**
 * Gives every test of a file a fresh {@link TestLoop}, made current before it and closed (with
 * leak checks) after it. Returns a handle whose `testLoop` is the running test's.
 */
export function useTestLoop(hooks: TestHooks, options: TestLoopOptions = {}): TestLoopHandle {
  let current: TestLoop | null = null;
  hooks.beforeEach(() => {
    current = new TestLoop(options);
  });
  hooks.afterEach(() => {
    const t = current;
    current = null;
    t?.close();
  });
  return {
    get testLoop(): TestLoop {
      if (current === null) throw new Error('useTestLoop: no test is running');
      return current;
    },
  };
}
