import { appLog, CancelledError, ThreadPoolExecutor } from '@tronada/ioloop';
import { expectLog, useTestLoop } from '@tronada/testing';
import { Application, RequestHandler } from '@tronada/web';
import { useAsyncHTTPTestCase } from '@tronada/web/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  everyMinute,
  minuteLoop,
  minuteLoopSteady,
} from '../guide/examples/coroutines/background.js';
import { divide, fireAndForget, goodCall, main } from '../guide/examples/coroutines/calling.js';
import { checkPassword } from '../guide/examples/coroutines/executor.js';
import { getNamed, getTwo } from '../guide/examples/coroutines/fetch-two.js';
import { fetchAndCount } from '../guide/examples/coroutines/interleave.js';
import { lookup, resolveAll } from '../guide/examples/coroutines/legacy-engine.js';
import { fetchUser, greet, greetBoth } from '../guide/examples/coroutines/native.js';
import { firstComeFirstServed } from '../guide/examples/coroutines/wait-iterator.js';
import { closeHttpClient } from './http-client.js';

class Echo extends RequestHandler {
  override get(word: string) {
    this.write(word);
  }
}

describe('on the real clock', () => {
  useTestLoop({ beforeEach, afterEach }, { clock: false });
  closeHttpClient({ afterEach });
  const server = useAsyncHTTPTestCase({ beforeEach, afterEach }, () => {
    return new Application([['/echo/(\\w+)', Echo]]);
  });
  const url = (word: string) => server.current.getUrl(`/echo/${word}`);

  it('fetch-two.ts fetches in parallel, as an array and as a record', async () => {
    expect(await getTwo(url('one'), url('two'))).toEqual(['one', 'two']);
    expect(
      await getNamed({ a: url('a'), b: server.current.getUrl('/nope') }).catch(String),
    ).toMatch(/404/);
    expect(await getNamed({ a: url('a'), b: url('b') })).toEqual({ a: 200, b: 200 });
  });

  it('interleave.ts works while the fetch runs', async () => {
    expect(await fetchAndCount(url('hello'), ['a', 'abc', 'ab'])).toEqual({
      longest: 'abc',
      bytes: 5,
    });
  });

  it('calling.ts: a waited-for failure is thrown, a spawned one is logged', async () => {
    await expect(goodCall()).rejects.toThrow('division by zero');
    expect(await divide(1, 4)).toBe(0.25);
    await expectLog(appLog, /Exception in callback/, async () => {
      fireAndForget();
      await new Promise((resolve) => setTimeout(resolve, 50));
    });
  });

  it('native.ts mixes coroutines and async functions', async () => {
    expect(await fetchUser(3)).toEqual({ id: 3, name: 'user 3' });
    expect(await greet(4)).toBe('hello, user 4');
    expect(await greetBoth()).toBe('user 1; hello, user 2');
  });

  it('wait-iterator.ts yields results in the order they finish', async () => {
    expect(await firstComeFirstServed()).toEqual(['fast (#1)', 'medium (#2)', 'slow (#0)']);
  });

  it('executor.ts hashes in a worker thread', async () => {
    const pool = new ThreadPoolExecutor({ maxWorkers: 1 });
    try {
      const { pbkdf2Sync } = await import('node:crypto');
      const expected = pbkdf2Sync('secret', 'salt', 10_000, 32, 'sha256').toString('hex');
      expect(await checkPassword(pool, 'secret', expected)).toBe(true);
      expect(await checkPassword(pool, 'guess', expected)).toBe(false);
    } finally {
      await pool.shutdown();
    }
  });
});

describe('on the virtual clock', () => {
  const t = useTestLoop({ beforeEach, afterEach });

  it('calling.ts: runSync runs a coroutine to its result', async () => {
    const result = main();
    await t.testLoop.advance(0.01);
    expect(await result).toBe(2.5);
  });

  it('legacy-engine.ts resolves every name through callbacks', async () => {
    const done: string[][] = [];
    resolveAll(['a', 'bb', 'ccc', 'dddd'], (addresses) => done.push(addresses));
    await t.testLoop.advance(0.02);
    expect(done).toEqual([['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4']]);
    const single: string[] = [];
    lookup('xyz', (address) => single.push(address));
    await t.testLoop.advance(0.01);
    expect(single).toEqual(['10.0.0.3']);
  });

  it('background.ts: minuteLoop drifts by the work time, the steady one does not', async () => {
    const drifting: number[] = [];
    const steady: number[] = [];
    const loop = t.testLoop.loop;
    const slowWork = (into: number[]) => () => {
      into.push(loop.time());
      return new Promise<void>((resolve) => loop.callLater(10, resolve));
    };
    const a = minuteLoop(slowWork(drifting));
    const b = minuteLoopSteady(slowWork(steady));
    for (let i = 0; i < 3; i++) await t.testLoop.advance(70);
    const start = steady[0]!;
    expect(steady.map((s) => s - start)).toEqual([0, 60, 120, 180]);
    expect(drifting.map((s) => s - start)).toEqual([0, 70, 140, 210]);
    a.cancel();
    b.cancel();
    await expect(a).rejects.toBeInstanceOf(CancelledError);
    await expect(b).rejects.toBeInstanceOf(CancelledError);
    await t.testLoop.advance(10); // the last piece of work finishes
  });

  it('background.ts: everyMinute runs each 60 s until stopped', async () => {
    let runs = 0;
    const periodic = everyMinute(() => {
      runs++;
    });
    await t.testLoop.advance(180);
    periodic.stop();
    expect(runs).toBe(3);
  });
});
