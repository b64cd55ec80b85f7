/**
 * Queue: coordinates producer and consumer coroutines, FIFO, optionally bounded.
 *
 * Invariants kept by every method: getters wait only while the queue is empty, and putters wait
 * only while it is full, so an item handed over never skips the line. A put with getters in
 * line gives its item to the first getter; a get with putters in line takes an item and lets
 * the first putter's item in. Waiters that time out leave the line at once.
 *
 * Storage is behind three overridable members (`putItem`, `getItem`, `qsize`), as Tornado's
 * `_put`, `_get` and `_queue` are, so PriorityQueue, LifoQueue and user subclasses change only
 * the order.
 */
import { Future, TimeoutError } from '@tronada/ioloop';
import { QueueEmpty, QueueFull } from './queue-errors.js';
import { WaiterList } from './waiter-list.js';
import type { Timeout } from './with-timeout.js';

const NOTHING: unique symbol = Symbol('nothing');

/**
 * A queue for coroutines. With `maxsize` 0 (the default) it is unbounded; otherwise `put` waits
 * while `maxsize` items are stored. `join` waits until every item put has been marked done
 * with `taskDone`. Not for use across worker threads (nothing in a loop is).
 *
 * ```ts
 * const q = new Queue<number>(2);
 * await q.put(1);                 // resolves once there is room
 * const item = await q.get();     // resolves once there is an item
 * q.taskDone();
 * for await (const item of q) { ... q.taskDone(); }   // never ends by itself
 * ```
 *
 * @see Tornado `tornado.queues.Queue`
 */
export class Queue<T = unknown> implements AsyncIterable<T> {
  readonly #maxsize: number;
  readonly #getters = new WaiterList<T>();
  readonly #putters = new WaiterList<void, T>();
  readonly #joiners = new WaiterList<void>();
  #unfinished = 0;
  // FIFO storage of the base class: an array read from #head, compacted now and then.
  #items: Array<T | undefined> = [];
  #head = 0;

  /**
   * A queue holding at most `maxsize` items (0, the default, for no limit). A negative
   * `maxsize` is a RangeError; a fractional one acts as the next integer up.
   */
  constructor(maxsize = 0) {
    if (typeof maxsize !== 'number' || Number.isNaN(maxsize)) {
      throw new TypeError(
        `A Queue's maxsize must be a number (0 for no limit), got ${String(maxsize)}`,
      );
    }
    if (maxsize < 0) throw new RangeError(`A Queue's maxsize cannot be negative, got ${maxsize}`);
    this.#maxsize = maxsize;
  }

  /** How many items the queue may hold; 0 means no limit. @see Tornado `Queue.maxsize` */
  get maxsize(): number {
    return this.#maxsize;
  }

  /**
   * Items stored now (waiting putters' items not included). A subclass that stores items
   * itself overrides this with `putItem` and `getItem`.
   *
   * @see Tornado `Queue.qsize`
   */
  qsize(): number {
    return this.#items.length - this.#head;
  }

  /** True if no item is stored. @see Tornado `Queue.empty` */
  empty(): boolean {
    return this.qsize() === 0;
  }

  /** True if the queue is bounded and holds `maxsize` items. @see Tornado `Queue.full` */
  full(): boolean {
    return this.#maxsize > 0 && this.qsize() >= this.#maxsize;
  }

  /**
   * Puts `item` in, waiting while the queue is full. The Future is already done if there was
   * room (or a getter waiting). With `timeout` (relative seconds, or `{ deadline }` in loop
   * time), it fails with `TimeoutError` if no room came in time, and the item is never put.
   *
   * @see Tornado `Queue.put`
   */
  put(item: T, timeout?: Timeout): Future<void> {
    if (this.#tryPut(item)) return Future.resolved(undefined);
    const putter = new Future<void>();
    this.#putters.push(putter, item, timeout, (f) => {
      f.setException(new TimeoutError('Timed out waiting for room in the queue (Queue.put)'));
    });
    return putter;
  }

  /**
   * Puts `item` in without waiting; throws {@link QueueFull} if the queue is full. A getter in
   * line receives the item when its Future's callbacks run, a microtask later.
   *
   * @see Tornado `Queue.put_nowait`
   */
  putNowait(item: T): void {
    if (!this.#tryPut(item)) {
      throw new QueueFull(
        `putNowait() on a full queue (maxsize ${this.#maxsize}); use put() to wait for room`,
      );
    }
  }

  /**
   * Takes the next item, waiting while the queue is empty. The Future is already done if an
   * item was there. With `timeout` (relative seconds, or `{ deadline }` in loop time), it fails
   * with `TimeoutError` if no item came in time, and no item is taken.
   *
   * @see Tornado `Queue.get`
   */
  get(timeout?: Timeout): Future<T> {
    const item = this.#tryGet();
    if (item !== NOTHING) return Future.resolved(item);
    const getter = new Future<T>();
    this.#getters.push(getter, undefined, timeout, (f) => {
      f.setException(new TimeoutError('Timed out waiting for an item from the queue (Queue.get)'));
    });
    return getter;
  }

  /**
   * Takes the next item without waiting; throws {@link QueueEmpty} if there is none.
   *
   * @see Tornado `Queue.get_nowait`
   */
  getNowait(): T {
    const item = this.#tryGet();
    if (item === NOTHING) throw new QueueEmpty();
    return item;
  }

  /**
   * Marks one item taken with `get` as processed. When every item put has been marked, the
   * queue is joined and `join()` waiters wake. Throws a RangeError if called more times than
   * items were put.
   *
   * @see Tornado `Queue.task_done`
   */
  taskDone(): void {
    if (this.#unfinished <= 0) {
      throw new RangeError(
        'taskDone() called more times than items were put; call it once per item taken',
      );
    }
    this.#unfinished--;
    if (this.#unfinished > 0) return;
    for (let next = this.#joiners.shift(); next !== undefined; next = this.#joiners.shift()) {
      next.future.setResult(undefined);
    }
  }

  /**
   * Resolves once every item put so far has been marked with `taskDone` (at once, already
   * done, if none is outstanding). With `timeout` (relative seconds, or `{ deadline }` in loop
   * time), fails with `TimeoutError` if that did not happen in time.
   *
   * @see Tornado `Queue.join`
   */
  join(timeout?: Timeout): Future<void> {
    if (this.#unfinished === 0) return Future.resolved(undefined);
    const joiner = new Future<void>();
    this.#joiners.push(joiner, undefined, timeout, (f) => {
      f.setException(
        new TimeoutError('Timed out waiting for every item to be marked done (Queue.join)'),
      );
    });
    return joiner;
  }

  /**
   * `for await (const item of queue)`: each step is a `get()`. The iteration never ends by
   * itself (leave it with `break` or `return`), as in Tornado.
   *
   * @see Tornado `Queue.__aiter__`
   */
  [Symbol.asyncIterator](): AsyncIterator<T> {
    return {
      next: (): Promise<IteratorResult<T>> => {
        const item = this.get();
        // An item already there is handed over without waiting for the Future's callbacks.
        if (item.done()) return Promise.resolve({ value: item.result(), done: false });
        return item.then((value): IteratorResult<T> => ({ value, done: false }));
      },
    };
  }

  /**
   * Like Tornado's str: `<Queue maxsize=2 qsize=1 tasks=3>`, with `getters[n]` and
   * `putters[n]` while coroutines wait.
   */
  toString(): string {
    let text = `<${this.constructor.name} maxsize=${this.#maxsize}`;
    const size = this.qsize();
    if (size > 0) text += ` qsize=${size}`;
    if (this.#getters.size > 0) text += ` getters[${this.#getters.size}]`;
    if (this.#putters.size > 0) text += ` putters[${this.#putters.size}]`;
    if (this.#unfinished > 0) text += ` tasks=${this.#unfinished}`;
    return `${text}>`;
  }

  /**
   * Stores `item` (the order hook: FIFO here). Subclasses override it together with
   * {@link getItem} and {@link qsize}.
   *
   * @see Tornado `Queue._put`
   */
  protected putItem(item: T): void {
    this.#items.push(item);
  }

  /**
   * Removes and returns the next stored item; called only while `qsize() > 0`.
   *
   * @see Tornado `Queue._get`
   */
  protected getItem(): T {
    const item = this.#items[this.#head] as T;
    this.#items[this.#head] = undefined;
    this.#head++;
    if (this.#head === this.#items.length) {
      this.#items = [];
      this.#head = 0;
    } else if (this.#head >= 1024 && this.#head * 2 >= this.#items.length) {
      // Drop the consumed prefix once it is most of the array, keeping gets O(1) amortized.
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    return item;
  }

  #store(item: T): void {
    // Count the item only once the storage accepted it (a PriorityQueue may refuse it).
    this.putItem(item);
    this.#unfinished++;
  }

  #tryPut(item: T): boolean {
    if (this.#getters.first() !== undefined) {
      // Getters wait only while the queue is empty: the item goes straight through, but it is
      // stored and taken so that a subclass's order and the task count stay right.
      this.#store(item);
      this.#getters.shift()!.future.setResult(this.getItem());
      return true;
    }
    if (this.full()) return false;
    this.#store(item);
    return true;
  }

  #tryGet(): T | typeof NOTHING {
    const putter = this.#putters.first();
    if (putter !== undefined) {
      // Putters wait only while the queue is full: the first one's item goes in as one leaves.
      this.#store(putter.data);
      this.#putters.shift()!.future.setResult(undefined);
      return this.getItem();
    }
    if (this.qsize() > 0) return this.getItem();
    return NOTHING;
  }
}
