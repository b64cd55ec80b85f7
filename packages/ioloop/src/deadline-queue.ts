/**
 * DeadlineQueue: many deadlines of one IOLoop watched by a single loop timeout.
 *
 * Algorithm. The watchers sit in a binary min-heap ordered by deadline; each knows its index in
 * the heap, so moving or removing one is O(log n). The deadlines are kept by the queue, in an
 * array of numbers parallel to the heap, not on the watchers: a number field of an object is a
 * separate heap number in V8, a number in an array of numbers is not. The loop timeout is armed for the deadline at
 * the top and armed anew only when the top changes to an earlier one; when it fires, every due
 * watcher is taken out and told, and the timeout is armed for the new top. Ten thousand idle
 * connections so cost ten thousand heap slots, not ten thousand loop timers with a closure each
 * (HTTP/1 connection deadlines and the HTTP client's idle pool use it).
 */
import type { IOLoop, TimeoutHandle } from './io-loop.js';

/** Something with a deadline in a {@link DeadlineQueue}. */
export interface DeadlineWatcher {
  /** Its place in the queue's heap, or -1 when not queued (managed by the queue). */
  deadlineIndex: number;
  /** The deadline passed: called once, after the watcher left the queue. */
  deadlineReached(): void;
}

const queues = new WeakMap<IOLoop, DeadlineQueue>();

/** The deadlines of one IOLoop, watched by one loop timeout at a time. */
export class DeadlineQueue {
  /** The loop whose time and timeouts the queue uses. */
  readonly loop: IOLoop;
  readonly #heap: DeadlineWatcher[] = [];
  // #at[i] is the deadline of #heap[i].
  readonly #at: number[] = [];
  #timer: TimeoutHandle | null = null;
  #armedFor = Number.POSITIVE_INFINITY;

  /** The queue of `loop` (made on first use). */
  static of(loop: IOLoop): DeadlineQueue {
    let queue = queues.get(loop);
    if (queue === undefined) {
      queue = new DeadlineQueue(loop);
      queues.set(loop, queue);
    }
    return queue;
  }

  /** A queue of its own on `loop` (use {@link DeadlineQueue.of} to share the loop's). */
  constructor(loop: IOLoop) {
    this.loop = loop;
  }

  /** How many watchers are queued. */
  get size(): number {
    return this.#heap.length;
  }

  /** When `watcher` is due (loop seconds), or `Infinity` if it is not queued here. */
  deadlineOf(watcher: DeadlineWatcher): number {
    const at = watcher.deadlineIndex;
    return at >= 0 && this.#heap[at] === watcher ? this.#at[at]! : Number.POSITIVE_INFINITY;
  }

  /** Queues `watcher` for `deadline` (loop seconds), or moves it there if queued already. */
  set(watcher: DeadlineWatcher, deadline: number): void {
    const at = watcher.deadlineIndex;
    if (at < 0) {
      const end = this.#heap.length;
      this.#heap.push(watcher);
      this.#at.push(deadline);
      this.#up(end, watcher, deadline);
    } else {
      const earlier = deadline < this.#at[at]!;
      if (earlier) this.#up(at, watcher, deadline);
      else this.#down(at, watcher, deadline);
    }
    this.#arm();
  }

  /** Takes `watcher` out of the queue (nothing if it is not queued). */
  delete(watcher: DeadlineWatcher): void {
    const at = watcher.deadlineIndex;
    if (at < 0) return;
    this.#removeAt(at);
    if (this.#heap.length === 0) this.#disarm();
  }

  #removeAt(at: number): void {
    const heap = this.#heap;
    const removed = heap[at]!;
    const last = heap.pop()!;
    const lastAt = this.#at.pop()!;
    removed.deadlineIndex = -1;
    if (last === removed) return;
    this.#up(at, last, lastAt);
    this.#down(last.deadlineIndex, last, lastAt);
  }

  #arm(): void {
    if (this.#heap.length === 0) return;
    const first = this.#at[0]!;
    if (first >= this.#armedFor) return;
    this.#disarm();
    this.#armedFor = first;
    this.#timer = this.loop.callAt(first, this.#fire);
  }

  #disarm(): void {
    if (this.#timer === null) return;
    this.loop.removeTimeout(this.#timer);
    this.#timer = null;
    this.#armedFor = Number.POSITIVE_INFINITY;
  }

  readonly #fire = (): void => {
    this.#timer = null;
    this.#armedFor = Number.POSITIVE_INFINITY;
    const heap = this.#heap;
    const now = this.loop.time();
    const due: DeadlineWatcher[] = [];
    while (heap.length > 0 && this.#at[0]! <= now) {
      due.push(heap[0]!);
      this.#removeAt(0);
    }
    // Told after all due ones left the queue: a watcher told may queue itself (or others) again.
    for (const watcher of due) watcher.deadlineReached();
    this.#arm();
  };

  /** Places `item`, due at `deadline`, at `start` or above it. */
  #up(start: number, item: DeadlineWatcher, deadline: number): void {
    const heap = this.#heap;
    const times = this.#at;
    let at = start;
    while (at > 0) {
      const parentAt = (at - 1) >> 1;
      if (times[parentAt]! <= deadline) break;
      const parent = heap[parentAt]!;
      heap[at] = parent;
      times[at] = times[parentAt]!;
      parent.deadlineIndex = at;
      at = parentAt;
    }
    heap[at] = item;
    times[at] = deadline;
    item.deadlineIndex = at;
  }

  /** Places `item`, due at `deadline`, at `start` or below it. */
  #down(start: number, item: DeadlineWatcher, deadline: number): void {
    const heap = this.#heap;
    const times = this.#at;
    const n = heap.length;
    let at = start;
    for (;;) {
      let child = 2 * at + 1;
      if (child >= n) break;
      if (child + 1 < n && times[child + 1]! < times[child]!) child += 1;
      if (times[child]! >= deadline) break;
      const smaller = heap[child]!;
      heap[at] = smaller;
      times[at] = times[child]!;
      smaller.deadlineIndex = at;
      at = child;
    }
    heap[at] = item;
    times[at] = deadline;
    item.deadlineIndex = at;
  }
}
