/**
 * Handlers written as generator coroutines and async methods, served end to end (Tornado's
 * gen_test.py GenWebTest): output written across yields, a `prepare` that waits, an error
 * raised by a `prepare` after it waited, and an async method.
 */
import { moment, sleep } from '@tronada/gen';
import { useTestLoop } from '@tronada/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Application, HTTPError, RequestHandler } from '../src/index.js';
import { useAsyncHTTPTestCase } from '../src/testing/index.js';

useTestLoop({ beforeEach, afterEach }, { clock: false });

class CoroutineSequenceHandler extends RequestHandler {
  /** Writes "1" and "2", letting the loop run before, between and after. */
  *writeOneTwo() {
    yield moment;
    this.write('1');
    yield moment;
    this.write('2');
    yield moment;
  }

  override *get() {
    yield* this.writeOneTwo();
    this.finish('3');
  }
}

class CoroutineUnfinishedSequenceHandler extends CoroutineSequenceHandler {
  override *get() {
    yield* this.writeOneTwo();
    // Only written: the handler finishes the response once the coroutine returns.
    this.write('3');
  }
}

class CoroutinePrepareHandler extends RequestHandler {
  chunks: string[] = [];

  override *prepare() {
    this.chunks = [];
    yield moment;
    this.chunks.push('1');
  }

  override *get() {
    this.chunks.push('2');
    yield moment;
    this.chunks.push('3');
    yield moment;
    this.write(this.chunks.join(''));
  }
}

class AsyncPrepareErrorHandler extends RequestHandler {
  override *prepare() {
    yield moment;
    throw new HTTPError(403);
  }

  override get() {
    this.finish('ok');
  }
}

class AsyncMethodHandler extends RequestHandler {
  override async get() {
    await sleep(0);
    this.write('ok');
  }
}

describe('GenWebTest', () => {
  const server = useAsyncHTTPTestCase(
    { beforeEach, afterEach },
    () =>
      new Application([
        ['/coroutine_sequence', CoroutineSequenceHandler],
        ['/coroutine_unfinished_sequence', CoroutineUnfinishedSequenceHandler],
        ['/undecorated_coroutine', CoroutinePrepareHandler],
        ['/async_prepare_error', AsyncPrepareErrorHandler],
        ['/native_coroutine', AsyncMethodHandler],
      ]),
  );

  it('sends what a generator handler wrote across its yields, then what it finished with (test_coroutine_sequence_handler)', async () => {
    const got = await server.current.fetch('/coroutine_sequence');
    expect(got.code).toBe(200);
    expect(got.body.toString()).toBe('123');
  });

  it('finishes the response of a generator handler that only wrote (test_coroutine_unfinished_sequence_handler)', async () => {
    const got = await server.current.fetch('/coroutine_unfinished_sequence');
    expect(got.code).toBe(200);
    expect(got.body.toString()).toBe('123');
  });

  it('runs the method only after a generator prepare() finished waiting (test_undecorated_coroutines)', async () => {
    const got = await server.current.fetch('/undecorated_coroutine');
    expect(got.code).toBe(200);
    expect(got.body.toString()).toBe('123');
  });

  it('answers with the HTTPError a generator prepare() raised after waiting, without running the method (test_async_prepare_error_handler)', async () => {
    const got = await server.current.fetch('/async_prepare_error');
    expect(got.code).toBe(403);
    expect(got.body.toString()).not.toContain('ok');
  });

  it('serves an async method that awaited (test_native_coroutine_handler)', async () => {
    const got = await server.current.fetch('/native_coroutine');
    expect(got.code).toBe(200);
    expect(got.body.toString()).toBe('ok');
  });
});
