/**
 * bindUnixSocket: a listening Unix domain socket for TCPServer.addSocket.
 */
import { chmod, lstat, unlink } from 'node:fs/promises';
import type { Server } from 'node:net';
import { createServer } from 'node:net';
import type { Future } from '@tronada/ioloop';
import { toFuture } from '@tronada/ioloop';
import { DEFAULT_BACKLOG, queueConnections } from './netutil.js';
import { UnixSocketPathError } from './network-errors.js';

/** Options of {@link bindUnixSocket}. */
export interface BindUnixSocketOptions {
  /** File permissions of the socket (default 0o600: the owner only). */
  mode?: number;
  /** How many connections may wait to be accepted (default 128). */
  backlog?: number;
}

async function removeStaleSocket(file: string): Promise<void> {
  let stats: Awaited<ReturnType<typeof lstat>>;
  try {
    stats = await lstat(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  if (!stats.isSocket()) throw new UnixSocketPathError(file);
  await unlink(file);
}

async function bind(file: string, options: BindUnixSocketOptions): Promise<Server> {
  await removeStaleSocket(file);
  const backlog = options.backlog ?? DEFAULT_BACKLOG;
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ path: file, backlog }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  try {
    await chmod(file, options.mode ?? 0o600);
  } catch (error) {
    server.close();
    throw error;
  }
  queueConnections(server, backlog, file);
  return server;
}

/**
 * Creates a server listening on the Unix domain socket `file`, for `TCPServer.addSocket`. A
 * socket file left over at that path is replaced; any other file there is an error
 * ({@link UnixSocketPathError}). Connections over it have no peer address: servers see the
 * address `''` with family `unix` (HTTP servers report `0.0.0.0` as the client's IP).
 *
 * @see Tornado `tornado.netutil.bind_unix_socket`
 */
export function bindUnixSocket(file: string, options: BindUnixSocketOptions = {}): Future<Server> {
  return toFuture(bind(file, options));
}
