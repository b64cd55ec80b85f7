/**
 * Error responses: the default error page, an overridden `writeError`, and a `writeError` that
 * fails (Tornado's ErrorResponseTest).
 */
import { appLog } from '@tronada/ioloop';
import { expectLog, useTestLoop } from '@tronada/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SendErrorOptions } from '../src/index.js';
import { Application, HTTPError, RequestHandler, url } from '../src/index.js';
import { useAsyncHTTPTestCase } from '../src/testing/index.js';

useTestLoop({ beforeEach, afterEach }, { clock: false });

/** Stands in for Python's ZeroDivisionError (dividing by zero does not throw in JavaScript). */
class ZeroDivisionError extends Error {
  override readonly name = 'ZeroDivisionError';
}

function divideByZero(): never {
  throw new ZeroDivisionError('division by zero');
}

class DefaultHandler extends RequestHandler {
  override get() {
    const status = this.getArgument('status', null);
    if (status) throw new HTTPError(Number(status));
    divideByZero();
  }
}

class WriteErrorHandler extends RequestHandler {
  override get() {
    const status = this.getArgument('status', null);
    if (status) this.sendError(Number(status));
    else divideByZero();
  }

  override writeError(statusCode: number, options: SendErrorOptions = {}): void {
    this.setHeader('Content-Type', 'text/plain');
    if (options.excInfo !== undefined) this.write(`Exception: ${(options.excInfo as Error).name}`);
    else this.write(`Status: ${statusCode}`);
  }
}

class FailedWriteErrorHandler extends RequestHandler {
  override get() {
    divideByZero();
  }

  override writeError(): void {
    throw new Error('exception in writeError');
  }
}

describe('ErrorResponseTest', () => {
  const server = useAsyncHTTPTestCase(
    { beforeEach, afterEach },
    () =>
      new Application([
        url('/default', DefaultHandler),
        url('/write_error', WriteErrorHandler),
        url('/failed_write_error', FailedWriteErrorHandler),
      ]),
  );

  it('answers with the default error page, Unknown for unknown codes (ErrorResponseTest.test_default)', async () => {
    await expectLog(appLog, /Uncaught exception/, async () => {
      const crashed = await server.current.fetch('/default');
      expect(crashed.code).toBe(500);
      expect(crashed.text).toContain('500: Internal Server Error');
    });
    const unavailable = await server.current.fetch('/default?status=503');
    expect(unavailable.code).toBe(503);
    expect(unavailable.text).toContain('503: Service Unavailable');
    const unknown = await server.current.fetch('/default?status=435');
    expect(unknown.code).toBe(435);
    expect(unknown.reason).toBe('Unknown');
    expect(unknown.text).toContain('435: Unknown');
  });

  it('lets writeError see the error, or only the status for sendError (ErrorResponseTest.test_write_error)', async () => {
    await expectLog(appLog, /Uncaught exception/, async () => {
      const crashed = await server.current.fetch('/write_error');
      expect(crashed.code).toBe(500);
      expect(crashed.text).toBe('Exception: ZeroDivisionError');
    });
    const sent = await server.current.fetch('/write_error?status=503');
    expect(sent.code).toBe(503);
    expect(sent.text).toBe('Status: 503');
  });

  it('still answers 500, with an empty body, when writeError throws (ErrorResponseTest.test_failed_write_error)', async () => {
    await expectLog(appLog, /Uncaught exception/, async () => {
      const response = await server.current.fetch('/failed_write_error');
      expect(response.code).toBe(500);
      expect(response.body).toHaveLength(0);
    });
  });
});
