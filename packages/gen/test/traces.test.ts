/**
 * Coroutine traces: an exception thrown into a coroutine where it is suspended gets a
 * CoroutineTrace at the end of its `cause` chain naming that coroutine (and, at a `yield*`, the
 * source line of the yield), so a failure that surfaced in a later loop turn still points at the
 * user's code.
 */
import { readFileSync } from 'node:fs';
import { coroutine, moment } from '@tronada/gen';
import { BadYieldError, CoroutineTrace, Future } from '@tronada/ioloop';
import { describe, expect, test } from 'vitest';
import { currentVirtualLoop } from './coroutine-helpers.js';

const source = readFileSync(new URL(import.meta.url), 'utf8').split('\n');

/** The 1-based line of this file that carries `marker` in a comment. */
function lineOf(marker: string): number {
  const index = source.findIndex((line) => line.includes(`// ${marker}`));
  if (index < 0) throw new Error(`marker ${marker} not found`);
  return index + 1;
}

/** The cause chain of `error`, without the error itself. */
function causes(error: unknown): unknown[] {
  const chain: unknown[] = [];
  for (
    let e = (error as { cause?: unknown }).cause;
    e !== undefined;
    e = (e as { cause?: unknown }).cause
  ) {
    chain.push(e);
    if (chain.length > 100) break;
  }
  return chain;
}

function traces(error: unknown): CoroutineTrace[] {
  return causes(error).filter((e): e is CoroutineTrace => e instanceof CoroutineTrace);
}

/** Awaits `future` and returns the error it failed with. */
async function failureOf(future: Future<unknown>): Promise<unknown> {
  try {
    await future;
  } catch (error) {
    return error;
  }
  throw new Error('the Future did not fail');
}

describe('a failure thrown in at a yield*', () => {
  test('gets a CoroutineTrace whose stack names the coroutine function and the line of the yield*', async () => {
    currentVirtualLoop();
    const pending = new Future<number>();
    const fetchThing = coroutine(function* fetchThing() {
      const x = yield* pending; // trace-site-1
      return x;
    });
    const result = fetchThing();
    const error = new Error('boom');
    pending.setException(error);
    expect(await failureOf(result)).toBe(error);
    const [trace, ...more] = traces(error);
    expect(more).toEqual([]);
    expect(trace).toBeInstanceOf(CoroutineTrace);
    expect(error.cause).toBe(trace);
    expect(trace!.stack).toMatch(
      new RegExp(`at fetchThing \\(.*traces\\.test\\.ts:${lineOf('trace-site-1')}:`),
    );
    // The error's own stack is left as it was.
    expect(error.stack).not.toContain('CoroutineTrace');
  });

  test('names each coroutine the failure passes through, innermost first', async () => {
    currentVirtualLoop();
    const pending = new Future<number>();
    const innerStep = coroutine(function* innerStep() {
      return yield* pending; // trace-inner
    });
    const outerStep = coroutine(function* outerStep() {
      return yield* innerStep(); // trace-outer
    });
    const result = outerStep();
    pending.setException(new RangeError('deep'));
    const found = traces(await failureOf(result));
    expect(found).toHaveLength(2);
    expect(found[0]!.stack).toMatch(new RegExp(`at innerStep .*:${lineOf('trace-inner')}:`));
    expect(found[1]!.stack).toMatch(new RegExp(`at outerStep .*:${lineOf('trace-outer')}:`));
  });

  test('is added even when the coroutine catches the error, which it sees unchanged', async () => {
    currentVirtualLoop();
    const error = new Error('handled');
    const c = coroutine(function* handler() {
      try {
        yield* Future.rejected<number>(error);
      } catch (caught) {
        return caught;
      }
      return null;
    })();
    expect(await c).toBe(error);
    expect(traces(error)).toHaveLength(1);
  });

  test('costs nothing on success: a resolved yield* leaves no trace behind', () => {
    currentVirtualLoop();
    const value = { payload: 1 };
    const c = coroutine(function* () {
      return yield* Future.resolved(value);
    })();
    expect(c.result()).toBe(value);
    expect(Object.hasOwn(value, 'cause')).toBe(false);
  });
});

describe('a failure thrown in at a plain yield', () => {
  test('gets a CoroutineTrace naming the coroutine function', async () => {
    currentVirtualLoop();
    const pending = new Future<number>();
    const loadUser = coroutine(function* loadUser() {
      return yield pending;
    });
    const result = loadUser();
    const error = new TypeError('plain');
    pending.setException(error);
    expect(await failureOf(result)).toBe(error);
    const found = traces(error);
    expect(found).toHaveLength(1);
    expect(found[0]!.stack).toContain('loadUser');
  });

  test('passing through two coroutines names both, inner first', async () => {
    currentVirtualLoop();
    const inner = coroutine(function* plainInner() {
      yield moment;
      return yield Future.rejected(new Error('x'));
    });
    const outer = coroutine(function* plainOuter() {
      return yield inner();
    });
    const found = traces(await failureOf(outer()));
    expect(found.map((t) => t.message)).toEqual([
      expect.stringContaining('plainInner'),
      expect.stringContaining('plainOuter'),
    ]);
  });

  test('a BadYieldError thrown in at the yield gets a trace too', async () => {
    currentVirtualLoop();
    const error = await failureOf(
      coroutine(function* badYielder() {
        yield 42;
      })(),
    );
    expect(error).toBeInstanceOf(BadYieldError);
    expect(traces(error)[0]?.stack).toContain('badYielder');
  });
});

describe('errors that already have a cause', () => {
  test('keep their cause; the trace is appended at the end of the chain', async () => {
    currentVirtualLoop();
    const root = new Error('root cause');
    const error = new Error('wrapper', { cause: root });
    const pending = new Future<number>();
    const c = coroutine(function* withCause() {
      return yield* pending;
    })();
    pending.setException(error);
    expect(await failureOf(c)).toBe(error);
    expect(error.cause).toBe(root);
    expect(root.cause).toBeInstanceOf(CoroutineTrace);
    expect((root.cause as CoroutineTrace).stack).toContain('withCause');
  });

  test('a cause that is not an object is kept and the chain is left alone', async () => {
    currentVirtualLoop();
    const error = new Error('wrapper', { cause: 'a string cause' });
    const c = coroutine(function* () {
      return yield* Future.rejected<number>(error);
    })();
    expect(await failureOf(c)).toBe(error);
    expect(error.cause).toBe('a string cause');
  });
});

describe('what is left alone', () => {
  test('a thrown primitive passes through unchanged', async () => {
    currentVirtualLoop();
    const c = coroutine(function* () {
      return yield* Future.rejected<number>('just a string');
    })();
    expect(await failureOf(c)).toBe('just a string');
  });

  test('a frozen error passes through unchanged', async () => {
    currentVirtualLoop();
    const error = Object.freeze(new Error('frozen'));
    const c = coroutine(function* () {
      return yield* Future.rejected<number>(error);
    })();
    expect(await failureOf(c)).toBe(error);
    expect(error.cause).toBeUndefined();
  });

  test('an error raised by the coroutine itself (not thrown in) gets no trace: its own stack shows the line', async () => {
    currentVirtualLoop();
    const c = coroutine(function* selfRaiser() {
      yield moment;
      throw new Error('own'); // trace-own
    })();
    const error = (await failureOf(c)) as Error;
    expect(error.cause).toBeUndefined();
    expect(error.stack).toMatch(new RegExp(`selfRaiser .*:${lineOf('trace-own')}:`));
  });

  test('the chain stops growing after a bounded number of traces', async () => {
    currentVirtualLoop();
    const pending = new Future<number>();
    const level: (n: number) => Future<number> = coroutine(function* nested(n: number) {
      if (n === 0) return yield* pending;
      return yield* level(n - 1);
    });
    const c = level(50);
    pending.setException(new Error('very deep'));
    const found = traces(await failureOf(c));
    expect(found.length).toBeGreaterThan(1);
    expect(found.length).toBeLessThanOrEqual(17);
  });
});
