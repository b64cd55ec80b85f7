/**
 * Tornado's testing_test.py, the parts that apply to @tronada/testing (the HTTP ones are in
 * packages/web/test/testing-helpers.test.ts). Timeouts run on the virtual clock: genTest's
 * timeout is a timer on the loop, so advancing the clock decides it without waiting.
 */
import { Event, moment, sleep } from '@tronada/gen';
import { appLog, genLog, IOLoop, TimeoutError } from '@tronada/ioloop';
import { expectLog, genTest, type TestHooks, TestLoop, useTestLoop } from '@tronada/testing';
import { afterEach, beforeEach, describe, expect, it, onTestFinished } from 'vitest';

/** Sets ASYNC_TEST_TIMEOUT (or removes it, with `undefined`) until the test ends. */
function withEnvTimeout(value: string | undefined): void {
  const saved = process.env.ASYNC_TEST_TIMEOUT;
  if (value === undefined) delete process.env.ASYNC_TEST_TIMEOUT;
  else process.env.ASYNC_TEST_TIMEOUT = value;
  onTestFinished(() => {
    if (saved === undefined) delete process.env.ASYNC_TEST_TIMEOUT;
    else process.env.ASYNC_TEST_TIMEOUT = saved;
  });
}

/** Starts a genTest body; `outcome()` is then 'pending', 'passed' or the error it failed with. */
function started(run: Promise<void>): { readonly outcome: () => unknown } {
  let outcome: unknown = 'pending';
  run.then(
    () => {
      outcome = 'passed';
    },
    (error: unknown) => {
      outcome = error;
    },
  );
  return { outcome: () => outcome };
}

describe('genTest timeouts (testing_test AsyncTestCaseTest, GenTest)', () => {
  const t = useTestLoop({ beforeEach, afterEach });

  it('times out after 5 seconds by default', async () => {
    withEnvTimeout(undefined);
    const quick = started(
      genTest(function* () {
        yield sleep(4.9);
      })(),
    );
    await t.testLoop.advance(4.9);
    expect(quick.outcome()).toBe('passed');

    const slow = started(
      genTest(function* () {
        yield sleep(60);
      })(),
    );
    await t.testLoop.advance(5);
    expect(slow.outcome()).toBeInstanceOf(TimeoutError);
    await t.testLoop.advance(55);
  });

  it('takes its default timeout from ASYNC_TEST_TIMEOUT', async () => {
    withEnvTimeout('0.01');
    const run = started(
      genTest(function* () {
        yield sleep(1);
      })(),
    );
    await t.testLoop.advance(0.01);
    expect(run.outcome()).toBeInstanceOf(TimeoutError);
    expect(String(run.outcome())).toMatch(/timed out after 0.01 seconds/);
    await t.testLoop.advance(1);
  });

  it('lets a timeout given to genTest win over ASYNC_TEST_TIMEOUT, longer or shorter', async () => {
    withEnvTimeout('0.1');
    const longer = started(
      genTest(
        function* () {
          yield sleep(0.25);
        },
        { timeout: 0.5 },
      )(),
    );
    const shorter = started(
      genTest(
        function* () {
          yield sleep(1);
        },
        { timeout: 0.01 },
      )(),
    );
    await t.testLoop.advance(0.01);
    expect(shorter.outcome()).toBeInstanceOf(TimeoutError);
    await t.testLoop.advance(0.24);
    expect(longer.outcome()).toBe('passed');
    await t.testLoop.advance(1);
  });

  it('passes a body that ends within its timeout', async () => {
    const run = started(
      genTest(
        function* () {
          yield sleep(0.1);
        },
        { timeout: 1 },
      )(),
    );
    await t.testLoop.advance(0.1);
    expect(run.outcome()).toBe('passed');
  });

  it("clears a finished run's timeout, so it cannot cut the next run short", async () => {
    const first = started(genTest(function* () {}, { timeout: 0.1 })());
    await t.testLoop.advance(0);
    expect(first.outcome()).toBe('passed');
    expect(t.testLoop.loop.pendingTimeouts).toBe(0);

    const second = started(
      genTest(
        function* () {
          yield sleep(0.2);
        },
        { timeout: 0.4 },
      )(),
    );
    await t.testLoop.advance(0.2);
    expect(second.outcome()).toBe('passed');
  });

  it('fails an async body that outlives its timeout with TimeoutError', async () => {
    const run = started(
      genTest(
        async () => {
          await sleep(1);
        },
        { timeout: 0.1 },
      )(),
    );
    await t.testLoop.advance(0.1);
    expect(run.outcome()).toBeInstanceOf(TimeoutError);
    await t.testLoop.advance(1);
  });
});

describe('genTest bodies (testing_test GenTest)', () => {
  useTestLoop({ beforeEach, afterEach }, { clock: false });
  let finished = false;
  beforeEach(() => {
    finished = false;
  });
  afterEach(() => {
    // Tornado's GenTest checks the same in tearDown: the body really ran to its end.
    expect(finished).toBe(true);
  });

  it(
    'runs a generator body that never yields',
    // biome-ignore lint/correctness/useYield: Tornado's test_sync, a generator body without a yield
    genTest(function* () {
      finished = true;
    }),
  );

  it(
    'runs a generator body that yields moment',
    genTest(function* () {
      yield moment;
      finished = true;
    }),
  );

  it('hands the arguments it is called with to the body', async () => {
    const body = genTest(function* (...args: string[]) {
      expect(args).toEqual(['test']);
      yield moment;
      finished = true;
    });
    await body('test');
  });

  it('runs an async body too', async () => {
    const body = genTest(async () => {
      await sleep(0);
      finished = true;
    });
    await body();
  });

  it('runs the body on the loop that is current when the test runs', async () => {
    let seen: IOLoop | null = null;
    await genTest(function* () {
      yield moment;
      seen = IOLoop.current();
    })();
    expect(seen).toBe(IOLoop.current());
    finished = true;
  });
});

describe('what a test leaves behind (testing_test LeakTest)', () => {
  it('accepts a coroutine still waiting on an Event when the test ends, and logs nothing', async () => {
    const t = new TestLoop();
    const event = new Event();
    let resumed = false;
    const waiting = (async () => {
      await event.wait();
      resumed = true;
    })();
    await t.advance(0);
    const lines: string[] = [];
    const remove = [appLog, genLog].map((log) =>
      log.addHandler((record) => {
        lines.push(record.message);
        return undefined;
      }),
    );
    try {
      expect(() => t.close()).not.toThrow();
    } finally {
      for (const fn of remove) fn();
    }
    expect(lines).toEqual([]);
    expect(resumed).toBe(false);
    expect(waiting).toBeInstanceOf(Promise);
  });

  it('still reports a timer left on the loop, which a leaked coroutine does not count as', () => {
    const t = new TestLoop();
    void sleep(10);
    expect(() => t.close()).toThrow(/1 pending timeout/);
  });
});

describe('hooks (testing_test SetUpTearDownTest)', () => {
  it('runs inside the other before/after hooks of a file, in the order they were added', async () => {
    const events: string[] = [];
    const before: Array<() => unknown> = [];
    const after: Array<() => unknown> = [];
    const hooks: TestHooks = {
      beforeEach: (fn) => before.push(fn),
      afterEach: (fn) => after.push(fn),
    };
    hooks.beforeEach(() => events.push('setUp'));
    const handle = useTestLoop(hooks);
    hooks.afterEach(() => events.push('tearDown'));

    for (const fn of before) await fn();
    events.push(IOLoop.current() === handle.testLoop.loop ? 'test on the test loop' : 'test');
    const loop = handle.testLoop.loop;
    // Runners call after-hooks in reverse (vitest's default, node:test's order for a file).
    for (const fn of after.reverse()) await fn();

    expect(events).toEqual(['setUp', 'test on the test loop', 'tearDown']);
    expect(loop.closed).toBe(true);
    expect(() => handle.testLoop).toThrow(/no test is running/);
  });
});

describe('logging in a genTest body', () => {
  useTestLoop({ beforeEach, afterEach }, { clock: false });

  it(
    'claims an expected error line logged inside the body',
    genTest(function* () {
      yield expectLog(appLog, /boom/, async () => {
        await sleep(0);
        appLog.error('boom');
      });
    }),
  );
});
