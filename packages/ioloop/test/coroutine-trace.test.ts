import { CoroutineTrace, recordCoroutineTrace } from '@tronada/ioloop';
import { describe, expect, test } from 'vitest';

/** The causes of `error`, outermost first. */
function causes(error: unknown): unknown[] {
  const chain: unknown[] = [];
  for (
    let e = (error as { cause?: unknown }).cause;
    e !== undefined;
    e = (e as { cause?: unknown }).cause
  ) {
    chain.push(e);
    if (typeof e !== 'object' || e === null) break;
  }
  return chain;
}

describe('recordCoroutineTrace', () => {
  test('adds a CoroutineTrace with the message as the cause of an error that has none', () => {
    const error = new Error('failed');
    recordCoroutineTrace(error, 'raised at a yield in coroutine fetch', null);
    const [trace] = causes(error);
    expect(trace).toBeInstanceOf(CoroutineTrace);
    expect(trace).toBeInstanceOf(Error);
    expect((trace as CoroutineTrace).name).toBe('CoroutineTrace');
    expect((trace as CoroutineTrace).message).toBe('raised at a yield in coroutine fetch');
    expect((trace as CoroutineTrace).stack).toBe(
      'CoroutineTrace: raised at a yield in coroutine fetch',
    );
    expect(Object.keys(error)).not.toContain('cause');
  });

  test('appends after the causes the error already has', () => {
    const root = new Error('root cause');
    const error = new Error('failed', { cause: root });
    recordCoroutineTrace(error, 'first', null);
    recordCoroutineTrace(error, 'second', null);
    const chain = causes(error);
    expect(chain[0]).toBe(root);
    expect(chain.slice(1).map((c) => (c as Error).message)).toEqual(['first', 'second']);
  });

  test('with a function, captures the stack at the caller of that function', () => {
    const error = new Error('failed');
    function annotate(e: unknown): void {
      recordCoroutineTrace(e, 'suspended here', annotate);
    }
    function userCoroutineBody(): void {
      annotate(error);
    }
    userCoroutineBody();
    const stack = (causes(error)[0] as CoroutineTrace).stack ?? '';
    expect(stack).toContain('userCoroutineBody');
    expect(stack).toContain('coroutine-trace.test.ts');
    expect(stack).not.toContain('annotate');
  });

  test('leaves primitives, frozen errors and chains ending in a non-object alone', () => {
    expect(() => recordCoroutineTrace('a string', 'm', null)).not.toThrow();
    expect(() => recordCoroutineTrace(undefined, 'm', null)).not.toThrow();
    const frozen = Object.freeze(new Error('frozen'));
    recordCoroutineTrace(frozen, 'm', null);
    expect(causes(frozen)).toEqual([]);
    const withStringCause = new Error('x', { cause: 'just text' });
    recordCoroutineTrace(withStringCause, 'm', null);
    expect(causes(withStringCause)).toEqual(['just text']);
  });

  test('stops growing the chain once it is full', () => {
    const error = new Error('deep');
    for (let i = 0; i < 30; i++) recordCoroutineTrace(error, `frame ${i}`, null);
    const length = causes(error).length;
    expect(length).toBeGreaterThan(1);
    expect(length).toBeLessThan(30);
    recordCoroutineTrace(error, 'one more', null);
    expect(causes(error)).toHaveLength(length);
  });
});
