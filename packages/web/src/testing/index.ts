/**
 * @packageDocumentation Test helpers for `@tronada/web` applications (Tornado:
 * `tornado.testing.AsyncHTTPTestCase`): a server on an unused port per test and a client for it.
 */
export type { AsyncHTTPTestCaseOptions, HTTPTestHooks } from './async-http-test-case.js';
export { AsyncHTTPTestCase, useAsyncHTTPTestCase } from './async-http-test-case.js';
export type { TestFetchOptions, TestResponse } from './test-fetch.js';
export { testFetch } from './test-fetch.js';
