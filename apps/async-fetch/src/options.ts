/**
 * Command-line options: `--port` (or the PORT variable) and `--host`.
 */
import { parseServerOptions, type ServerOptions } from '@tronada-apps/sample-cli';

/** The port used when neither `--port` nor `PORT` is given (8894: the other samples use 8888–8893). */
export const DEFAULT_PORT = 8894;

/** What the command line asked for. */
export type AsyncFetchOptions = ServerOptions;

/** Parses `argv` (without node and the script), falling back to `env.PORT` for the port. */
export function parseOptions(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): AsyncFetchOptions {
  return parseServerOptions(argv, env, DEFAULT_PORT);
}
