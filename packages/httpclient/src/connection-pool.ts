/**
 * ConnectionPool: idle keep-alive connections, kept per key (scheme, host, port, TLS options,
 * proxy, local address) for reuse by the next request to the same place.
 */
import type { HTTP1Connection } from '@tronada/httputil';
import type { IOLoop, TimeoutHandle } from '@tronada/ioloop';

interface Idle {
  readonly connection: HTTP1Connection;
  readonly timer: TimeoutHandle | null;
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
 * (or holds unread bytes) while idle is never handed out; idle ones close after `idleTimeout`
 * and when the pool closes. Last in, first out: the most recently used connection is the one
 * least likely to have been closed by the server.
 */
export class ConnectionPool {
  readonly #loop: IOLoop;
  readonly #options: ConnectionPoolOptions;
  readonly #idle = new Map<string, Idle[]>();

  constructor(loop: IOLoop, options: ConnectionPoolOptions) {
    this.#loop = loop;
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
    while (list !== undefined && list.length > 0) {
      const idle = list.pop()!;
      this.#loop.removeTimeout(idle.timer);
      if (list.length === 0) this.#idle.delete(key);
      const { connection } = idle;
      // Bytes nobody asked for mean the connection is out of step: never reuse it.
      if (!connection.stream.closed() && connection.stream.readBufferSize === 0) return connection;
      connection.close();
    }
    return null;
  }

  /** Keeps `connection` for reuse under `key` (or closes it when the pool is full). */
  put(key: string, connection: HTTP1Connection): void {
    if (connection.stream.closed()) return;
    let list = this.#idle.get(key);
    if (list === undefined) {
      list = [];
      this.#idle.set(key, list);
    }
    const timeout = this.#options.idleTimeout;
    const timer =
      timeout === null ? null : this.#loop.callLater(timeout, () => this.#expire(key, connection));
    list.push({ connection, timer });
    while (list.length > this.#options.maxIdlePerKey) {
      const oldest = list.shift()!;
      this.#loop.removeTimeout(oldest.timer);
      oldest.connection.close();
    }
  }

  /** Closes every idle connection. */
  close(): void {
    for (const list of this.#idle.values()) {
      for (const idle of list) {
        this.#loop.removeTimeout(idle.timer);
        idle.connection.close();
      }
    }
    this.#idle.clear();
  }

  #expire(key: string, connection: HTTP1Connection): void {
    const list = this.#idle.get(key);
    if (list === undefined) return;
    const at = list.findIndex((idle) => idle.connection === connection);
    if (at === -1) return;
    list.splice(at, 1);
    if (list.length === 0) this.#idle.delete(key);
    connection.close();
  }
}
