/**
 * The application: a websocket echo on `/ws` and a page at `/` that uses it.
 */
import { Application, RequestHandler } from '@tronada/web';
import { type PerMessageDeflateOptions, WebSocketHandler } from '@tronada/websocket';
import { ECHO_PAGE } from './echo-page.js';

/**
 * Sends every message back with its type: text as text, binary as binary. Accepts
 * permessage-deflate with zlib's defaults; the limits (10 MiB messages) and the same-origin
 * check are the defaults of `WebSocketHandler`.
 */
export class EchoWebSocket extends WebSocketHandler {
  override getCompressionOptions(): PerMessageDeflateOptions {
    return {};
  }

  override onMessage(message: string | Buffer): unknown {
    // Returning the write makes the next message wait until this one is written, so a fast
    // sender is slowed down by the socket rather than buffered in memory.
    return this.writeMessage(message, { binary: typeof message !== 'string' });
  }
}

/** Serves the echo page. */
export class EchoPageHandler extends RequestHandler {
  override get(): void {
    this.write(ECHO_PAGE);
  }
}

/** The application with its two routes. */
export function makeApp(): Application {
  return new Application([
    ['/', EchoPageHandler],
    ['/ws', EchoWebSocket],
  ]);
}
