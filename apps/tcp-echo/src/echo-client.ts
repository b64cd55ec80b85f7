/**
 * The echo client: connects with TCPClient, sends lines one by one and collects the replies.
 */
import { coroutine } from '@tronada/gen';
import type { TCPClient } from '@tronada/iostream';

/**
 * Sends each of `lines` (without its newline) to the echo server at `host:port` and resolves
 * with the replies, newline removed. Fails with `TimeoutError` if connecting takes more than
 * `timeout` seconds, and with `StreamClosedError` if the server hangs up.
 */
export const echoLines = coroutine(function* echoLines(
  client: TCPClient,
  host: string,
  port: number,
  lines: readonly string[],
  timeout: number = 5,
) {
  const stream = yield* client.connect(host, port, { timeout });
  try {
    const replies: string[] = [];
    for (const line of lines) {
      yield* stream.write(`${line}\n`);
      const reply = yield* stream.readUntil('\n');
      replies.push(reply.toString('utf8', 0, reply.length - 1));
    }
    return replies;
  } finally {
    stream.close();
  }
});
