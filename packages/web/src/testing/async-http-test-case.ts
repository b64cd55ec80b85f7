/**
 * AsyncHTTPTestCase for vitest (or any runner with beforeEach/afterEach): an application on an
 * unused port of 127.0.0.1 for each test, and a client aimed at it.
 */

import { HTTPServer, type HTTPServerOptions, type RequestCallback } from '@tronada/httpserver';
import type { HTTPServerConnectionDelegate } from '@tronada/httputil';
import { IOLoop } from '@tronada/ioloop';
import { type TestFetchOptions, type TestResponse, testFetch } from './test-fetch.js';

/** The per-test hooks of a test runner. */
export interface HTTPTestHooks {
  beforeEach(fn: () => unknown): void;
  afterEach(fn: () => unknown): void;
}

/** Options of {@link useAsyncHTTPTestCase}. */
export interface AsyncHTTPTestCaseOptions {
  /** Options for the HTTPServer (access logging is off unless given). */
  serverOptions?: HTTPServerOptions | (() => HTTPServerOptions);
}

/**
 * A server for one test: the application, its HTTPServer on 127.0.0.1, and a client.
 *
 * @see Tornado `tornado.testing.AsyncHTTPTestCase`
 */
export class AsyncHTTPTestCase<A extends HTTPServerConnectionDelegate | RequestCallback> {
  /** The application under test. */
  readonly app: A;
  /** The server it runs on. */
  readonly httpServer: HTTPServer;

  constructor(app: A, serverOptions: HTTPServerOptions = {}) {
    this.app = app;
    this.httpServer = new HTTPServer(app, { logRequest: null, ...serverOptions });
  }

  /** Binds an unused port of 127.0.0.1 and starts serving. */
  async setUp(): Promise<void> {
    await this.httpServer.listen(0, '127.0.0.1');
  }

  /**
   * Stops the server, closes every connection, and lets the loop run the callbacks the closes
   * scheduled, so the test's loop is left clean.
   */
  async tearDown(): Promise<void> {
    this.httpServer.stop();
    await this.httpServer.closeAllConnections();
    const loop = IOLoop.current();
    for (let turn = 0; turn < 2; turn++) {
      await new Promise<void>((resolve) => loop.addCallback(resolve));
    }
  }

  /** The port the server listens on. */
  getHttpPort(): number {
    const port = this.httpServer.port;
    if (port === null) throw new Error('The test server is not listening; call setUp() first');
    return port;
  }

  /** `http` or `https` (with `sslOptions`). */
  getProtocol(): string {
    return this.httpServer.sslOptions === null ? 'http' : 'https';
  }

  /** The absolute URL of `path` on the test server. */
  getUrl(path: string): string {
    return `${this.getProtocol()}://127.0.0.1:${this.getHttpPort()}${path}`;
  }

  /**
   * Fetches `path` from the test server. Any status is a response (Tornado's
   * `raise_error=False`); redirects are followed unless `followRedirects: false`.
   */
  fetch(path: string, options: TestFetchOptions = {}): Promise<TestResponse> {
    const url = /^https?:\/\//.test(path) ? path : this.getUrl(path);
    return testFetch(url, options);
  }
}

/**
 * Runs an {@link AsyncHTTPTestCase} around every test of the file: `getApp` builds the
 * application before each test (after the test's IOLoop is current). Returns a handle whose
 * `current` is the running test's case.
 *
 * ```ts
 * const server = useAsyncHTTPTestCase({ beforeEach, afterEach }, () => new Application([['/', Hello]]));
 * it('says hello', async () => {
 *   expect((await server.current.fetch('/')).text).toBe('Hello, world');
 * });
 * ```
 */
export function useAsyncHTTPTestCase<A extends HTTPServerConnectionDelegate | RequestCallback>(
  hooks: HTTPTestHooks,
  getApp: () => A,
  options: AsyncHTTPTestCaseOptions = {},
): { readonly current: AsyncHTTPTestCase<A> } {
  let current: AsyncHTTPTestCase<A> | null = null;
  hooks.beforeEach(async () => {
    IOLoop.current();
    const serverOptions =
      typeof options.serverOptions === 'function' ? options.serverOptions() : options.serverOptions;
    current = new AsyncHTTPTestCase(getApp(), serverOptions);
    await current.setUp();
  });
  hooks.afterEach(async () => {
    const finished = current;
    current = null;
    await finished?.tearDown();
  });
  return {
    get current(): AsyncHTTPTestCase<A> {
      if (current === null) throw new Error('No test is running');
      return current;
    },
  };
}
