/**
 * Command-line options: `--port` (or the PORT variable) and `--host`.
 */
import { parseArgs } from 'node:util';

/** The port used when neither `--port` nor `PORT` is given (8890: helloworld has 8888). */
export const DEFAULT_PORT = 8890;

/** What the command line asked for. */
export interface ChatOptions {
  readonly port: number;
  readonly host: string;
}

/** Parses `argv` (without node and the script), falling back to `env.PORT` for the port. */
export function parseOptions(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): ChatOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: { port: { type: 'string' }, host: { type: 'string' } },
  });
  const portText = values.port ?? env.PORT;
  if (portText !== undefined && (!/^\d+$/.test(portText) || Number(portText) > 65535)) {
    throw new RangeError(`the port must be a whole number from 0 to 65535, got '${portText}'`);
  }
  return {
    port: portText === undefined ? DEFAULT_PORT : Number(portText),
    host: values.host ?? '127.0.0.1',
  };
}
