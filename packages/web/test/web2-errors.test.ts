import { sleep } from '@tronada/gen';
import { HTTP1Connection } from '@tronada/httputil';
import { appLog, genLog, IOLoop } from '@tronada/ioloop';
import { expectLog, useTestLoop } from '@tronada/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  Application,
  asynchronous,
  Finish,
  HTTPError,
  MissingArgumentError,
  RequestHandler,
  type SendErrorOptions,
} from '../src/index.js';
import { useAsyncHTTPTestCase } from '../src/testing/index.js';

useTestLoop({ beforeEach, afterEach }, { clock: false });
const hooks = { beforeEach, afterEach };

function serve(handler: typeof RequestHandler) {
  return useAsyncHTTPTestCase(hooks, () => new Application([['/', handler]]));
}

describe('RaiseWithReasonTest', () => {
  class Handler extends RequestHandler {
    override get(): void {
      throw new HTTPError(682, null, { reason: 'Foo' });
    }
  }
  const server = serve(Handler);

  it('sends the reason of a thrown HTTPError in the status line and page (RaiseWithReasonTest.test_raise_with_reason)', async () => {
    const response = await server.current.fetch('/');
    expect(response.code).toBe(682);
    expect(response.reason).toBe('Foo');
    expect(response.text).toContain('682: Foo');
  });

  it('describes an HTTPError by status and reason (RaiseWithReasonTest.test_httperror_str)', () => {
    const error = new HTTPError(682, null, { reason: 'Foo' });
    expect(error.message).toBe('HTTP 682: Foo');
    expect(String(error)).toBe('HTTP 682: Foo');
    expect(String(new HTTPError(404, 'no user %s', { args: ['ada'] }))).toBe(
      'HTTP 404: Not Found (no user ada)',
    );
  });

  it('describes an unknown status without a reason as Unknown (RaiseWithReasonTest.test_httperror_str_from_httputil)', () => {
    expect(String(new HTTPError(682))).toBe('HTTP 682: Unknown');
  });
});

describe('HTTPErrorTest', () => {
  it('copies an HTTPError with its status and reason (HTTPErrorTest.test_copy)', () => {
    const original = new HTTPError(403, null, { reason: 'Go away' });
    const copy = Object.assign(
      Object.create(Object.getPrototypeOf(original) as object) as HTTPError,
      original,
    );
    expect(copy).not.toBe(original);
    expect(copy).toBeInstanceOf(HTTPError);
    expect(copy.statusCode).toBe(original.statusCode);
    expect(copy.reason).toBe('Go away');
  });
});

class PermissionDenied extends Error {}

describe('ExceptionHandlerTest', () => {
  class Handler extends RequestHandler {
    override get(): void {
      const exc = this.getArgument('exc');
      if (exc === 'http') throw new HTTPError(410, 'no longer here');
      if (exc === 'type') (null as unknown as { x(): void }).x();
      if (exc === 'permission') throw new PermissionDenied('not allowed');
    }
    override writeError(statusCode: number, options: SendErrorOptions = {}): void {
      if (options.excInfo instanceof PermissionDenied) {
        this.setStatus(403);
        this.write('PermissionError');
        return;
      }
      super.writeError(statusCode, options);
    }
    override logException(error: unknown): void {
      if (error instanceof PermissionDenied) {
        appLog.warn(`custom logging for PermissionError: ${error.message}`);
      } else {
        super.logException(error);
      }
    }
  }
  const server = serve(Handler);

  it('logs an HTTPError as a warning with its message and answers its status (ExceptionHandlerTest.test_http_error)', async () => {
    const response = await expectLog(genLog, /410 GET \/\?exc=http .*no longer here/, () =>
      server.current.fetch('/?exc=http'),
    );
    expect(response.code).toBe(410);
  });

  it('logs an unknown error with its stack and answers 500 (ExceptionHandlerTest.test_unknown_error)', async () => {
    const response = await expectLog(
      appLog,
      /Uncaught exception GET \/\?exc=type .*TypeError/s,
      () => server.current.fetch('/?exc=type'),
    );
    expect(response.code).toBe(500);
  });

  it('lets logException and writeError be overridden per error (ExceptionHandlerTest.test_known_error)', async () => {
    const response = await expectLog(
      appLog,
      /custom logging for PermissionError: not allowed/,
      () => server.current.fetch('/?exc=permission'),
    );
    expect(response.code).toBe(403);
    expect(response.text).toBe('PermissionError');
  });
});

describe('BuggyLoggingTest', () => {
  class Handler extends RequestHandler {
    override get(): void {
      throw new RangeError('first failure');
    }
    override logException(): void {
      throw new RangeError('logger failure');
    }
  }
  const server = serve(Handler);

  it('still logs something and answers 500 when logException throws (BuggyLoggingTest.test_buggy_log_exception)', async () => {
    const response = await expectLog(appLog, /logger failure/, () => server.current.fetch('/'));
    expect(response.code).toBe(500);
  });
});

describe('GetArgumentErrorTest', () => {
  class Handler extends RequestHandler {
    override get(): void {
      try {
        this.getArgument('foo');
        this.write({});
      } catch (error) {
        if (!(error instanceof MissingArgumentError)) throw error;
        this.write({
          argName: error.argName,
          logMessage: error.logMessage,
          status: error.statusCode,
        });
      }
    }
  }
  const server = serve(Handler);

  it('throws a catchable MissingArgumentError naming the argument (GetArgumentErrorTest.test_catch_error)', async () => {
    const response = await server.current.fetch('/');
    expect(response.json()).toEqual({
      argName: 'foo',
      logMessage: 'Missing argument foo',
      status: 400,
    });
  });
});

describe('FinishExceptionTest', () => {
  class Handler extends RequestHandler {
    override get(): void {
      this.setStatus(401);
      this.setHeader('WWW-Authenticate', 'Basic realm="something"');
      if (this.getArgument('finish_value', '')) throw new Finish('authentication required');
      this.write('authentication required');
      throw new Finish();
    }
  }
  const server = serve(Handler);

  it('ends the request with the response so far, plus the Finish chunk (FinishExceptionTest.test_finish_exception)', async () => {
    for (const path of ['/', '/?finish_value=1']) {
      const response = await server.current.fetch(path);
      expect(response.code).toBe(401);
      expect(response.headers.get('WWW-Authenticate')).toBe('Basic realm="something"');
      expect(response.text).toBe('authentication required');
    }
  });
});

describe('IncorrectContentLengthTest', () => {
  const errors: unknown[] = [];
  class TooHigh extends RequestHandler {
    override get(): void {
      this.setHeader('Content-Length', '42');
      try {
        void this.finish('ok');
      } catch (error) {
        errors.push(error);
        throw error;
      }
    }
  }
  class TooLow extends RequestHandler {
    override get(): void {
      this.setHeader('Content-Length', '2');
      try {
        void this.finish('hello');
      } catch (error) {
        errors.push(error);
        throw error;
      }
    }
  }
  const server = useAsyncHTTPTestCase(
    hooks,
    () =>
      new Application([
        ['/high', TooHigh],
        ['/low', TooLow],
      ]),
  );
  beforeEach(() => {
    errors.length = 0;
  });

  async function fetchBroken(path: string): Promise<void> {
    await expectLog(appLog, /Uncaught exception/, () =>
      expectLog(
        genLog,
        /Cannot send error response after headers written|Failed to flush partial response/,
        () => expect(server.current.fetch(path)).rejects.toThrow(),
      ),
    );
  }

  it('closes the connection when the body is shorter than Content-Length (IncorrectContentLengthTest.test_content_length_too_high)', async () => {
    await fetchBroken('/high');
    expect(errors).toHaveLength(1);
    expect((errors[0] as Error).message).toBe('Tried to write 40 bytes less than Content-Length');
  });

  it('closes the connection when the body is longer than Content-Length (IncorrectContentLengthTest.test_content_length_too_low)', async () => {
    await fetchBroken('/low');
    expect(errors).toHaveLength(1);
    expect((errors[0] as Error).message).toBe('Tried to write more data than Content-Length');
  });
});

describe('ClientCloseTest', () => {
  class Handler extends RequestHandler {
    override get(): void {
      const connection = this.request.connection;
      if (!(connection instanceof HTTP1Connection))
        throw new Error('expected an HTTP/1 connection');
      // The client goes away while the request is handled: writing must not log errors.
      connection.stream.close();
      this.write('hello');
    }
  }
  const server = serve(Handler);

  it('finishes quietly when the connection closed during the request (ClientCloseTest.test_client_close)', async () => {
    await expect(server.current.fetch('/')).rejects.toThrow();
  });
});

describe('getJsonBody (beyond Tornado)', () => {
  class Handler extends RequestHandler {
    override post(): void {
      this.write({ got: this.getJsonBody<{ a: number }>() });
    }
  }
  const server = serve(Handler);

  it('parses an application/json body', async () => {
    const response = await server.current.fetch('/', {
      method: 'POST',
      body: '{"a": [1, "x"]}',
      headers: { 'Content-Type': 'application/json; charset=utf-8' },
    });
    expect(response.code).toBe(200);
    expect(response.json()).toEqual({ got: { a: [1, 'x'] } });
  });

  it('answers malformed JSON with a 400 saying so', async () => {
    const response = await expectLog(genLog, /400 POST .*Malformed JSON body/, () =>
      server.current.fetch('/', {
        method: 'POST',
        body: '{"a":',
        headers: { 'Content-Type': 'application/json' },
      }),
    );
    expect(response.code).toBe(400);
    expect(response.reason).toBe('Malformed JSON');
    expect(response.text).toContain('400: Malformed JSON');
  });

  it('answers a body of another content type with a 400 saying which type was expected', async () => {
    const response = await expectLog(
      genLog,
      /400 POST .*Expected a JSON body.*got application\/x-www-form-urlencoded/,
      () =>
        server.current.fetch('/', {
          method: 'POST',
          body: 'a=1',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        }),
    );
    expect(response.code).toBe(400);
    expect(response.reason).toBe('Expected application/json');
  });
});

describe('asynchronous (legacy wrapper, beyond Tornado 6)', () => {
  class LaterHandler extends RequestHandler {
    override get = asynchronous(function (this: RequestHandler) {
      this.write('started ');
      IOLoop.current().addCallback(() => {
        this.write('and finished later');
        void this.finish();
      });
    });
  }
  class FailLaterHandler extends RequestHandler {
    override get = asynchronous(function (this: RequestHandler) {
      IOLoop.current().addCallback(() => {
        IOLoop.current().addCallback(() => {
          throw new RangeError('failed in a later callback');
        });
      });
    });
  }
  class AsyncMethodHandler extends RequestHandler {
    override get = asynchronous(async function (this: RequestHandler) {
      await sleep(0.001);
      if (this.getArgument('fail', null) !== null) throw new RangeError('failed after an await');
      this.write('async done');
    });
  }
  class GeneratorMethodHandler extends RequestHandler {
    override get = asynchronous(function* (this: RequestHandler) {
      yield sleep(0.001);
      this.write('generator done');
    });
  }
  const server = useAsyncHTTPTestCase(
    hooks,
    () =>
      new Application([
        ['/later', LaterHandler],
        ['/fail', FailLaterHandler],
        ['/async', AsyncMethodHandler],
        ['/generator', GeneratorMethodHandler],
      ]),
  );

  it('does not finish when the method returns; a later loop callback finishes', async () => {
    const response = await server.current.fetch('/later');
    expect(response.code).toBe(200);
    expect(response.text).toBe('started and finished later');
  });

  it('finishes a wrapped async or generator method when it completes', async () => {
    expect((await server.current.fetch('/async')).text).toBe('async done');
    expect((await server.current.fetch('/generator')).text).toBe('generator done');
  });

  it('turns an error of a wrapped async method into a 500', async () => {
    const response = await expectLog(
      appLog,
      /Uncaught exception GET \/async.*failed after an await/s,
      () => server.current.fetch('/async?fail=1'),
    );
    expect(response.code).toBe(500);
  });

  it('turns an error thrown in a later addCallback callback into a 500', async () => {
    const response = await expectLog(
      appLog,
      /Uncaught exception GET \/fail.*failed in a later callback/s,
      () => server.current.fetch('/fail'),
    );
    expect(response.code).toBe(500);
  });
});
