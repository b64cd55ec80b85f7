/**
 * Connecting to a test server's websocket routes (Tornado's `WebSocketBaseTestCase.ws_connect`).
 */
import type { Future } from '@tronada/ioloop';
import {
  type WebSocketClientConnection,
  type WebSocketConnectOptions,
  websocketConnect,
} from '../websocket-client.js';

/** What the helpers need of a test server: `AsyncHTTPTestCase` from `@tronada/web/testing` fits. */
export interface TestServer {
  getHttpPort(): number;
  getProtocol(): string;
}

/**
 * The `ws://` (or `wss://`) URL of `path` on the test server.
 */
export function websocketTestUrl(server: TestServer, path: string): string {
  const scheme = server.getProtocol() === 'https' ? 'wss' : 'ws';
  return `${scheme}://127.0.0.1:${server.getHttpPort()}${path}`;
}

/**
 * Opens a websocket to `path` on the test server.
 *
 * ```ts
 * const server = useAsyncHTTPTestCase({ beforeEach, afterEach }, () => new Application([['/echo', Echo]]));
 * const ws = await websocketTestConnect(server.current, '/echo');
 * ```
 *
 * @see Tornado `WebSocketBaseTestCase.ws_connect`
 */
export function websocketTestConnect(
  server: TestServer,
  path: string,
  options: WebSocketConnectOptions = {},
): Future<WebSocketClientConnection> {
  return websocketConnect(websocketTestUrl(server, path), options);
}
