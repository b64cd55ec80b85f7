/**
 * The read timeouts of an HTTP1Connection: how long a connection may sit idle before a message,
 * how long a started head may take, and how long a body may take.
 */
import { DeadlineQueue, type DeadlineWatcher, type IOLoop } from '@tronada/ioloop';
import type { HTTP1ConnectionParameters } from './http1-connection-parameters.js';

const NEVER = Number.POSITIVE_INFINITY;

// What the one running deadline is for (at most one runs: the head is complete before a body).
const NONE = 0;
const IDLE = 1;
const HEADER = 2;
const BODY = 3;
type Waiting = typeof NONE | typeof IDLE | typeof HEADER | typeof BODY;

/**
 * The header (or idle) deadline or the body deadline of one connection, watched through the
 * loop's {@link DeadlineQueue} (one loop timeout for every connection). Moving a deadline only
 * writes a number: the connection's place in the queue moves only when a deadline comes before
 * the one it is queued for, or when that one passes before the deadline running (then it is
 * queued for that one). A keep-alive connection answering many requests so touches the queue
 * about once per header timeout period instead of twice per request. Every method may be
 * called in any state.
 *
 * Abstract: the connection's hooks object (through the read loop) extends it and closes the
 * connection when a timeout fires, so a connection has one object for both.
 */
export abstract class HTTP1Timers implements DeadlineWatcher {
  readonly #queue: DeadlineQueue;
  readonly #params: HTTP1ConnectionParameters;
  #deadline = NEVER;
  #waiting: Waiting = NONE;
  /** @see DeadlineWatcher */
  deadlineIndex = -1;

  constructor(loop: IOLoop, params: HTTP1ConnectionParameters) {
    this.#queue = DeadlineQueue.of(loop);
    this.#params = params;
  }

  /** No (complete) head arrived in time: idle or header timeout. */
  abstract onHeaderTimeout(): void;
  /** The body did not arrive in time. */
  abstract onBodyTimeout(): void;

  /** Waits for the first byte of the next message, under the idle timeout if there is one. */
  startIdle(): void {
    this.#start(IDLE, this.#params.idleTimeout);
  }

  /** Bytes arrived: an idle wait becomes a wait for the rest of the head. */
  bytesArrived(): void {
    if (this.#waiting === IDLE) this.startHeader();
  }

  /** The head has started: it must be complete within the header timeout. */
  startHeader(): void {
    this.#start(HEADER, this.#params.headerTimeout);
  }

  /** The head is complete. */
  headersArrived(): void {
    if (this.#waiting !== BODY) this.clear();
  }

  /** The body must be complete within `timeout` seconds. */
  startBody(timeout: number): void {
    this.#start(BODY, timeout);
  }

  /** The body is complete. */
  bodyArrived(): void {
    if (this.#waiting === BODY) this.clear();
  }

  /**
   * No deadline any more (the exchange ended). The connection stays queued for the next
   * exchange, which usually comes before its deadline; {@link dispose} takes it out.
   */
  clear(): void {
    this.#deadline = NEVER;
    this.#waiting = NONE;
  }

  /** Clears the deadlines and leaves the queue (the connection is closed or detached). */
  dispose(): void {
    this.clear();
    this.#queue.delete(this);
  }

  #start(waiting: Waiting, timeout: number | null): void {
    this.#waiting = waiting;
    if (timeout === null) {
      this.#deadline = NEVER;
      return;
    }
    const deadline = this.#queue.loop.time() + timeout;
    this.#deadline = deadline;
    if (this.deadlineIndex >= 0 && deadline >= this.#queue.deadlineOf(this)) return;
    this.#queue.set(this, deadline);
  }

  /** The deadline it was queued for passed: closes if the running one passed, else requeues. */
  deadlineReached(): void {
    const deadline = this.#deadline;
    if (deadline === NEVER) return;
    if (deadline > this.#queue.loop.time()) {
      this.#queue.set(this, deadline);
      return;
    }
    const waiting = this.#waiting;
    this.clear();
    if (waiting === BODY) this.onBodyTimeout();
    else this.onHeaderTimeout();
  }
}
