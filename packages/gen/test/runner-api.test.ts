/**
 * The Runner itself (what `coroutine` builds on): driving a generator object directly, its
 * re-entrancy rule, and what cancelling a coroutine's Future does to the generator.
 */

import { coroutine, moment, Runner, runGenerator, sleep } from '@tronada/gen';
import { CancelledError, Future } from '@tronada/ioloop';
import { describe, expect, test } from 'vitest';
import { currentVirtualLoop } from './coroutine-helpers.js';

describe('driving a generator directly', () => {
  test('runGenerator runs a generator object and returns the Future of its result', async () => {
    currentVirtualLoop();
    function* work(): Generator<unknown, string, unknown> {
      const a = yield Future.resolved('a');
      yield moment;
      return `${String(a)}b`;
    }
    const result = runGenerator(work());
    expect(result.done()).toBe(false);
    expect(await result).toBe('ab');
  });

  test('a Runner settles the Future it was given and reports when it finished', async () => {
    currentVirtualLoop();
    const gate = new Future<number>();
    const result = new Future<number>();
    const runner = new Runner(
      (function* () {
        return ((yield gate) as number) * 2;
      })(),
      result,
    );
    expect(runner.finished).toBe(false);
    runner.run();
    expect(runner.finished).toBe(false);
    gate.setResult(21);
    expect(await result).toBe(42);
    expect(runner.finished).toBe(true);
  });

  test('run() is a no-op while the runner is already running or after it finished', () => {
    currentVirtualLoop();
    const result = new Future<number>();
    let steps = 0;
    const self: { runner?: Runner<number> } = {};
    const runner = new Runner(
      (function* () {
        steps++;
        self.runner?.run();
        yield Future.resolved(null);
        steps++;
        return steps;
      })(),
      result,
    );
    self.runner = runner;
    runner.run();
    runner.run();
    expect(result.result()).toBe(2);
  });

  test('uses the loop that was current when it was created for moment', async () => {
    const { loop } = currentVirtualLoop();
    const runner = new Runner((function* () {})(), new Future<void>());
    expect(runner.loop).toBe(loop);
  });
});

describe('cancelling a coroutine', () => {
  test('throws CancelledError into the generator at its yield, so finally blocks run', async () => {
    const { clock } = currentVirtualLoop();
    const events: string[] = [];
    const c = coroutine(function* () {
      try {
        yield sleep(10);
        events.push('not reached');
      } catch (error) {
        events.push(error instanceof CancelledError ? 'cancelled' : 'other');
        throw error;
      } finally {
        events.push('finally');
      }
    })();
    expect(c.cancel()).toBe(true);
    expect(events).toEqual(['cancelled', 'finally']);
    expect(c.cancelled()).toBe(true);
    await clock.advance(10);
  });

  test('cancels the Future the generator was waiting for', () => {
    currentVirtualLoop();
    const waited = new Future<number>();
    const c = coroutine(function* () {
      yield waited;
    })();
    c.cancel();
    expect(waited.cancelled()).toBe(true);
  });

  test('while it waits for moment leaves nothing broken behind when the loop runs', async () => {
    const { clock } = currentVirtualLoop();
    let after = false;
    const c = coroutine(function* () {
      yield moment;
      after = true;
    })();
    c.cancel();
    await clock.settle();
    expect(after).toBe(false);
    expect(c.cancelled()).toBe(true);
  });

  test('a finished coroutine cannot be cancelled', () => {
    currentVirtualLoop();
    // biome-ignore lint/correctness/useYield: a coroutine that never yields is the point
    const c = coroutine(function* () {
      return 1;
    })();
    expect(c.cancel()).toBe(false);
    expect(c.result()).toBe(1);
  });
});
