/**
 * Command-line options: `--port` (or the PORT variable), `--host`, and `--redis URL` to share
 * the chat with other processes through Redis pub/sub.
 */
import { type BroadcastServerOptions, parseBroadcastServerOptions } from '@tronada-apps/sample-cli';

/** The port used when neither `--port` nor `PORT` is given (8890: helloworld has 8888). */
export const DEFAULT_PORT = 8890;

/** What the command line asked for. */
export type ChatOptions = BroadcastServerOptions;

/** Parses `argv` (without node and the script), falling back to `env.PORT` for the port. */
export function parseOptions(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): ChatOptions {
  return parseBroadcastServerOptions(argv, env, DEFAULT_PORT);
}
