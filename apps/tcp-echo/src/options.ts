/**
 * Command-line options of the sample: `--port` (or the PORT variable), `--host` for the client
 * and `--processes` for the server.
 */
import { parseArgs } from 'node:util';

/** The port used when neither `--port` nor `PORT` is given (8888 is left to the web sample). */
export const DEFAULT_PORT = 8889;

/** What the command line asked for. */
export interface EchoOptions {
  readonly port: number;
  readonly host: string;
  /** Worker processes for the server: 1 (default) serves in this process, 0 one per CPU. */
  readonly processes: number;
  /** The client's lines (the remaining arguments). */
  readonly lines: string[];
}

function integer(text: string, what: string, max: number): number {
  if (!/^\d+$/.test(text) || Number(text) > max) {
    throw new RangeError(`${what} must be a whole number from 0 to ${max}, got '${text}'`);
  }
  return Number(text);
}

/** Parses `argv` (without node and the script), falling back to `env.PORT` for the port. */
export function parseOptions(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): EchoOptions {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      processes: { type: 'string' },
    },
  });
  const portText = values.port ?? env.PORT;
  return {
    port: portText === undefined ? DEFAULT_PORT : integer(portText, 'the port', 65535),
    host: values.host ?? '127.0.0.1',
    processes: values.processes === undefined ? 1 : integer(values.processes, 'processes', 1024),
    lines: positionals,
  };
}
