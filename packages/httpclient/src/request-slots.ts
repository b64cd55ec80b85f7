/**
 * RequestSlots: at most `maxClients` requests in progress; the others wait in order.
 */
import type { IOLoop, TimeoutHandle } from '@tronada/ioloop';
import { HTTPTimeoutError } from './errors.js';

interface Waiter {
  readonly grant: () => void;
  readonly fail: (error: unknown) => void;
  timer: TimeoutHandle | null;
}

/**
 * A counting gate in front of the client. Guarantees: waiters get a slot in arrival order; a
 * waiter whose timeout expires fails with {@link HTTPTimeoutError} ("Timeout in request queue")
 * and never holds a slot; an aborted `signal` removes a waiter without granting it.
 *
 * @see Tornado `SimpleAsyncHTTPClient.fetch_impl` (its queue)
 */
export class RequestSlots {
  readonly #loop: IOLoop;
  readonly #max: number;
  #active = 0;
  readonly #queue: Waiter[] = [];

  constructor(loop: IOLoop, maxClients: number) {
    if (!(maxClients >= 1))
      throw new RangeError(`maxClients must be at least 1, got ${maxClients}`);
    this.#loop = loop;
    this.#max = maxClients;
  }

  /** Requests in progress. */
  get active(): number {
    return this.#active;
  }

  /** Requests waiting for a slot. */
  get queued(): number {
    return this.#queue.length;
  }

  /** Takes a free slot at once when one is free and nobody waits; true when taken. */
  tryAcquire(): boolean {
    if (this.#active < this.#max && this.#queue.length === 0) {
      this.#active += 1;
      return true;
    }
    return false;
  }

  /**
   * Waits for a slot, at most `timeout` seconds (null: forever). Resolves once the slot is
   * held; give it back with {@link release}. `onQueued` runs when the request has to wait.
   */
  acquire(timeout: number | null, signal?: AbortSignal, onQueued?: () => void): Promise<void> {
    if (this.tryAcquire()) return Promise.resolve();
    onQueued?.();
    return new Promise((resolve, reject) => {
      const waiter: Waiter = { grant: resolve, fail: reject, timer: null };
      if (timeout !== null && timeout > 0) {
        waiter.timer = this.#loop.callLater(timeout, () => {
          this.#remove(waiter);
          reject(new HTTPTimeoutError('Timeout in request queue'));
        });
      }
      if (signal !== undefined) {
        signal.addEventListener(
          'abort',
          () => {
            if (this.#remove(waiter)) reject(signal.reason);
          },
          { once: true },
        );
      }
      this.#queue.push(waiter);
    });
  }

  /**
   * Gives back a slot taken by {@link tryAcquire} or {@link acquire} (once per slot): the
   * first waiter gets it, or it becomes free.
   */
  release(): void {
    const next = this.#queue.shift();
    if (next === undefined) {
      this.#active -= 1;
      return;
    }
    this.#loop.removeTimeout(next.timer);
    next.grant();
  }

  #remove(waiter: Waiter): boolean {
    const at = this.#queue.indexOf(waiter);
    if (at === -1) return false;
    this.#queue.splice(at, 1);
    this.#loop.removeTimeout(waiter.timer);
    return true;
  }

  /** Fails every waiter with `error` (the client closed). */
  failAll(error: unknown): void {
    for (const waiter of this.#queue.splice(0)) {
      this.#loop.removeTimeout(waiter.timer);
      waiter.fail(error);
    }
  }
}
