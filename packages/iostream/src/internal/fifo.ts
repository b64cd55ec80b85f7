/**
 * A first-in first-out queue on a ring buffer: O(1) push and shift, and no reallocation while
 * the queue stays within its capacity (an array with `shift()` or `length = 0` resets would
 * reallocate on the hot paths of every read and write).
 */
export class Fifo<T> {
  // Empty until the first push: most queues of an idle connection never hold anything, and an
  // unused 8-slot ring would cost every one of them about 80 bytes.
  #items: (T | undefined)[] = [];
  #head = 0;
  #length = 0;

  /** Items queued. */
  get length(): number {
    return this.#length;
  }

  push(item: T): void {
    const items = this.#items;
    if (this.#length === items.length) this.#grow();
    this.#items[(this.#head + this.#length) & (this.#items.length - 1)] = item;
    this.#length++;
  }

  /** The oldest item, or `undefined` when empty. */
  peek(): T | undefined {
    return this.#length === 0 ? undefined : this.#items[this.#head];
  }

  /** Removes and returns the oldest item, or `undefined` when empty. */
  shift(): T | undefined {
    if (this.#length === 0) return undefined;
    const items = this.#items;
    const item = items[this.#head];
    items[this.#head] = undefined;
    this.#head = (this.#head + 1) & (items.length - 1);
    this.#length--;
    return item;
  }

  /** The item `i` places after the oldest (0 is the oldest); `undefined` past the end. */
  at(i: number): T | undefined {
    return i < this.#length ? this.#items[(this.#head + i) & (this.#items.length - 1)] : undefined;
  }

  /** Removes and returns every item, oldest first. */
  drain(): T[] {
    const out: T[] = [];
    while (this.#length > 0) out.push(this.shift() as T);
    return out;
  }

  #grow(): void {
    // Capacity stays a power of two so that wrapping is a mask.
    const old = this.#items;
    const next: (T | undefined)[] = new Array(Math.max(8, old.length * 2));
    for (let i = 0; i < this.#length; i++) next[i] = old[(this.#head + i) & (old.length - 1)];
    this.#items = next;
    this.#head = 0;
  }
}
