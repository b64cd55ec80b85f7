/**
 * Command-line options every sample server takes: `--port` (or the `PORT` variable) and
 * `--host`; the chats also take `--redis`.
 */
import { parseArgs } from 'node:util';

/** Where a sample server listens. */
export interface ServerOptions {
  readonly port: number;
  readonly host: string;
}

/** Reads a port number (0 to 65535); anything else is a RangeError saying what was given. */
export function parsePort(text: string): number {
  if (!/^\d+$/.test(text) || Number(text) > 65535) {
    throw new RangeError(`the port must be a whole number from 0 to 65535, got '${text}'`);
  }
  return Number(text);
}

/**
 * Parses `argv` (without node and the script): `--port` (else `env.PORT`, else `defaultPort`)
 * and `--host` (default 127.0.0.1). Unknown options are an error.
 */
export function parseServerOptions(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  defaultPort: number,
): ServerOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: { port: { type: 'string' }, host: { type: 'string' } },
  });
  return serverOptions(values, env, defaultPort);
}

/** Where a chat server listens, and the Redis it broadcasts through (`null`: in-process). */
export interface BroadcastServerOptions extends ServerOptions {
  readonly redis: string | null;
}

/**
 * {@link parseServerOptions} plus `--redis URL` (a `redis:` or `rediss:` URL; anything else is
 * a RangeError), for the chats that several processes can serve together.
 */
export function parseBroadcastServerOptions(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  defaultPort: number,
): BroadcastServerOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: { port: { type: 'string' }, host: { type: 'string' }, redis: { type: 'string' } },
  });
  const redis = values.redis ?? null;
  if (redis !== null && !/^rediss?:\/\/./.test(redis)) {
    throw new RangeError(`--redis takes a URL such as redis://127.0.0.1:6379, got '${redis}'`);
  }
  return { ...serverOptions(values, env, defaultPort), redis };
}

function serverOptions(
  values: { port?: string | undefined; host?: string | undefined },
  env: Readonly<Record<string, string | undefined>>,
  defaultPort: number,
): ServerOptions {
  const portText = values.port ?? env.PORT;
  return {
    port: portText === undefined ? defaultPort : parsePort(portText),
    host: values.host ?? '127.0.0.1',
  };
}
