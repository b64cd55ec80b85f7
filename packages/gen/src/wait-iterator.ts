/**
 * WaitIterator: the results of several Futures in the order they finish, with the index (or
 * key) of the one that just finished. Use `while (!it.done()) { yield it.next() }` in a
 * coroutine, or `for await (const r of it)`.
 */
import { chainFuture, Future, futureAddDoneCallback, isThenable, toFuture } from '@tronada/ioloop';

/**
 * Iterates over Futures in completion order.
 *
 * @see Tornado `tornado.gen.WaitIterator`
 */
export class WaitIterator<T = unknown> implements AsyncIterable<T> {
  /** The index (array form) or key (record form) of the Future whose result came last. */
  currentIndex: number | string | null = null;
  /** The Future whose result came last. */
  currentFuture: Future<T> | null = null;
  /** Inputs not handed out yet; an entry per input, so a Future given twice answers twice. */
  #unfinished = 0;
  readonly #finished: Array<Entry<T>> = [];
  #running: Future<T> | null = null;

  /** `new WaitIterator(f1, f2)` or `new WaitIterator({ a: f1, b: f2 })`. */
  constructor(...futures: Array<Future<T> | PromiseLike<T>>);
  constructor(futures: Record<string, Future<T> | PromiseLike<T>>);
  constructor(...args: unknown[]) {
    const first = args[0];
    const record =
      args.length === 1 && !isThenable(first) && typeof first === 'object' && first !== null;
    const inputs: Array<[number | string, unknown]> = record
      ? Object.entries(first as Record<string, unknown>)
      : args.map((f, i) => [i, f]);
    const entries: Array<Entry<T>> = inputs.map(([key, value]) => {
      if (!isThenable(value)) {
        throw new TypeError(
          `WaitIterator takes Futures (or Promises) as arguments, or one record of them; got ${typeof value} at ${JSON.stringify(key)}`,
        );
      }
      return { key, future: toFuture(value as Future<T> | PromiseLike<T>) };
    });
    this.#unfinished = entries.length;
    for (const entry of entries) futureAddDoneCallback(entry.future, () => this.#onDone(entry));
  }

  /** True when every result has been handed out. */
  done(): boolean {
    if (this.#unfinished > 0) return false;
    this.currentIndex = null;
    this.currentFuture = null;
    return true;
  }

  /**
   * A Future of the next result to arrive (done at once if one already arrived). It is a new
   * Future, not one of the inputs: see {@link currentFuture} for that.
   */
  next(): Future<T> {
    this.#running = new Future<T>();
    const ready = this.#finished.shift();
    if (ready !== undefined) return this.#hand(ready);
    return this.#running;
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return {
      next: async (): Promise<IteratorResult<T>> => {
        if (this.done()) return { done: true, value: undefined };
        return { done: false, value: await this.next() };
      },
    };
  }

  #onDone(entry: Entry<T>): void {
    if (this.#running !== null && !this.#running.done()) this.#hand(entry);
    else this.#finished.push(entry);
  }

  #hand(entry: Entry<T>): Future<T> {
    const running = this.#running!;
    this.#running = null;
    this.#unfinished--;
    this.currentFuture = entry.future;
    this.currentIndex = entry.key;
    chainFuture(entry.future, running);
    return running;
  }
}

interface Entry<T> {
  readonly key: number | string;
  readonly future: Future<T>;
}
