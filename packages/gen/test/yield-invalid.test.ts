/**
 * Yielding something a coroutine cannot wait for: a BadYieldError is thrown into the generator
 * at that yield, where it can be caught; uncaught, it fails the coroutine's Future.
 */

import { convertYielded, coroutine } from '@tronada/gen';
import { BadYieldError, TronadaError } from '@tronada/ioloop';
import { describe, expect, test } from 'vitest';
import { currentVirtualLoop } from './coroutine-helpers.js';

class Custom {}

const bogus: ReadonlyArray<readonly [string, unknown]> = [
  ['a number', 42],
  ['a string', 'text'],
  ['a boolean', true],
  ['a symbol', Symbol('s')],
  ['a bigint', 10n],
  ['a function', function namedFn() {}],
  ['a class instance', new Custom()],
  ['a Map', new Map()],
  ['an array of numbers (Tornado yields a tuple)', [1, 2]],
  ['a record holding a number', { a: 1 }],
];

describe.each(bogus)('yielding %s', (_kind, value) => {
  test('fails the coroutine with BadYieldError when not caught', async () => {
    currentVirtualLoop();
    const f = coroutine(function* () {
      yield value;
    })();
    expect(f.done()).toBe(true);
    const error = f.exception();
    expect(error).toBeInstanceOf(BadYieldError);
    expect(error).toBeInstanceOf(TronadaError);
    expect((error as BadYieldError).code).toBe('ERR_BAD_YIELD');
    await expect(f).rejects.toThrow(/yielded unknown object/);
  });

  test('throws BadYieldError into the generator at the yield, where it can be caught', () => {
    currentVirtualLoop();
    const f = coroutine(function* () {
      try {
        yield value;
      } catch (error) {
        return error instanceof BadYieldError ? 'caught' : 'wrong error';
      }
      return 'not thrown';
    })();
    expect(f.result()).toBe('caught');
  });
});

describe('the BadYieldError message', () => {
  test('shows what arrived and lists what may be yielded', () => {
    const message = (value: unknown): string => {
      try {
        convertYielded(value);
      } catch (error) {
        return (error as Error).message;
      }
      return 'no error';
    };
    expect(message(42)).toContain('42');
    expect(message('text')).toContain('"text"');
    expect(message(new Custom())).toContain('Custom');
    expect(message(function namedFn() {})).toContain('namedFn');
    expect(message(42)).toMatch(/Future.*Promise.*array.*moment/);
  });

  test('a coroutine keeps running after it caught a bad yield', async () => {
    currentVirtualLoop();
    const f = coroutine(function* () {
      try {
        yield 42;
      } catch {
        // fall through to a good yield
      }
      return yield Promise.resolve('recovered');
    })();
    expect(await f).toBe('recovered');
  });
});
