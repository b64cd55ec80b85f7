import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { threadId } from 'node:worker_threads';
import type { Executor, ExecutorTask, TaskRef } from '@tronada/ioloop';
import { CancelledError, type Future, InlineExecutor, ThreadPoolExecutor } from '@tronada/ioloop';
import { describe, expect, onTestFinished, test } from 'vitest';
import { virtualLoop } from './helpers.js';

const tasksUrl = new URL('./fixtures/tasks.mjs', import.meta.url);
const task = (name: string): TaskRef => ({ module: tasksUrl, name });

function pool(maxWorkers = 2): ThreadPoolExecutor {
  const executor = new ThreadPoolExecutor({ maxWorkers });
  onTestFinished(() => executor.shutdown());
  return executor;
}

describe('runInExecutor with a ThreadPoolExecutor', () => {
  test('runs a module export on another thread and resolves with its result', async () => {
    const { loop } = virtualLoop();
    const executor = pool();
    expect(await loop.runInExecutor(executor, task('add'), 2, 3)).toBe(5);
    const where = await loop.runInExecutor(executor, task('whereAmI'));
    expect(where).not.toBe(threadId);
  });

  test('awaits an async export and clones arguments and results', async () => {
    const { loop } = virtualLoop();
    const executor = pool();
    expect(await loop.runInExecutor(executor, task('doubleLater'), 21)).toBe(42);
    const value = { list: [1, 2], nested: { when: new Date(0) }, bytes: new Uint8Array([7]) };
    expect(await loop.runInExecutor(executor, task('echo'), value)).toEqual(value);
  });

  test('accepts the module as a URL, a file URL string or an absolute path', async () => {
    const { loop } = virtualLoop();
    const executor = pool();
    for (const module of [tasksUrl, tasksUrl.href, fileURLToPath(tasksUrl)]) {
      expect(await loop.runInExecutor(executor, { module, name: 'add' }, 1, 1)).toBe(2);
    }
  });

  test('a task that throws fails the Future with that error', async () => {
    const { loop } = virtualLoop();
    const executor = pool();
    const run = loop.runInExecutor(executor, task('fail'), 'thrown in a thread');
    await expect(run).rejects.toBeInstanceOf(RangeError);
    await expect(run).rejects.toThrow('thrown in a thread');
  });

  test('an export that is not a function fails with a TypeError naming it', async () => {
    const { loop } = virtualLoop();
    const executor = pool();
    const run = loop.runInExecutor(executor, task('answer'));
    await expect(run).rejects.toBeInstanceOf(TypeError);
    await expect(run).rejects.toThrow(/answer is not a function export/);
  });

  test('a module that cannot be imported fails the Future', async () => {
    const { loop } = virtualLoop();
    const executor = pool();
    const missing = new URL('./fixtures/no-such-module.mjs', import.meta.url);
    await expect(loop.runInExecutor(executor, { module: missing, name: 'x' })).rejects.toThrow(
      /no-such-module/,
    );
  });

  test('a function task is refused with a TypeError that says what to do instead', async () => {
    const { loop } = virtualLoop();
    const executor = pool();
    const run = loop.runInExecutor(executor, (a: number) => a + 1, 1);
    await expect(run).rejects.toBeInstanceOf(TypeError);
    await expect(run).rejects.toThrow(/\{ module, name \}.*InlineExecutor/s);
  });

  test('tasks run in parallel threads, so two that wait for each other both finish', async () => {
    const { loop } = virtualLoop();
    const executor = pool(2);
    const shared = new SharedArrayBuffer(8);
    const results = await Promise.all([
      loop.runInExecutor(executor, task('meet'), shared, 0, 1, 5000),
      loop.runInExecutor(executor, task('meet'), shared, 1, 0, 5000),
    ]);
    expect(results).toEqual(['met', 'met']);
  });

  test('a blocking task does not block the loop: a loop callback can release it', async () => {
    const { loop } = virtualLoop();
    const executor = pool(1);
    const shared = new SharedArrayBuffer(8);
    const flags = new Int32Array(shared);
    const waiting = loop.runInExecutor(executor, task('meet'), shared, 0, 1, 5000);
    // Once the task has marked its slot, answer from a loop callback on this thread.
    const answer = (): void => {
      if (Atomics.load(flags, 0) === 1) {
        Atomics.store(flags, 1, 1);
        Atomics.notify(flags, 1);
      } else {
        setImmediate(() => loop.addCallback(answer));
      }
    };
    loop.addCallback(answer);
    expect(await waiting).toBe('met');
  });

  test('with one thread, tasks queue and run one after another', async () => {
    const { loop } = virtualLoop();
    const executor = pool(1);
    const runs = [1, 2, 3].map((n) => loop.runInExecutor(executor, task('add'), n, 10));
    expect(await Promise.all(runs)).toEqual([11, 12, 13]);
  });

  test('a task that ends its thread fails only its own Future; the pool keeps working', async () => {
    const { loop } = virtualLoop();
    const executor = pool(1);
    await expect(loop.runInExecutor(executor, task('crash'), 3)).rejects.toThrow(
      /exited with code 3/,
    );
    expect(await loop.runInExecutor(executor, task('add'), 1, 2)).toBe(3);
  });

  test('shutdown cancels running and queued tasks and refuses new ones', async () => {
    const { loop } = virtualLoop();
    const executor = new ThreadPoolExecutor({ maxWorkers: 1 });
    const running = loop.runInExecutor(executor, task('block'), 10_000);
    const queued = loop.runInExecutor(executor, task('add'), 1, 1);
    await executor.shutdown();
    expect(running.cancelled()).toBe(true);
    expect(queued.cancelled()).toBe(true);
    await expect(running).rejects.toBeInstanceOf(CancelledError);
    await expect(loop.runInExecutor(executor, task('add'), 1, 1)).rejects.toThrow(/after shutdown/);
  });

  test('maxWorkers defaults to the number of CPUs and is at least one', () => {
    expect(new ThreadPoolExecutor().maxWorkers).toBe(availableParallelism());
    expect(new ThreadPoolExecutor({ maxWorkers: 0 }).maxWorkers).toBe(1);
  });
});

describe('runInExecutor with an InlineExecutor', () => {
  test('runs a plain function on the loop thread and returns a done Future', async () => {
    const { loop } = virtualLoop();
    const inline = new InlineExecutor();
    const run = loop.runInExecutor(inline, (a: number, b: number) => [a * b, threadId], 6, 7);
    expect(run.done()).toBe(true);
    expect(run.result()).toEqual([42, threadId]);
  });

  test('waits for an async function and reports a thrown error as a failed Future', async () => {
    const { loop } = virtualLoop();
    const inline = new InlineExecutor();
    expect(await loop.runInExecutor(inline, async (s: string) => s.toUpperCase(), 'abc')).toBe(
      'ABC',
    );
    const failing = loop.runInExecutor(inline, () => {
      throw new Error('inline failure');
    });
    expect(failing.done()).toBe(true);
    expect((failing.exception() as Error).message).toBe('inline failure');
    await expect(
      loop.runInExecutor(inline, () => Promise.reject(new Error('later'))),
    ).rejects.toThrow('later');
  });

  test('also runs { module, name } tasks, and refuses an export that is not a function', async () => {
    const { loop } = virtualLoop();
    const inline = new InlineExecutor();
    expect(await loop.runInExecutor(inline, task('add'), 4, 5)).toBe(9);
    expect(await loop.runInExecutor(inline, task('whereAmI'))).toBe(threadId);
    await expect(loop.runInExecutor(inline, task('answer'))).rejects.toBeInstanceOf(TypeError);
  });

  test('shutdown resolves', async () => {
    await expect(new InlineExecutor().shutdown()).resolves.toBeUndefined();
  });
});

describe('default executor', () => {
  test('runInExecutor(null, ...) uses a thread pool the loop owns and shuts down on close', async () => {
    const { loop } = virtualLoop();
    expect(await loop.runInExecutor(null, task('add'), 20, 22)).toBe(42);
    const where = await loop.runInExecutor(null, task('whereAmI'));
    expect(where).not.toBe(threadId);
    const pending = loop.runInExecutor(null, task('block'), 10_000);
    loop.close();
    await expect(pending).rejects.toBeInstanceOf(CancelledError);
  });

  test('setDefaultExecutor replaces the executor runInExecutor(null, ...) uses', async () => {
    const { loop } = virtualLoop();
    let submitted = 0;
    const inline = new InlineExecutor();
    const counting: Executor = {
      submit<A extends unknown[], R>(t: ExecutorTask<A, R>, args: A): Future<R> {
        submitted++;
        return inline.submit(t, args);
      },
      shutdown: () => inline.shutdown(),
    };
    loop.setDefaultExecutor(counting);
    let ran = false;
    await loop.runInExecutor(null, () => {
      ran = true;
    });
    expect(submitted).toBe(1);
    expect(ran).toBe(true);
  });

  test('setDefaultExecutor shuts down the pool the loop created itself', async () => {
    const { loop } = virtualLoop();
    const pending = loop.runInExecutor(null, task('block'), 10_000);
    loop.setDefaultExecutor(new InlineExecutor());
    await expect(pending).rejects.toBeInstanceOf(CancelledError);
    expect(loop.runInExecutor(null, () => 'inline now').result()).toBe('inline now');
  });
});
