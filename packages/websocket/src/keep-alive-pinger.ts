/**
 * KeepAlivePinger: the keep-alive state of a websocket that pings its peer. A connection makes
 * one only when a ping interval is set, so the many connections that never ping carry none of
 * it.
 */
import { PeriodicCallback } from '@tronada/ioloop';

/**
 * When to ping and when to give up on the peer: the interval, the pong timeout, the times of
 * the last ping and pong, and the periodic timer while pinging.
 *
 * @see Tornado `WebSocketProtocol.start_pinging` / `periodic_ping`
 */
export class KeepAlivePinger {
  /** Seconds between pings (positive). */
  readonly interval: number;
  /** Seconds without a pong before the peer counts as gone. */
  readonly timeout: number;
  /** Loop time of the last ping sent. */
  lastPing = 0;
  /** Loop time of the last pong received (or of the start). */
  lastPong = 0;
  #timer: PeriodicCallback | null = null;

  /** `timeout` defaults to max(3 × interval, 30) seconds, as in Tornado. */
  constructor(interval: number, timeout: number | null | undefined) {
    this.interval = interval;
    this.timeout = timeout ?? Math.max(3 * interval, 30);
  }

  /** True between {@link start} and {@link stop}. */
  get running(): boolean {
    return this.#timer !== null;
  }

  /** Calls `tick` every interval from now on, counting `now` as the last ping and pong. */
  start(now: number, tick: () => void): void {
    this.lastPing = this.lastPong = now;
    this.#timer = new PeriodicCallback(tick, this.interval * 1000);
    this.#timer.start();
  }

  /** Stops the ticks (idempotent). */
  stop(): void {
    this.#timer?.stop();
    this.#timer = null;
  }

  /**
   * True when the pong is overdue. A missing pong only counts if we really pinged lately: after
   * the machine slept, the first tick pings again instead of closing.
   */
  timedOut(now: number): boolean {
    return now - this.lastPing < 2 * this.interval && now - this.lastPong > this.timeout;
  }
}
