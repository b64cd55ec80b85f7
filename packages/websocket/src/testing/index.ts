/**
 * @packageDocumentation Test helpers for `@tronada/websocket`: connect to a websocket route of
 * the application an `AsyncHTTPTestCase` serves.
 */
export type { TestServer } from './websocket-test-connect.js';
export { websocketTestConnect, websocketTestUrl } from './websocket-test-connect.js';
