import {
  appLog,
  ExceptionStackContext,
  hasStackContext,
  runInNullContext,
  wrap,
} from '@tronada/ioloop';
import { describe, expect, test } from 'vitest';
import { captureLog, virtualLoop } from './helpers.js';

const message = (error: unknown): string => (error as Error).message;

describe('ExceptionStackContext', () => {
  test('an exception thrown in a loop callback scheduled inside it reaches its handler, not appLog', async () => {
    const { loop, clock } = virtualLoop();
    const records = captureLog(appLog);
    const handled: string[] = [];
    const context = new ExceptionStackContext((error) => {
      handled.push(message(error));
      return true;
    });
    context.run(() => {
      loop.addCallback(() => {
        throw new Error('in a callback');
      });
      loop.callLater(1, () => {
        throw new Error('in a timeout');
      });
    });
    await clock.advance(1);
    expect(handled).toEqual(['in a callback', 'in a timeout']);
    expect(records).toEqual([]);
  });

  test('follows the chain of callbacks: a callback scheduled by a callback is still covered', async () => {
    const { loop, clock } = virtualLoop();
    const handled: string[] = [];
    new ExceptionStackContext((error) => {
      handled.push(message(error));
      return true;
    }).run(() => {
      loop.addCallback(() => {
        loop.callLater(0.5, () => {
          throw new Error('two hops away');
        });
      });
    });
    await clock.advance(1);
    expect(handled).toEqual(['two hops away']);
  });

  test('still covers callbacks scheduled after an await inside it', async () => {
    const { loop, clock } = virtualLoop();
    const handled: string[] = [];
    const context = new ExceptionStackContext((error) => {
      handled.push(message(error));
      return true;
    });
    await context.run(async () => {
      await Promise.resolve();
      loop.addCallback(() => {
        throw new Error('after await');
      });
    });
    await clock.settle();
    expect(handled).toEqual(['after await']);
  });

  test('a handler that does not return true lets the exception reach appLog', async () => {
    const { loop, clock } = virtualLoop();
    const records = captureLog(appLog);
    const handled: string[] = [];
    new ExceptionStackContext((error) => {
      handled.push(message(error));
      return false;
    }).run(() =>
      loop.addCallback(() => {
        throw new Error('not swallowed');
      }),
    );
    await clock.settle();
    expect(handled).toEqual(['not swallowed']);
    expect(records.map((r) => message(r.args[0]))).toEqual(['not swallowed']);
  });

  test('nested contexts offer the exception to the inner handler first, then the outer', async () => {
    const { loop, clock } = virtualLoop();
    const order: string[] = [];
    const outer = new ExceptionStackContext((error) => {
      order.push(`outer:${message(error)}`);
      return true;
    });
    const inner = new ExceptionStackContext((error) => {
      order.push(`inner:${message(error)}`);
      return message(error) === 'inner handles this';
    });
    outer.run(() =>
      inner.run(() => {
        loop.addCallback(() => {
          throw new Error('inner handles this');
        });
        loop.addCallback(() => {
          throw new Error('outer handles this');
        });
      }),
    );
    await clock.settle();
    expect(order).toEqual([
      'inner:inner handles this',
      'inner:outer handles this',
      'outer:outer handles this',
    ]);
  });

  test('an inner handler that throws passes its own exception to the outer handler', async () => {
    const { loop, clock } = virtualLoop();
    const outerSaw: string[] = [];
    new ExceptionStackContext((error) => {
      outerSaw.push(message(error));
      return true;
    }).run(() =>
      new ExceptionStackContext((error) => {
        throw new Error(`translated ${message(error)}`);
      }).run(() =>
        loop.addCallback(() => {
          throw new Error('original');
        }),
      ),
    );
    await clock.settle();
    expect(outerSaw).toEqual(['translated original']);
  });

  test('after deactivate() its handler is skipped', async () => {
    const { loop, clock } = virtualLoop();
    const records = captureLog(appLog);
    const handled: string[] = [];
    const context = new ExceptionStackContext((error) => {
      handled.push(message(error));
      return true;
    });
    context.run(() =>
      loop.addCallback(() => {
        throw new Error('after deactivate');
      }),
    );
    expect(context.active).toBe(true);
    context.deactivate();
    expect(context.active).toBe(false);
    await clock.settle();
    expect(handled).toEqual([]);
    expect(records.map((r) => message(r.args[0]))).toEqual(['after deactivate']);
  });

  test('run() offers a synchronous exception to the handler and returns undefined if it is handled', () => {
    const swallowing = new ExceptionStackContext(() => true);
    expect(
      swallowing.run(() => {
        throw new Error('sync');
      }),
    ).toBeUndefined();
    expect(swallowing.run(() => 'value')).toBe('value');
    const passing = new ExceptionStackContext(() => false);
    expect(() =>
      passing.run(() => {
        throw new Error('rethrown');
      }),
    ).toThrow('rethrown');
  });
});

describe('runInNullContext', () => {
  test('callbacks scheduled inside it escape the enclosing context', async () => {
    const { loop, clock } = virtualLoop();
    const records = captureLog(appLog);
    const handled: string[] = [];
    new ExceptionStackContext((error) => {
      handled.push(message(error));
      return true;
    }).run(() => {
      expect(hasStackContext()).toBe(true);
      runInNullContext(() => {
        expect(hasStackContext()).toBe(false);
        loop.addCallback(() => {
          throw new Error('escaped');
        });
      });
    });
    await clock.settle();
    expect(handled).toEqual([]);
    expect(records.map((r) => message(r.args[0]))).toEqual(['escaped']);
  });

  test('returns the function’s value', () => {
    expect(runInNullContext(() => 5)).toBe(5);
  });
});

describe('wrap', () => {
  test('returns the function itself when no context is active', () => {
    const fn = (): number => 1;
    expect(hasStackContext()).toBe(false);
    expect(wrap(fn)).toBe(fn);
  });

  test('inside a context it binds the function to that context, keeps its name, and wraps once', () => {
    const handled: string[] = [];
    const context = new ExceptionStackContext((error) => {
      handled.push(message(error));
      return true;
    });
    function named(fail: boolean): string {
      if (fail) throw new Error('wrapped failure');
      return 'ok';
    }
    const bound = context.run(() => wrap(named))!;
    expect(bound).not.toBe(named);
    expect(bound.name).toBe('named');
    expect(context.run(() => wrap(bound))).toBe(bound);
    // Called later, from outside any context:
    expect(hasStackContext()).toBe(false);
    expect(bound(false)).toBe('ok');
    expect(bound(true)).toBeUndefined();
    expect(handled).toEqual(['wrapped failure']);
  });

  test('a wrapped function runs inside the context it was wrapped in', () => {
    const context = new ExceptionStackContext(() => true);
    const probe = context.run(() => wrap(() => hasStackContext()))!;
    expect(hasStackContext()).toBe(false);
    expect(probe()).toBe(true);
  });
});
