import {
  appLog,
  CancelledError,
  Future,
  InvalidStateError,
  isFuture,
  TronadaError,
} from '@tronada/ioloop';
import { describe, expect, test } from 'vitest';
import { captureLog, collectUnhandledRejections, turns } from './helpers.js';

describe('Future states', () => {
  test('a new Future is pending and refuses to give a result or an exception', () => {
    const f = new Future<number>();
    expect(f.done()).toBe(false);
    expect(f.cancelled()).toBe(false);
    expect(() => f.result()).toThrow(InvalidStateError);
    expect(() => f.exception()).toThrow(InvalidStateError);
  });

  test('setResult makes it done with that result and no exception', () => {
    const f = new Future<string>();
    f.setResult('hello');
    expect(f.done()).toBe(true);
    expect(f.cancelled()).toBe(false);
    expect(f.result()).toBe('hello');
    expect(f.exception()).toBeNull();
  });

  test('a Future resolved with undefined still counts as a success', () => {
    const f = new Future<undefined>();
    f.setResult(undefined);
    expect(f.result()).toBeUndefined();
    expect(f.exception()).toBeNull();
  });

  test('setException makes result() throw that error and exception() return it, stack intact', () => {
    const f = new Future<number>();
    const error = new RangeError('out of range');
    f.setException(error);
    expect(f.done()).toBe(true);
    expect(f.exception()).toBe(error);
    expect(() => f.result()).toThrow(error);
    expect((f.exception() as Error).stack).toContain('future.test.ts');
  });

  test('setException with null or undefined stores an Error that says so', () => {
    for (const nothing of [null, undefined]) {
      const f = new Future<number>();
      f.setException(nothing);
      const stored = f.exception();
      expect(stored).toBeInstanceOf(Error);
      expect(String((stored as Error).message)).toContain(String(nothing));
    }
  });

  test('a done Future cannot be settled again', () => {
    const resolved = Future.resolved(1);
    expect(() => resolved.setResult(2)).toThrow(InvalidStateError);
    expect(() => resolved.setException(new Error('late'))).toThrow(InvalidStateError);
    expect(resolved.result()).toBe(1);

    const cancelled = new Future<number>();
    cancelled.cancel();
    expect(() => cancelled.setResult(2)).toThrow(/already cancelled/);
  });

  test('cancel() on a pending Future returns true and makes result() and exception() throw CancelledError', () => {
    const f = new Future<number>();
    expect(f.cancel('no longer needed')).toBe(true);
    expect(f.done()).toBe(true);
    expect(f.cancelled()).toBe(true);
    expect(() => f.result()).toThrow(CancelledError);
    expect(() => f.result()).toThrow('no longer needed');
    expect(() => f.exception()).toThrow(CancelledError);
  });

  test('cancel() on a done Future returns false and changes nothing', () => {
    const f = Future.resolved('kept');
    expect(f.cancel()).toBe(false);
    expect(f.cancelled()).toBe(false);
    expect(f.result()).toBe('kept');
    const g = new Future<number>();
    g.cancel();
    expect(g.cancel()).toBe(false);
  });

  test('Future.resolved and Future.rejected build done Futures', () => {
    expect(Future.resolved(5).result()).toBe(5);
    const error = new Error('nope');
    const rejected = Future.rejected<number>(error);
    expect(rejected.done()).toBe(true);
    expect(rejected.exception()).toBe(error);
  });

  test('Object.prototype.toString names it a Future', () => {
    expect(Object.prototype.toString.call(new Future())).toBe('[object Future]');
  });
});

describe('Future cancel handler', () => {
  test('runs synchronously inside cancel(), once', () => {
    const f = new Future<number>();
    const calls: string[] = [];
    f.setCancelHandler(() => calls.push('stop the work'));
    expect(f.cancel()).toBe(true);
    expect(calls).toEqual(['stop the work']);
    f.cancel();
    expect(calls).toEqual(['stop the work']);
  });

  test('a later handler replaces the earlier one and null removes it', () => {
    const calls: string[] = [];
    const replaced = new Future<number>();
    replaced.setCancelHandler(() => calls.push('first'));
    replaced.setCancelHandler(() => calls.push('second'));
    replaced.cancel();
    const removed = new Future<number>();
    removed.setCancelHandler(() => calls.push('removed'));
    removed.setCancelHandler(null);
    removed.cancel();
    expect(calls).toEqual(['second']);
  });

  test('is never called when the Future settles another way, or set on a done Future', () => {
    const calls: string[] = [];
    const resolved = new Future<number>();
    resolved.setCancelHandler(() => calls.push('resolved'));
    resolved.setResult(1);
    resolved.cancel();
    const failed = new Future<number>();
    failed.setCancelHandler(() => calls.push('failed'));
    failed.setException(new Error('x'));
    failed.exception();
    failed.cancel();
    const done = Future.resolved(2);
    done.setCancelHandler(() => calls.push('done'));
    done.cancel();
    expect(calls).toEqual([]);
  });
});

describe('Future done callbacks', () => {
  test('run in a microtask after settlement, not synchronously, and receive the Future', async () => {
    const f = new Future<number>();
    const seen: Array<Future<number>> = [];
    f.addDoneCallback((g) => seen.push(g));
    f.setResult(3);
    expect(seen).toEqual([]);
    await Promise.resolve();
    expect(seen).toHaveLength(1);
    expect(seen[0]).toBe(f);
  });

  test('run before the next macrotask', async () => {
    const order: string[] = [];
    const f = new Future<void>();
    setImmediate(() => order.push('immediate'));
    f.addDoneCallback(() => order.push('done callback'));
    f.setResult(undefined);
    await turns(1);
    expect(order).toEqual(['done callback', 'immediate']);
  });

  test('run in the order they were added, for every outcome', async () => {
    const outcomes: Array<(f: Future<number>) => void> = [
      (f) => f.setResult(1),
      (f) => f.setException(new Error('x')),
      (f) => f.cancel(),
    ];
    for (const settle of outcomes) {
      const f = new Future<number>();
      const order: number[] = [];
      for (let i = 0; i < 5; i++) f.addDoneCallback(() => order.push(i));
      settle(f);
      await Promise.resolve();
      expect(order).toEqual([0, 1, 2, 3, 4]);
    }
  });

  test('a callback added to a Future that is already done still waits for a microtask', async () => {
    const f = Future.resolved('ready');
    let called = false;
    f.addDoneCallback(() => {
      called = true;
    });
    expect(called).toBe(false);
    await Promise.resolve();
    expect(called).toBe(true);
  });

  test('a callback that throws is logged on appLog and the next callback still runs', async () => {
    const records = captureLog(appLog);
    const f = new Future<number>();
    const after: number[] = [];
    f.addDoneCallback(function explodes() {
      throw new Error('callback failure');
    });
    f.addDoneCallback((g) => after.push(g.result()));
    f.setResult(9);
    await turns(1);
    expect(after).toEqual([9]);
    expect(records).toHaveLength(1);
    expect(records[0]?.level).toBe('error');
    expect(records[0]?.message).toMatch(/Exception in callback explodes/);
    expect(records[0]?.args[0]).toMatchObject({ message: 'callback failure' });
  });

  test('removeDoneCallback removes every registration of a callback and says how many', async () => {
    const f = new Future<number>();
    const calls: string[] = [];
    const a = (): void => {
      calls.push('a');
    };
    const b = (): void => {
      calls.push('b');
    };
    f.addDoneCallback(a);
    f.addDoneCallback(b);
    f.addDoneCallback(a);
    expect(f.removeDoneCallback(a)).toBe(2);
    expect(f.removeDoneCallback(a)).toBe(0);
    f.setResult(1);
    await Promise.resolve();
    expect(calls).toEqual(['b']);
  });
});

describe('Future as a thenable', () => {
  test('await gives the result', async () => {
    const f = new Future<number>();
    setImmediate(() => f.setResult(42));
    expect(await f).toBe(42);
  });

  test('await throws the exception', async () => {
    const f = new Future<number>();
    const error = new TypeError('bad');
    setImmediate(() => f.setException(error));
    await expect(f).rejects.toBe(error);
  });

  test('await on a cancelled Future throws CancelledError', async () => {
    const f = new Future<number>();
    f.cancel();
    await expect(f).rejects.toBeInstanceOf(CancelledError);
  });

  test('Promise.all and Promise.race accept Futures', async () => {
    const a = new Future<number>();
    const b = Future.resolved('b');
    queueMicrotask(() => a.setResult(1));
    expect(await Promise.all([a, b])).toEqual([1, 'b']);
    expect(await Promise.race([new Future<number>(), Future.resolved(7)])).toBe(7);
  });

  test('then, catch and finally behave as on a Promise', async () => {
    expect(await Future.resolved(2).then((v) => v * 10)).toBe(20);
    expect(
      await Future.rejected<number>(new Error('e')).catch((e: unknown) => (e as Error).message),
    ).toBe('e');
    let ran = false;
    expect(
      await Future.resolved('x').finally(() => {
        ran = true;
      }),
    ).toBe('x');
    expect(ran).toBe(true);
  });

  test('then on a pending Future runs with its done callbacks, in the order they were added', async () => {
    const f = new Future<number>();
    const order: string[] = [];
    f.addDoneCallback(() => order.push('first done callback'));
    const doubled = f.then((v) => {
      order.push('then');
      return v * 2;
    });
    f.addDoneCallback(() => order.push('second done callback'));
    f.setResult(21);
    expect(order).toEqual([]);
    expect(await doubled).toBe(42);
    expect(order).toEqual(['first done callback', 'then', 'second done callback']);
  });

  test('then on a pending Future: a throwing handler rejects, a missing one passes through', async () => {
    const failing = new Future<number>();
    const thrown = new Error('from the handler');
    const rethrown = failing.then(() => {
      throw thrown;
    });
    const passed = failing.then(undefined, undefined);
    failing.setResult(1);
    await expect(rethrown).rejects.toBe(thrown);
    expect(await passed).toBe(1);

    const failed = new Future<number>();
    const error = new Error('failed');
    const passedOn = failed.then((v) => v + 1);
    const recovered = failed.then(undefined, (e: unknown) => (e as Error).message);
    failed.setException(error);
    await expect(passedOn).rejects.toBe(error);
    expect(await recovered).toBe('failed');
  });

  test('a Future<number> can stand where a Future<unknown> is expected', () => {
    const specific = new Future<number>();
    const general: Future<unknown> = specific;
    expect(general).toBe(specific);
  });
});

describe('unobserved failures', () => {
  test('a failed Future that nothing observes is reported as an unhandled rejection', async () => {
    const error = new Error('lost');
    const seen = await collectUnhandledRejections(() => {
      new Future<number>().setException(error);
    });
    expect(seen).toEqual([error]);
  });

  test('Future.rejected that nothing observes is reported too', async () => {
    const error = new Error('lost too');
    const seen = await collectUnhandledRejections(() => {
      Future.rejected(error);
    });
    expect(seen).toEqual([error]);
  });

  test('a failure observed by a done callback, exception(), result() or catch is not reported', async () => {
    const observers: Array<(f: Future<number>) => void> = [
      (f) => f.addDoneCallback(() => undefined),
      (f) => {
        f.exception();
      },
      (f) => {
        expect(() => f.result()).toThrow();
      },
      (f) => {
        f.catch(() => undefined);
      },
    ];
    const seen = await collectUnhandledRejections(() => {
      for (const observe of observers) {
        const f = new Future<number>();
        f.setException(new Error('seen'));
        observe(f);
      }
    });
    expect(seen).toEqual([]);
  });

  test('a failure awaited by a caller that catches it is not reported', async () => {
    const seen = await collectUnhandledRejections(async () => {
      const f = new Future<number>();
      const waiting = f.then(
        () => 'ok',
        () => 'caught',
      );
      f.setException(new Error('handled'));
      expect(await waiting).toBe('caught');
    });
    expect(seen).toEqual([]);
  });

  test('a failure passed on by then without a handler is reported on the Promise then returned', async () => {
    const error = new Error('passed on');
    const seen = await collectUnhandledRejections(() => {
      const f = new Future<number>();
      void f.then((v) => v);
      f.setException(error);
    });
    expect(seen).toEqual([error]);
  });

  test('a cancelled Future is never reported', async () => {
    const seen = await collectUnhandledRejections(() => {
      new Future<number>().cancel();
    });
    expect(seen).toEqual([]);
  });
});

describe('isFuture', () => {
  test('is true for Futures and false for Promises, thenables and other values', () => {
    expect(isFuture(new Future())).toBe(true);
    expect(isFuture(Future.resolved(1))).toBe(true);
    // biome-ignore lint/suspicious/noThenProperty: a bare thenable must not count as a Future
    const bareThenable = { then() {} };
    for (const other of [Promise.resolve(1), bareThenable, null, undefined, 0, 'future', {}]) {
      expect(isFuture(other)).toBe(false);
    }
  });

  test('recognises a Future from a second copy of the package through its Symbol.for brand', async () => {
    const secondCopyPath = '../src/future.js?second-copy';
    const copy = (await import(/* @vite-ignore */ secondCopyPath)) as { Future: typeof Future };
    expect(copy.Future).not.toBe(Future);
    const foreign = new copy.Future<number>();
    expect(foreign instanceof Future).toBe(false);
    expect(isFuture(foreign)).toBe(true);
  });

  test('accepts any object carrying the brand and rejects a look-alike without it', () => {
    const branded = { [Symbol.for('tronada.future')]: true };
    expect(isFuture(branded)).toBe(true);
    // biome-ignore lint/suspicious/noThenProperty: a look-alike of a Future, brand missing
    const lookAlike = { done: () => true, result: () => 1, then() {} };
    expect(isFuture(lookAlike)).toBe(false);
  });
});

describe('yield* on a Future', () => {
  test('yields the Future itself once and returns what the runner sends back, typed', () => {
    const f = new Future<number>();
    function* body(): Generator<unknown, string, unknown> {
      const n: number = yield* f;
      return `got ${n}`;
    }
    const it = body();
    const first = it.next();
    expect(first.done).toBe(false);
    expect(first.value).toBe(f);
    const last = it.next(7);
    expect(last).toEqual({ done: true, value: 'got 7' });
  });
});

describe('errors raised by Futures', () => {
  test('InvalidStateError and CancelledError are TronadaErrors with codes', () => {
    const f = new Future<number>();
    let caught: unknown;
    try {
      f.result();
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(TronadaError);
    expect((caught as InvalidStateError).code).toBe('ERR_INVALID_STATE');
    f.cancel();
    try {
      f.result();
    } catch (error) {
      caught = error;
    }
    expect((caught as CancelledError).code).toBe('ERR_CANCELLED');
  });
});
