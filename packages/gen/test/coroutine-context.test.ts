/**
 * Async context (Tornado's ContextVarsTest, with Node's AsyncLocalStorage in place of
 * contextvars): a coroutine resumes in the context it was suspended in, whatever resolved the
 * Future it waited for, the same rule as `await` in an async function.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { coroutine, multi, sleep } from '@tronada/gen';
import { Future, InlineExecutor, IOLoop } from '@tronada/ioloop';
import { describe, expect, test } from 'vitest';
import { currentVirtualLoop } from './coroutine-helpers.js';

const requestId = new AsyncLocalStorage<number>();

const genInner = coroutine(function* genInner(x: number) {
  expect(requestId.getStore()).toBe(x);
  yield;
  expect(requestId.getStore()).toBe(x);
});

async function inner(x: number): Promise<void> {
  expect(requestId.getStore()).toBe(x);
  await genInner(x);
  expect(requestId.getStore()).toBe(x);
  await IOLoop.current().runInExecutor(new InlineExecutor(), () => {
    expect(requestId.getStore()).toBe(x);
  });
  expect(requestId.getStore()).toBe(x);
}

function nativeRoot(x: number): Promise<void> {
  return requestId.run(x, async () => {
    await inner(x);
  });
}

const genRoot = coroutine(function* genRoot(x: number) {
  requestId.enterWith(x);
  yield;
  yield inner(x);
});

describe('async context across yields', () => {
  test('propagates through every mix of native and generator coroutines running side by side', async () => {
    currentVirtualLoop();
    await multi([nativeRoot(1), nativeRoot(2), genRoot(3), genRoot(4)]);
  });

  test('a coroutine resumes in its caller context even when a Future is resolved from elsewhere', async () => {
    const { loop, clock } = currentVirtualLoop();
    const gate = new Future<string>();
    const seen: Array<number | undefined> = [];
    const waiter = coroutine(function* waiter() {
      seen.push(requestId.getStore());
      yield gate;
      seen.push(requestId.getStore());
      yield sleep(1);
      seen.push(requestId.getStore());
    });
    const done = requestId.run(7, () => waiter());
    // Resolved from a context where the store is another value.
    requestId.run(99, () => loop.addCallback(() => gate.setResult('open')));
    await clock.advance(1);
    await done;
    expect(seen).toEqual([7, 7, 7]);
  });

  test('a value entered inside a coroutine survives its yields; the caller sees what a caller of an async function would', async () => {
    const { clock } = currentVirtualLoop();
    const viaCoroutine = await requestId.run(1, async () => {
      const c = coroutine(function* setter() {
        requestId.enterWith(2);
        yield sleep(0.5);
        const afterSleep = requestId.getStore();
        yield;
        return [afterSleep, requestId.getStore()];
      })();
      const caller = requestId.getStore();
      await clock.advance(0.5);
      return [...((await c) as number[]), caller];
    });
    const viaAsyncFunction = await requestId.run(1, async () => {
      const p = (async () => {
        requestId.enterWith(2);
        await new Promise((resolve) => setImmediate(resolve));
        const afterSleep = requestId.getStore();
        await null;
        return [afterSleep, requestId.getStore()];
      })();
      const caller = requestId.getStore();
      return [...(await p), caller];
    });
    expect(viaCoroutine).toEqual([2, 2, 2]);
    expect(viaCoroutine).toEqual(viaAsyncFunction);
  });

  test('a coroutine that enters a value after its first wait keeps it to itself', async () => {
    const { clock } = currentVirtualLoop();
    const seen = await requestId.run(1, async () => {
      const c = coroutine(function* lateSetter() {
        yield sleep(0.5);
        requestId.enterWith(3);
        yield sleep(0.5);
        return requestId.getStore();
      })();
      await clock.advance(1);
      return [await c, requestId.getStore()];
    });
    expect(seen).toEqual([3, 1]);
  });
});
