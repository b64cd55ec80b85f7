/**
 * startRedisServer: Debian's `redis-server` on a free loopback port, for tests of the Redis
 * broadcaster.
 */
import { existsSync } from 'node:fs';
import { type StartedProcess, startProcess } from './child-process.js';
import { freePort } from './free-port.js';

/** Where Debian's `redis-server` package puts the server. */
export const REDIS_SERVER = '/usr/bin/redis-server';

/** Whether `redis-server` is installed (`apt-get install redis-server`). */
export function hasRedisServer(): boolean {
  return existsSync(REDIS_SERVER);
}

/** A running Redis server. */
export interface RedisServer {
  /** Its URL, `redis://127.0.0.1:<port>`. */
  readonly url: string;
  /** The process; `stop()` ends it by its PID. */
  readonly process: StartedProcess;
}

/**
 * Starts a Redis server on 127.0.0.1 and a free port, keeping nothing on disk (no snapshots,
 * no append-only file), and resolves once it accepts connections.
 */
export async function startRedisServer(): Promise<RedisServer> {
  const port = await freePort();
  const started = await startProcess(
    REDIS_SERVER,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { ready: /Ready to accept connections/ },
  );
  return { url: `redis://127.0.0.1:${port}`, process: started };
}
