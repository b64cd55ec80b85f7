/**
 * The read timeouts of an HTTP1Connection: how long a connection may sit idle before a message,
 * how long a started head may take, and how long a body may take.
 */
import type { IOLoop, TimeoutHandle } from '@tronada/ioloop';
import type { HTTP1ConnectionParameters } from './http1-connection-parameters.js';

/** What fires when a timer runs out (the connection closes itself). */
export interface HTTP1TimeoutHandlers {
  /** No (complete) head arrived in time: idle or header timeout. */
  readonly onHeaderTimeout: () => void;
  /** The body did not arrive in time. */
  readonly onBodyTimeout: () => void;
}

/**
 * The header (or idle) timer and the body timer of one connection. At most one of each is
 * armed; every method may be called in any state.
 */
export class HTTP1Timers {
  readonly #loop: IOLoop;
  readonly #params: HTTP1ConnectionParameters;
  readonly #handlers: HTTP1TimeoutHandlers;
  #headerTimer: TimeoutHandle | null = null;
  #bodyTimer: TimeoutHandle | null = null;
  #idle = false;

  constructor(loop: IOLoop, params: HTTP1ConnectionParameters, handlers: HTTP1TimeoutHandlers) {
    this.#loop = loop;
    this.#params = params;
    this.#handlers = handlers;
  }

  /** Waits for the first byte of the next message, under the idle timeout if there is one. */
  startIdle(): void {
    this.#idle = true;
    const timeout = this.#params.idleTimeout;
    if (timeout !== null) this.#headerTimer = this.#loop.callLater(timeout, this.#headerFired);
  }

  /** Bytes arrived: an idle wait becomes a wait for the rest of the head. */
  bytesArrived(): void {
    if (this.#idle) this.startHeader();
  }

  /** The head has started: it must be complete within the header timeout. */
  startHeader(): void {
    this.#idle = false;
    this.#loop.removeTimeout(this.#headerTimer);
    this.#headerTimer = null;
    const timeout = this.#params.headerTimeout;
    if (timeout !== null) this.#headerTimer = this.#loop.callLater(timeout, this.#headerFired);
  }

  /** The head is complete. */
  headersArrived(): void {
    this.#loop.removeTimeout(this.#headerTimer);
    this.#headerTimer = null;
    this.#idle = false;
  }

  /** The body must be complete within `timeout` seconds. */
  startBody(timeout: number): void {
    this.#bodyFired ??= () => {
      this.#bodyTimer = null;
      this.#handlers.onBodyTimeout();
    };
    this.#bodyTimer = this.#loop.callLater(timeout, this.#bodyFired);
  }

  /** The body is complete. */
  bodyArrived(): void {
    this.#loop.removeTimeout(this.#bodyTimer);
    this.#bodyTimer = null;
  }

  /** Disarms both timers (the exchange ended). */
  clear(): void {
    this.#loop.removeTimeout(this.#headerTimer);
    this.#loop.removeTimeout(this.#bodyTimer);
    this.#headerTimer = this.#bodyTimer = null;
  }

  readonly #headerFired = (): void => {
    this.#headerTimer = null;
    this.#handlers.onHeaderTimeout();
  };

  // Made when a body timer is first armed: a connection that never reads a body saves it.
  #bodyFired: (() => void) | null = null;
}
