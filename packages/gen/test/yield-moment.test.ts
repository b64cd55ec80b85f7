/**
 * `yield moment`, `yield null` and `yield undefined` (a bare `yield`) hand the loop over for one
 * iteration: callbacks queued before them run first.
 */

import { coroutine, moment, multi } from '@tronada/gen';
import { Future } from '@tronada/ioloop';
import { describe, expect, test } from 'vitest';
import { currentVirtualLoop } from './coroutine-helpers.js';

describe.each([
  ['moment', moment],
  ['null', null],
  ['undefined', undefined],
] as const)('yield %s', (_name, value) => {
  test('continues on the next loop iteration, after callbacks already queued', async () => {
    const { loop } = currentVirtualLoop();
    const order: string[] = [];
    loop.addCallback(() => order.push('queued before'));
    const c = coroutine(function* () {
      order.push('before yield');
      const sent = yield value;
      order.push('after yield');
      return sent;
    })();
    loop.addCallback(() => order.push('queued after'));
    expect(c.done()).toBe(false);
    expect(order).toEqual(['before yield']);
    expect(await c).toBeUndefined();
    expect(order).toEqual(['before yield', 'queued before', 'queued after', 'after yield']);
  });

  test('does not continue in a microtask', async () => {
    currentVirtualLoop();
    const c = coroutine(function* () {
      yield value;
      return 'done';
    })();
    await Promise.resolve();
    await Promise.resolve();
    expect(c.done()).toBe(false);
    expect(await c).toBe('done');
  });
});

describe('taking turns', () => {
  const run = coroutine(function* (calls: string[], name: string, yieldable: unknown) {
    for (let i = 0; i < 5; i++) {
      calls.push(name);
      yield yieldable;
    }
  });
  const immediate = Future.resolved(undefined);

  test('a coroutine yielding done Futures runs to its end before the next one starts', async () => {
    currentVirtualLoop();
    const calls: string[] = [];
    await multi([run(calls, 'a', immediate), run(calls, 'b', immediate)]);
    expect(calls.join('')).toBe('aaaaabbbbb');
  });

  test('two coroutines yielding moment alternate', async () => {
    currentVirtualLoop();
    const calls: string[] = [];
    await multi([run(calls, 'a', moment), run(calls, 'b', moment)]);
    expect(calls.join('')).toBe('ababababab');
  });

  test('a coroutine yielding moment lets one yielding done Futures run through first', async () => {
    currentVirtualLoop();
    const calls: string[] = [];
    await multi([run(calls, 'a', moment), run(calls, 'b', immediate)]);
    expect(calls.join('')).toBe('abbbbbaaaa');
  });

  test('a bare yield lets the loop run too', async () => {
    currentVirtualLoop();
    const calls: string[] = [];
    const bare = coroutine(function* (name: string) {
      for (let i = 0; i < 3; i++) {
        calls.push(name);
        yield;
      }
    });
    await multi([bare('a'), bare('b')]);
    expect(calls.join('')).toBe('ababab');
  });
});

describe('moment outside a yield', () => {
  test('moment is a done Future of undefined, so multi and await see it as done', async () => {
    currentVirtualLoop();
    expect(moment.done()).toBe(true);
    expect(moment.result()).toBeUndefined();
    expect(await moment).toBeUndefined();
    const both = multi([moment, moment]);
    expect(both.done()).toBe(true);
    expect(both.result()).toEqual([undefined, undefined]);
  });

  test('a coroutine yielding multi([moment, moment]) gets [undefined, undefined]', async () => {
    currentVirtualLoop();
    const c = coroutine(function* () {
      return yield multi([moment, moment]);
    })();
    expect(await c).toEqual([undefined, undefined]);
  });

  test('a list of 2000 moments is yielded in linear time', async () => {
    currentVirtualLoop();
    const started = performance.now();
    const c = coroutine(function* () {
      return yield Array.from({ length: 2000 }, () => moment);
    })();
    const result = (await c) as unknown[];
    expect(result).toHaveLength(2000);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
