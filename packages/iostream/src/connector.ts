/**
 * Connector: "Happy Eyeballs" (RFC 6555) connection racing, with no I/O of its own.
 *
 * The addresses are split by family: the family of the first address is primary, the rest is
 * secondary. One attempt per family is in flight at a time:
 * - the first primary address is tried at once;
 * - the secondary family starts when the first attempt fails, or after `timeout` (0.3 s) if it
 *   is still pending, whichever comes first;
 * - a failed attempt moves on to the next address of its family;
 * - the first success wins; every other attempt is closed (late successes too);
 * - when every address has failed, the last error is the result (and every attempt is closed);
 * - the optional connect timeout fails the whole race with `TimeoutError` and closes all
 *   attempts.
 * Attempts are made by the `connect` function it is given, so the algorithm is tested with fake
 * streams on a virtual clock (Tornado's `ConnectorTest`).
 */
import type { TimeoutHandle } from '@tronada/ioloop';
import { Future, futureAddDoneCallback, IOLoop, TimeoutError } from '@tronada/ioloop';

/** How long the primary family has before the secondary one joins in (seconds). */
export const INITIAL_CONNECT_TIMEOUT = 0.3;

/** Something the connector can close when it loses the race. */
export interface Closable {
  close(): void;
}

/** Starts one attempt: returns the stream at once and a Future resolved when it is connected. */
export type ConnectAttempt<A, S extends Closable> = (address: A) => readonly [S, Future<S>];

/** The winner of the race. */
export interface ConnectResult<A, S> {
  readonly address: A;
  readonly stream: S;
}

/**
 * One Happy Eyeballs race over a list of addresses.
 *
 * @see Tornado `tornado.tcpclient._Connector`
 */
export class Connector<A extends { readonly family: number }, S extends Closable> {
  /** Attempts started and not handed out as the winner (closed when the race ends). */
  readonly streams = new Set<S>();
  readonly #loop: IOLoop;
  readonly #connect: ConnectAttempt<A, S>;
  readonly #future = new Future<ConnectResult<A, S>>();
  readonly #primary: A[];
  readonly #secondary: A[];
  #remaining: number;
  #lastError: unknown = null;
  #timeout: TimeoutHandle | null = null;
  #connectTimeout: TimeoutHandle | null = null;

  constructor(addresses: readonly A[], connect: ConnectAttempt<A, S>) {
    if (addresses.length === 0) throw new RangeError('Connector needs at least one address');
    this.#loop = IOLoop.current();
    this.#connect = connect;
    this.#remaining = addresses.length;
    [this.#primary, this.#secondary] = Connector.split(addresses);
  }

  /**
   * Partitions `addresses` by family: the first address and all others of its family, then the
   * rest, each in the original order.
   *
   * @see Tornado `_Connector.split`
   */
  static split<A extends { readonly family: number }>(addresses: readonly A[]): [A[], A[]] {
    const primaryFamily = addresses[0]?.family;
    const primary: A[] = [];
    const secondary: A[] = [];
    for (const a of addresses) (a.family === primaryFamily ? primary : secondary).push(a);
    return [primary, secondary];
  }

  /**
   * Starts the race. `timeout` (seconds) is when the secondary family joins; `connectTimeout`
   * (an absolute loop time) ends the whole race with `TimeoutError`.
   */
  start(
    timeout: number = INITIAL_CONNECT_TIMEOUT,
    connectTimeout?: number,
  ): Future<ConnectResult<A, S>> {
    // Timers first: an attempt that fails synchronously must already see them.
    this.#timeout = this.#loop.callLater(timeout, () => this.#onTimeout());
    if (connectTimeout !== undefined) {
      this.#connectTimeout = this.#loop.callAt(connectTimeout, () => this.#onConnectTimeout());
    }
    this.#tryConnect(this.#primary[Symbol.iterator]());
    return this.#future;
  }

  #tryConnect(addresses: Iterator<A>): void {
    const next = addresses.next();
    if (next.done === true) {
      // This family is exhausted; fail only once the other family has finished too.
      if (this.#remaining === 0 && !this.#future.done()) this.#fail(this.#lastError);
      return;
    }
    const address = next.value;
    const [stream, connected] = this.#connect(address);
    this.streams.add(stream);
    futureAddDoneCallback(connected, (f) => this.#onConnectDone(addresses, address, f));
  }

  #onConnectDone(addresses: Iterator<A>, address: A, attempt: Future<S>): void {
    this.#remaining--;
    const error = attempt.exception();
    if (error !== null) {
      if (this.#future.done()) return;
      this.#lastError = error;
      this.#tryConnect(addresses);
      if (this.#timeout !== null) {
        // The primary family failed: do not wait for the timer to try the secondary one.
        this.#loop.removeTimeout(this.#timeout);
        this.#onTimeout();
      }
      return;
    }
    const stream = attempt.result();
    this.#clearTimeouts();
    if (this.#future.done()) {
      // A late arrival after the race was decided.
      stream.close();
      return;
    }
    this.streams.delete(stream);
    this.#future.setResult({ address, stream });
    this.#closeStreams();
  }

  #onTimeout(): void {
    this.#timeout = null;
    if (!this.#future.done()) this.#tryConnect(this.#secondary[Symbol.iterator]());
  }

  #onConnectTimeout(): void {
    this.#connectTimeout = null;
    if (!this.#future.done()) this.#fail(new TimeoutError('Connection timed out'));
    this.#closeStreams();
  }

  #fail(error: unknown): void {
    this.#clearTimeouts();
    this.#future.setException(error);
    this.#closeStreams();
  }

  #clearTimeouts(): void {
    this.#loop.removeTimeout(this.#timeout);
    this.#loop.removeTimeout(this.#connectTimeout);
    this.#timeout = null;
    this.#connectTimeout = null;
  }

  #closeStreams(): void {
    for (const stream of this.streams) stream.close();
  }
}
