/**
 * ConnectionPool: idle keep-alive connections, kept per key (scheme, host, port, TLS options,
 * proxy, local address) for reuse by the next request to the same place.
 *
 * Expiry. Each idle connection waits in the loop's {@link DeadlineQueue} (one loop timeout for
 * every deadline of the loop) until `idleTimeout` after it was put; taking it out again is a heap
 * removal, so a busy pool costs no loop timer per request.
 */
import type { HTTP1Connection } from '@tronada/httputil';
import { DeadlineQueue, type DeadlineWatcher, type IOLoop } from '@tronada/ioloop';

/** An idle connection of a pool, with its place in the deadline queue. */
interface Idle extends DeadlineWatcher {
  readonly key: string;
  readonly connection: HTTP1Connection;
}

/** Options of {@link ConnectionPool}. */
export interface ConnectionPoolOptions {
  /** Seconds an idle connection is kept; `null` keeps it until the client closes. */
  idleTimeout: number | null;
  /** Most idle connections kept per key; the oldest is closed beyond it. */
  maxIdlePerKey: number;
}

/**
 * Idle connections by key. Guarantees: a connection is handed out at most once; one that closed
 * (or holds unread bytes) while idle is never handed out; idle ones close `idleTimeout` seconds
 * after they were put (on the loop's clock) and when the pool closes. Last in, first out: the
 * most recently used connection is the one least likely to have been closed by the server.
 */
export class ConnectionPool {
  readonly #loop: IOLoop;
  readonly #queue: DeadlineQueue;
  readonly #options: ConnectionPoolOptions;
  readonly #idle = new Map<string, Idle[]>();

  /** One idle connection, waiting in the deadline queue for its expiry. */
  static readonly #Idle = class implements Idle {
    deadlineIndex = -1;
    readonly pool: ConnectionPool;
    readonly key: string;
    readonly connection: HTTP1Connection;

    constructor(pool: ConnectionPool, key: string, connection: HTTP1Connection) {
      this.pool = pool;
      this.key = key;
      this.connection = connection;
    }

    deadlineReached(): void {
      this.pool.#expire(this);
    }
  };

  constructor(loop: IOLoop, options: ConnectionPoolOptions) {
    this.#loop = loop;
    this.#queue = DeadlineQueue.of(loop);
    this.#options = options;
  }

  /** How many idle connections are held (all keys). */
  get size(): number {
    let n = 0;
    for (const list of this.#idle.values()) n += list.length;
    return n;
  }

  /** An idle, still open connection for `key`, or null. */
  take(key: string): HTTP1Connection | null {
    const list = this.#idle.get(key);
    if (list === undefined) return null;
    let found: HTTP1Connection | null = null;
    while (found === null && list.length > 0) {
      const idle = list.pop()!;
      this.#queue.delete(idle);
      const { connection } = idle;
      // Bytes nobody asked for mean the connection is out of step: never reuse it.
      if (!connection.stream.closed() && connection.stream.readBufferSize === 0) found = connection;
      else connection.close();
    }
    if (list.length === 0) this.#idle.delete(key);
    return found;
  }

  /** Keeps `connection` for reuse under `key` (or closes it when the pool is full). */
  put(key: string, connection: HTTP1Connection): void {
    if (connection.stream.closed()) return;
    let list = this.#idle.get(key);
    if (list === undefined) {
      list = [];
      this.#idle.set(key, list);
    }
    const idle = new ConnectionPool.#Idle(this, key, connection);
    list.push(idle);
    const timeout = this.#options.idleTimeout;
    if (timeout !== null) this.#queue.set(idle, this.#loop.time() + timeout);
    while (list.length > this.#options.maxIdlePerKey) {
      const oldest = list.shift()!;
      this.#queue.delete(oldest);
      oldest.connection.close();
    }
  }

  /** Closes every idle connection. */
  close(): void {
    for (const list of this.#idle.values()) {
      for (const idle of list) {
        this.#queue.delete(idle);
        idle.connection.close();
      }
    }
    this.#idle.clear();
  }

  #expire(idle: Idle): void {
    const list = this.#idle.get(idle.key);
    const at = list === undefined ? -1 : list.indexOf(idle);
    if (at === -1) return;
    list!.splice(at, 1);
    if (list!.length === 0) this.#idle.delete(idle.key);
    idle.connection.close();
  }
}
