import {
  BadYieldError,
  CancelledError,
  InvalidStateError,
  IOLoopStateError,
  TimeoutError,
  TronadaError,
} from '@tronada/ioloop';
import { describe, expect, test } from 'vitest';

type ErrorsModule = typeof import('@tronada/ioloop');

describe('error classes', () => {
  test('each has a stable code, its own name, and extends TronadaError and Error', () => {
    const cases: Array<[TronadaError, string, string]> = [
      [new CancelledError(), 'CancelledError', 'ERR_CANCELLED'],
      [new TimeoutError(), 'TimeoutError', 'ERR_TIMEOUT'],
      [new InvalidStateError('x'), 'InvalidStateError', 'ERR_INVALID_STATE'],
      [new IOLoopStateError('x'), 'IOLoopStateError', 'ERR_IOLOOP_STATE'],
      [new BadYieldError('x'), 'BadYieldError', 'ERR_BAD_YIELD'],
    ];
    for (const [error, name, code] of cases) {
      expect(error).toBeInstanceOf(TronadaError);
      expect(error).toBeInstanceOf(Error);
      expect(error.name).toBe(name);
      expect(error.code).toBe(code);
      expect(String(error)).toContain(name);
      expect(error.stack).toContain('errors.test.ts');
    }
  });

  test('have default messages where Tornado has them, and keep a cause', () => {
    expect(new CancelledError().message).toBe('The operation was cancelled');
    expect(new TimeoutError().message).toBe('Timeout');
    const cause = new Error('underlying');
    expect(new TimeoutError('too slow', { cause }).cause).toBe(cause);
    expect(new CancelledError('stop', { cause }).cause).toBe(cause);
  });

  test('instanceof distinguishes the classes', () => {
    expect(new TimeoutError()).not.toBeInstanceOf(CancelledError);
    expect(new CancelledError()).not.toBeInstanceOf(TimeoutError);
    expect(new Error('plain')).not.toBeInstanceOf(TronadaError);
  });

  test('another package can derive its own coded errors from TronadaError', () => {
    class StreamClosedError extends TronadaError {
      override readonly name = 'StreamClosedError';
      readonly code = 'ERR_STREAM_CLOSED';
      constructor() {
        super('Stream is closed');
      }
    }
    const error = new StreamClosedError();
    expect(error).toBeInstanceOf(StreamClosedError);
    expect(error).toBeInstanceOf(TronadaError);
    expect(error).not.toBeInstanceOf(TimeoutError);
    expect(error.code).toBe('ERR_STREAM_CLOSED');
  });
});

describe('instanceof across two copies of the package', () => {
  test('an error from a second copy is an instance of the same-named class here, and vice versa', async () => {
    const secondCopyPath = '../src/errors.js?second-copy';
    const copy = (await import(/* @vite-ignore */ secondCopyPath)) as ErrorsModule;
    expect(copy.TimeoutError).not.toBe(TimeoutError);

    const foreign = new copy.TimeoutError('from the other copy');
    expect(foreign).toBeInstanceOf(TimeoutError);
    expect(foreign).toBeInstanceOf(TronadaError);
    expect(foreign).not.toBeInstanceOf(CancelledError);
    expect(foreign).not.toBeInstanceOf(IOLoopStateError);

    const local = new CancelledError();
    expect(local).toBeInstanceOf(copy.CancelledError);
    expect(local).toBeInstanceOf(copy.TronadaError);
    expect(local).not.toBeInstanceOf(copy.TimeoutError);
  });

  test('a simulated copy matches by class name only when it carries the Symbol.for brand', () => {
    const brand = Symbol.for('tronada.error');
    // A hand-made stand-in for another copy's class hierarchy.
    class OtherTronadaError extends Error {}
    Object.defineProperty(OtherTronadaError, 'name', { value: 'TronadaError' });
    class OtherTimeoutError extends OtherTronadaError {}
    Object.defineProperty(OtherTimeoutError, 'name', { value: 'TimeoutError' });

    const branded = new OtherTimeoutError('branded');
    Object.defineProperty(branded, brand, { value: true });
    expect(branded).toBeInstanceOf(TimeoutError);
    expect(branded).toBeInstanceOf(TronadaError);
    expect(branded).not.toBeInstanceOf(CancelledError);

    const unbranded = new OtherTimeoutError('unbranded');
    expect(unbranded).not.toBeInstanceOf(TimeoutError);
    expect(unbranded).not.toBeInstanceOf(TronadaError);
  });

  test('primitives and null are never instances', () => {
    for (const value of [null, undefined, 'TimeoutError', 42]) {
      expect(TimeoutError[Symbol.hasInstance](value)).toBe(false);
    }
  });
});
