/**
 * DeadlineQueue: many deadlines of one IOLoop watched by a single loop timeout.
 *
 * Algorithm. The watchers sit in a binary min-heap ordered by deadline; each knows its index in
 * the heap, so moving or removing one is O(log n). The loop timeout is armed for the deadline at
 * the top and armed anew only when the top changes to an earlier one; when it fires, every due
 * watcher is taken out and told, and the timeout is armed for the new top. Ten thousand idle
 * connections so cost ten thousand heap slots, not ten thousand loop timers with a closure each
 * (HTTP/1 connection deadlines and the HTTP client's idle pool use it).
 */
import type { IOLoop, TimeoutHandle } from './io-loop.js';

/** Something with a deadline in a {@link DeadlineQueue}. */
export interface DeadlineWatcher {
  /** When it is due, in loop seconds (managed by the queue). */
  deadlineAt: number;
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

  /** Queues `watcher` for `deadline` (loop seconds), or moves it there if queued already. */
  set(watcher: DeadlineWatcher, deadline: number): void {
    const heap = this.#heap;
    const at = watcher.deadlineIndex;
    if (at < 0) {
      watcher.deadlineAt = deadline;
      watcher.deadlineIndex = heap.length;
      heap.push(watcher);
      this.#up(heap.length - 1);
    } else {
      const earlier = deadline < watcher.deadlineAt;
      watcher.deadlineAt = deadline;
      if (earlier) this.#up(at);
      else this.#down(at);
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
    removed.deadlineIndex = -1;
    if (last === removed) return;
    heap[at] = last;
    last.deadlineIndex = at;
    this.#up(at);
    this.#down(last.deadlineIndex);
  }

  #arm(): void {
    const top = this.#heap[0];
    if (top === undefined || top.deadlineAt >= this.#armedFor) return;
    this.#disarm();
    this.#armedFor = top.deadlineAt;
    this.#timer = this.loop.callAt(top.deadlineAt, this.#fire);
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
    while (heap.length > 0 && heap[0]!.deadlineAt <= now) {
      due.push(heap[0]!);
      this.#removeAt(0);
    }
    // Told after all due ones left the queue: a watcher told may queue itself (or others) again.
    for (const watcher of due) watcher.deadlineReached();
    this.#arm();
  };

  #up(start: number): void {
    const heap = this.#heap;
    const item = heap[start]!;
    let at = start;
    while (at > 0) {
      const parentAt = (at - 1) >> 1;
      const parent = heap[parentAt]!;
      if (parent.deadlineAt <= item.deadlineAt) break;
      heap[at] = parent;
      parent.deadlineIndex = at;
      at = parentAt;
    }
    heap[at] = item;
    item.deadlineIndex = at;
  }

  #down(start: number): void {
    const heap = this.#heap;
    const item = heap[start]!;
    const n = heap.length;
    let at = start;
    for (;;) {
      let child = 2 * at + 1;
      if (child >= n) break;
      if (child + 1 < n && heap[child + 1]!.deadlineAt < heap[child]!.deadlineAt) child += 1;
      const smaller = heap[child]!;
      if (smaller.deadlineAt >= item.deadlineAt) break;
      heap[at] = smaller;
      smaller.deadlineIndex = at;
      at = child;
    }
    heap[at] = item;
    item.deadlineIndex = at;
  }
}
