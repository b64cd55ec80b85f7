/**
 * What `finish()`, `render()` and `flush()` return and how empty flushes behave (Tornado's
 * FinalReturnTest and NonWSGIWebTests).
 */
import { Future } from '@tronada/ioloop';
import type { BaseLoader } from '@tronada/template';
import { DictLoader } from '@tronada/template';
import { useTestLoop } from '@tronada/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Application, RequestHandler } from '../src/index.js';
import { useAsyncHTTPTestCase } from '../src/testing/index.js';

useTestLoop({ beforeEach, afterEach }, { clock: false });

describe('FinalReturnTest', () => {
  const seen: { finalReturn: unknown } = { finalReturn: undefined };

  class FinishHandler extends RequestHandler {
    override *get() {
      const finished = this.finish();
      seen.finalReturn = finished;
      yield finished;
    }

    override *post() {
      this.write('hello,');
      yield this.flush();
      const finished = this.finish('world');
      seen.finalReturn = finished;
      yield finished;
    }
  }

  class RenderHandler extends RequestHandler {
    override createTemplateLoader(_path: string): BaseLoader {
      return new DictLoader({ 'foo.html': 'hi' });
    }

    override get() {
      seen.finalReturn = this.render('foo.html');
    }
  }

  const server = useAsyncHTTPTestCase({ beforeEach, afterEach }, () => {
    seen.finalReturn = undefined;
    return new Application(
      [
        ['/finish', FinishHandler],
        ['/render', RenderHandler],
      ],
      { templatePath: 'FinalReturnTest' },
    );
  });

  it('returns a Future from finish() that is done once the response is sent (FinalReturnTest.test_finish_method_return_future)', async () => {
    const got = await server.current.fetch('/finish');
    expect(got.code).toBe(200);
    expect(seen.finalReturn).toBeInstanceOf(Future);
    expect((seen.finalReturn as Future<void>).done()).toBe(true);

    seen.finalReturn = undefined;
    const posted = await server.current.fetch('/finish', { method: 'POST', body: '' });
    expect(posted.code).toBe(200);
    expect(posted.text).toBe('hello,world');
    expect(seen.finalReturn).toBeInstanceOf(Future);
    expect((seen.finalReturn as Future<void>).done()).toBe(true);
  });

  it('returns a Future from render() (FinalReturnTest.test_render_method_return_future)', async () => {
    const response = await server.current.fetch('/render');
    expect(response.code).toBe(200);
    expect(response.text).toBe('hi');
    expect(seen.finalReturn).toBeInstanceOf(Future);
  });
});

describe('NonWSGIWebTests', () => {
  class EmptyFlushCallbackHandler extends RequestHandler {
    override *get() {
      // The flush Future resolves whether or not there was output to send.
      yield this.flush(); // sends the headers only
      yield this.flush(); // nothing at all
      this.write('o');
      yield this.flush(); // the "o"
      yield this.flush(); // nothing again
      void this.finish('k');
    }
  }

  const server = useAsyncHTTPTestCase(
    { beforeEach, afterEach },
    () => new Application([['/empty_flush', EmptyFlushCallbackHandler]]),
  );

  it('resolves empty flushes and keeps the chunked body intact (NonWSGIWebTests.test_empty_flush)', async () => {
    const response = await server.current.fetch('/empty_flush');
    expect(response.code).toBe(200);
    expect(response.text).toBe('ok');
  });
});
