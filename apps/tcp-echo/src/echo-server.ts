/**
 * The echo server: every line a client sends comes back to it, until it hangs up.
 */
import type { ConnectionAddress, IOStream } from '@tronada/iostream';
import { TCPServer } from '@tronada/iostream';

/** The longest line the server accepts (bytes); a longer one closes the connection. */
export const MAX_LINE_BYTES = 64 * 1024;

/**
 * A TCPServer whose `handleStream` is a generator method: Tronada runs it as a coroutine, and
 * `yield*` on a stream's Future gives its typed result (`Buffer` for reads).
 *
 * The loop ends when the client hangs up: the pending read fails with `StreamClosedError`,
 * which TCPServer treats as the normal end of a connection. A line longer than
 * {@link MAX_LINE_BYTES} fails the read (`maxBytes`), and the connection is closed.
 */
export class EchoServer extends TCPServer {
  /** How many connections were handled so far. */
  connections = 0;

  override *handleStream(stream: IOStream, _address: ConnectionAddress) {
    this.connections++;
    for (;;) {
      const line = yield* stream.readUntil('\n', { maxBytes: MAX_LINE_BYTES });
      yield* stream.write(line);
    }
  }
}
