/**
 * The read timeouts of an HTTP1Connection: how long a connection may sit idle before a message,
 * how long a started head may take, and how long a body may take.
 */
import { DeadlineQueue, type DeadlineWatcher, type IOLoop } from '@tronada/ioloop';
import type { HTTP1ConnectionParameters } from './http1-connection-parameters.js';

/** What fires when a timer runs out (the connection closes itself). */
export interface HTTP1TimeoutHandlers {
  /** No (complete) head arrived in time: idle or header timeout. */
  readonly onHeaderTimeout: () => void;
  /** The body did not arrive in time. */
  readonly onBodyTimeout: () => void;
}

const NEVER = Number.POSITIVE_INFINITY;

/**
 * The header (or idle) deadline and the body deadline of one connection, watched through the
 * loop's {@link DeadlineQueue} (one loop timeout for every connection). Moving a deadline only
 * writes a number: the connection's place in the queue moves only when a deadline comes before
 * the one it is queued for, or when that one passes before the nearest deadline (then it is
 * queued for that one). A keep-alive connection answering many requests so touches the queue
 * about once per header timeout period instead of twice per request. Every method may be
 * called in any state.
 */
export class HTTP1Timers implements DeadlineWatcher {
  readonly #loop: IOLoop;
  readonly #queue: DeadlineQueue;
  readonly #params: HTTP1ConnectionParameters;
  readonly #handlers: HTTP1TimeoutHandlers;
  #headerDeadline = NEVER;
  #bodyDeadline = NEVER;
  #idle = false;
  /** @see DeadlineWatcher */
  deadlineAt = NEVER;
  /** @see DeadlineWatcher */
  deadlineIndex = -1;

  constructor(loop: IOLoop, params: HTTP1ConnectionParameters, handlers: HTTP1TimeoutHandlers) {
    this.#loop = loop;
    this.#queue = DeadlineQueue.of(loop);
    this.#params = params;
    this.#handlers = handlers;
  }

  /** Waits for the first byte of the next message, under the idle timeout if there is one. */
  startIdle(): void {
    this.#idle = true;
    this.#bodyDeadline = NEVER;
    const timeout = this.#params.idleTimeout;
    this.#headerDeadline = timeout === null ? NEVER : this.#loop.time() + timeout;
    this.#watch(this.#headerDeadline);
  }

  /** Bytes arrived: an idle wait becomes a wait for the rest of the head. */
  bytesArrived(): void {
    if (this.#idle) this.startHeader();
  }

  /** The head has started: it must be complete within the header timeout. */
  startHeader(): void {
    this.#idle = false;
    const timeout = this.#params.headerTimeout;
    this.#headerDeadline = timeout === null ? NEVER : this.#loop.time() + timeout;
    this.#watch(this.#headerDeadline);
  }

  /** The head is complete. */
  headersArrived(): void {
    this.#headerDeadline = NEVER;
    this.#idle = false;
  }

  /** The body must be complete within `timeout` seconds. */
  startBody(timeout: number): void {
    this.#bodyDeadline = this.#loop.time() + timeout;
    this.#watch(this.#bodyDeadline);
  }

  /** The body is complete. */
  bodyArrived(): void {
    this.#bodyDeadline = NEVER;
  }

  /**
   * No deadline any more (the exchange ended). The connection stays queued for the next
   * exchange, which usually comes before its deadline; {@link dispose} takes it out.
   */
  clear(): void {
    this.#headerDeadline = this.#bodyDeadline = NEVER;
    this.#idle = false;
  }

  /** Clears the deadlines and leaves the queue (the connection is closed or detached). */
  dispose(): void {
    this.clear();
    this.#queue.delete(this);
  }

  #watch(deadline: number): void {
    if (deadline === NEVER) return;
    if (this.deadlineIndex >= 0 && deadline >= this.deadlineAt) return;
    this.#queue.set(this, deadline);
  }

  /** The deadline it was queued for passed: closes if a deadline really passed, else requeues. */
  deadlineReached(): void {
    const now = this.#loop.time();
    if (this.#headerDeadline <= now) {
      this.#headerDeadline = NEVER;
      this.#handlers.onHeaderTimeout();
    } else if (this.#bodyDeadline <= now) {
      this.#bodyDeadline = NEVER;
      this.#handlers.onBodyTimeout();
    } else {
      this.#watch(Math.min(this.#headerDeadline, this.#bodyDeadline));
    }
  }
}
