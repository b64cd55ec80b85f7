/**
 * ConnectionPool: idle keep-alive connections, kept per key (scheme, host, port, TLS options,
 * proxy, local address) for reuse by the next request to the same place.
 *
 * Expiry. Each idle connection records when it expires (loop time of `put` plus
 * `idleTimeout`). One loop timer serves the whole pool: it is armed at the earliest expiry,
 * closes every connection due when it fires, and is armed again for the next one (a sweep
 * visits every idle connection, once per expiry at most). Taking a connection touches no timer,
 * so a busy pool costs no timer work per request; the timer may fire for a connection already
 * taken, and then only re-arms.
 */
import type { HTTP1Connection } from '@tronada/httputil';
import type { IOLoop, TimeoutHandle } from '@tronada/ioloop';

interface Idle {
  readonly connection: HTTP1Connection;
  /** Loop time at which it is closed (Infinity without an idle timeout). */
  readonly expires: number;
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
  readonly #options: ConnectionPoolOptions;
  readonly #idle = new Map<string, Idle[]>();
  #timer: TimeoutHandle | null = null;
  #timerDeadline = Number.POSITIVE_INFINITY;

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
    if (list === undefined) return null;
    while (list.length > 0) {
      const { connection } = list.pop()!;
      // Bytes nobody asked for mean the connection is out of step: never reuse it.
      if (!connection.stream.closed() && connection.stream.readBufferSize === 0) return connection;
      connection.close();
    }
    // An empty list stays for the next `put` to this key while a sweep is due to prune it.
    if (this.#timer === null) this.#idle.delete(key);
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
    const expires = timeout === null ? Number.POSITIVE_INFINITY : this.#loop.time() + timeout;
    list.push({ connection, expires });
    while (list.length > this.#options.maxIdlePerKey) list.shift()!.connection.close();
    if (expires < this.#timerDeadline) this.#arm(expires);
  }

  /** Closes every idle connection. */
  close(): void {
    this.#loop.removeTimeout(this.#timer);
    this.#timer = null;
    this.#timerDeadline = Number.POSITIVE_INFINITY;
    for (const list of this.#idle.values()) {
      for (const idle of list) idle.connection.close();
    }
    this.#idle.clear();
  }

  #arm(deadline: number): void {
    this.#loop.removeTimeout(this.#timer);
    this.#timerDeadline = deadline;
    this.#timer = this.#loop.callAt(deadline, () => this.#sweep());
  }

  /** Closes the connections that are due, drops empty lists, and arms for the next expiry. */
  #sweep(): void {
    this.#timer = null;
    this.#timerDeadline = Number.POSITIVE_INFINITY;
    const now = this.#loop.time();
    let next = Number.POSITIVE_INFINITY;
    for (const [key, list] of this.#idle) {
      let kept = 0;
      for (const idle of list) {
        if (idle.expires <= now) idle.connection.close();
        else {
          list[kept++] = idle;
          if (idle.expires < next) next = idle.expires;
        }
      }
      list.length = kept;
      if (kept === 0) this.#idle.delete(key);
    }
    if (next !== Number.POSITIVE_INFINITY) this.#arm(next);
  }
}
