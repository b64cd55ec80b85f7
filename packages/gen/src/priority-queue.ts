/**
 * PriorityQueue: a Queue that hands out the smallest item first, kept in a binary heap.
 */
import { compareNatural } from './compare-natural.js';
import { Queue } from './queue.js';

/** Orders two items: negative if `a` comes out first, positive if `b` does, 0 for a tie. */
export type Compare<T> = (a: T, b: T) => number;

/** Options of {@link PriorityQueue}. */
export interface PriorityQueueOptions<T> {
  /** The order of the items; default {@link compareNatural} (numbers, strings, tuples). */
  compare?: Compare<T>;
}

interface Entry<T> {
  readonly item: T;
  readonly seq: number;
}

/**
 * A {@link Queue} that retrieves the lowest item first, by `compare` (default
 * {@link compareNatural}, so `[priority, data]` tuples work as in Tornado). Items that tie come
 * out in the order they were put, which Python's heap does not promise.
 *
 * ```ts
 * const q = new PriorityQueue<[number, string]>();
 * q.putNowait([1, 'medium']); q.putNowait([0, 'high']); q.putNowait([10, 'low']);
 * q.getNowait(); // [0, 'high']
 * ```
 *
 * If `compare` throws for an item being put (items of kinds it cannot order), the put throws
 * and the queue is unchanged.
 *
 * @see Tornado `tornado.queues.PriorityQueue`
 */
export class PriorityQueue<T = unknown> extends Queue<T> {
  readonly #compare: Compare<T>;
  readonly #heap: Entry<T>[] = [];
  #seq = 0;

  /** A priority queue of at most `maxsize` items (0 for no limit), ordered by `compare`. */
  constructor(maxsize = 0, options: PriorityQueueOptions<T> = {}) {
    super(maxsize);
    this.#compare = options.compare ?? compareNatural;
  }

  /** Items stored now. @see Tornado `Queue.qsize` */
  override qsize(): number {
    return this.#heap.length;
  }

  /** Adds `item` to the heap. @see Tornado `PriorityQueue._put` */
  protected override putItem(item: T): void {
    const heap = this.#heap;
    const entry: Entry<T> = { item, seq: this.#seq };
    // Find the slot first, with comparisons only, then move: if compare throws, the heap has
    // not been touched.
    let slot = heap.length;
    const path: number[] = [];
    while (slot > 0) {
      const parent = (slot - 1) >> 1;
      if (!this.#before(entry, heap[parent]!)) break;
      path.push(slot);
      slot = parent;
    }
    this.#seq++;
    heap.push(entry);
    for (const child of path) heap[child] = heap[(child - 1) >> 1]!;
    heap[slot] = entry;
  }

  /** Removes the lowest item from the heap. @see Tornado `PriorityQueue._get` */
  protected override getItem(): T {
    const heap = this.#heap;
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length === 0) return top.item;
    let slot = 0;
    for (;;) {
      const left = 2 * slot + 1;
      if (left >= heap.length) break;
      const right = left + 1;
      const child = right < heap.length && this.#before(heap[right]!, heap[left]!) ? right : left;
      if (!this.#before(heap[child]!, last)) break;
      heap[slot] = heap[child]!;
      slot = child;
    }
    heap[slot] = last;
    return top.item;
  }

  #before(a: Entry<T>, b: Entry<T>): boolean {
    const c = this.#compare(a.item, b.item);
    return c < 0 || (c === 0 && a.seq < b.seq);
  }
}
