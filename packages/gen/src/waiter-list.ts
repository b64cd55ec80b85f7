/**
 * WaiterList: the FIFO line of pending Futures that every lock and queue keeps.
 *
 * Tornado keeps its waiters in a deque and sweeps out the timed-out ones now and then (every
 * 100 timeouts for locks, from the head on each put/get for queues). Here each waiter is a node
 * of a doubly linked list, so a timeout unlinks its own waiter at once, in O(1): a waiter that
 * timed out never lingers, is never woken later, and a loop of short timed waits cannot grow
 * the line. The timeout's timer is disarmed whenever a waiter leaves the line another way.
 *
 * A waiter whose Future its owner cancels leaves the line the same way, through the Future's
 * cancel handler. No done callback is added to a waiter's Future: adding one would mark a failed
 * Future as observed, and a `TimeoutError` that nobody awaits must still surface as an unhandled
 * rejection, as every lost failure of a Future does. The wake-up paths still skip a waiter that
 * is already done, in case its owner replaced the cancel handler.
 */
import type { Future, TimeoutHandle } from '@tronada/ioloop';
import { IOLoop } from '@tronada/ioloop';
import type { Timeout } from './with-timeout.js';
import { deadlineOf } from './with-timeout.js';

interface WaiterNode<T, D> {
  readonly future: Future<T>;
  readonly data: D;
  prev: WaiterNode<T, D> | null;
  next: WaiterNode<T, D> | null;
  linked: boolean;
  loop: IOLoop | null;
  timer: TimeoutHandle | null;
}

/** A waiter taken off the line: its Future (still pending) and the data it was queued with. */
export interface Waiter<T, D> {
  readonly future: Future<T>;
  readonly data: D;
}

/**
 * A FIFO line of pending Futures, each with optional data (a queue's putters carry their item)
 * and an optional timeout. Internal to the locks and queues.
 */
export class WaiterList<T, D = undefined> {
  #head: WaiterNode<T, D> | null = null;
  #tail: WaiterNode<T, D> | null = null;
  #size = 0;

  /** Waiters in line. */
  get size(): number {
    return this.#size;
  }

  /**
   * Puts `future` at the end of the line. With a `timeout`, a timer on the current IOLoop takes
   * the waiter out of the line when it expires and then calls `expire(future)` if the Future is
   * still pending (`expire` settles it: with `false`, or with a `TimeoutError`).
   */
  push(
    future: Future<T>,
    data: D,
    timeout: Timeout | undefined,
    expire: (future: Future<T>) => void,
  ): void {
    const node: WaiterNode<T, D> = {
      future,
      data,
      prev: null,
      next: null,
      linked: false,
      loop: null,
      timer: null,
    };
    if (timeout !== undefined) {
      // Armed before linking, so that a closed loop (callAt throws) leaves the line unchanged.
      const loop = IOLoop.current();
      node.timer = loop.callAt(deadlineOf(timeout, loop), () => {
        node.timer = null;
        this.#unlink(node);
        if (!future.done()) expire(future);
      });
      node.loop = loop;
    }
    // A waiter cancelled by its owner leaves the line (and disarms its timer) inside cancel().
    future.setCancelHandler(() => {
      this.#unlink(node);
      this.#disarm(node);
    });
    node.prev = this.#tail;
    node.linked = true;
    if (this.#tail === null) this.#head = node;
    else this.#tail.next = node;
    this.#tail = node;
    this.#size++;
  }

  /**
   * Takes the first waiter whose Future is still pending off the line, disarming its timer;
   * waiters whose Futures are already done (cancelled by their owners) are dropped on the way.
   * Returns undefined when no pending waiter is left.
   */
  shift(): Waiter<T, D> | undefined {
    for (let node = this.#head; node !== null; node = this.#head) {
      this.#unlink(node);
      this.#disarm(node);
      if (!node.future.done()) return node;
    }
    return undefined;
  }

  /**
   * The first waiter whose Future is still pending, left in line (done ones at the head are
   * dropped); undefined if there is none. A {@link shift} right after returns the same waiter.
   */
  first(): Waiter<T, D> | undefined {
    for (let node = this.#head; node !== null; node = this.#head) {
      if (!node.future.done()) return node;
      this.#unlink(node);
      this.#disarm(node);
    }
    return undefined;
  }

  #unlink(node: WaiterNode<T, D>): void {
    if (!node.linked) return;
    node.linked = false;
    if (node.prev === null) this.#head = node.next;
    else node.prev.next = node.next;
    if (node.next === null) this.#tail = node.prev;
    else node.next.prev = node.prev;
    node.prev = null;
    node.next = null;
    this.#size--;
  }

  #disarm(node: WaiterNode<T, D>): void {
    if (node.timer === null) return;
    node.loop?.removeTimeout(node.timer);
    node.timer = null;
  }
}
