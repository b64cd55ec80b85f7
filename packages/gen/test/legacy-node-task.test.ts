/**
 * nodeTask: yielding Node's error-first callback APIs.
 */
import { readFile } from 'node:fs';
import { Arguments, coroutine, engine, nodeTask } from '@tronada/gen';
import type { Future } from '@tronada/ioloop';
import { describe, expect, expectTypeOf, test } from 'vitest';
import { divideByZero, EngineHarness, ZeroDivisionError } from './legacy-harness.js';

const packageJson = new URL('../package.json', import.meta.url);

describe('nodeTask', () => {
  test('yields what a Node API calls back with, typed, in a coroutine', async () => {
    new EngineHarness();
    const c = coroutine(function* () {
      const bytes = yield* nodeTask(readFile, packageJson);
      expectTypeOf(bytes).toEqualTypeOf<NonSharedBuffer>();
      const text = yield* nodeTask((cb: (e: Error | null, text: string) => void) =>
        readFile(packageJson, 'utf8', cb),
      );
      expectTypeOf(text).toEqualTypeOf<string>();
      return [bytes.toString('utf8') === text, JSON.parse(text).name];
    });
    expect(await c()).toEqual([true, '@tronada/gen']);
  });

  test('fails with the error a Node API calls back with', async () => {
    new EngineHarness();
    const missing = new URL('./no-such-file.txt', import.meta.url);
    await expect(nodeTask(readFile, missing)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  test('an error thrown into an engine at the yield can be caught there', async () => {
    const t = new EngineHarness();
    const f = engine(function* () {
      try {
        yield nodeTask((cb: (error: Error | null, value?: number) => void) => {
          t.loop.addCallback(() => cb(new RangeError('from the callback')));
        });
      } catch (error) {
        t.stop((error as Error).message);
      }
    });
    expect(await t.runGen(f)).toBe('from the callback');
  });

  test('null, undefined and other falsy errors mean success, as with util.promisify', () => {
    new EngineHarness();
    const call = (error: unknown): Future<string> =>
      nodeTask((cb: (error: Error | null, value: string) => void) =>
        cb(error as Error | null, 'ok'),
      );
    for (const error of [null, undefined, 0, false, '']) expect(call(error).result()).toBe('ok');
  });

  test('no value gives undefined and several values give Arguments', () => {
    new EngineHarness();
    expect(nodeTask((cb: (error: null) => void) => cb(null)).result()).toBeUndefined();
    const several = nodeTask((cb: (error: null, bytes: number, buffer: string) => void) =>
      cb(null, 3, 'abc'),
    );
    expectTypeOf(several).toEqualTypeOf<Future<Arguments>>();
    expect(several.result()).toBeInstanceOf(Arguments);
    expect(several.result().args).toEqual([3, 'abc']);
  });

  test('a synchronous throw, or one from a callback the function scheduled, fails the Future', async () => {
    const t = new EngineHarness();
    const sync = nodeTask((_cb: (error: Error | null) => void) => divideByZero());
    expect(sync.exception()).toBeInstanceOf(ZeroDivisionError);
    const later = nodeTask((_cb: (error: Error | null) => void) =>
      t.loop.addCallback(() => divideByZero()),
    );
    await expect(later).rejects.toThrow(ZeroDivisionError);
  });

  test('only the first call of the callback counts', () => {
    new EngineHarness();
    const future = nodeTask((cb: (error: Error | null, value?: string) => void) => {
      cb(null, 'first');
      cb(new Error('too late'));
    });
    expect(future.result()).toBe('first');
  });
});
