/**
 * DelayGroups: the fast path of the timer queue, after Node's own timer lists. Timers scheduled
 * with the same relative delay on a clock that does not go backwards are due in the order they
 * were added, so each delay gets a FIFO array and only the groups' heads need ordering: a
 * small min-heap of groups keyed by `(head deadline, head insertion number)`. Adding a timer is
 * an array push; taking the earliest is O(log groups). Servers use a few fixed delays (idle,
 * keep-alive and request timeouts), so groups are few and long.
 */
import type { TimerEntry } from './timer-queue.js';

interface Group {
  readonly delay: number;
  entries: TimerEntry[];
  head: number;
  /** Index in the group heap, or -1 when empty (not in the heap). */
  slot: number;
}

function before(a: Group, b: Group): boolean {
  const x = a.entries[a.head]!;
  const y = b.entries[b.head]!;
  return x.deadline < y.deadline || (x.deadline === y.deadline && x.seq < y.seq);
}

/** Timers grouped by their relative delay. */
export class DelayGroups {
  #byDelay = new Map<number, Group>();
  #heap: Group[] = [];

  /**
   * Appends `entry` to its delay's group. Returns false (and keeps nothing) when that would break
   * the group's order, i.e. the clock went backwards; the caller then uses the general heap.
   */
  add(entry: TimerEntry, delay: number): boolean {
    let group = this.#byDelay.get(delay);
    if (group === undefined) {
      group = { delay, entries: [], head: 0, slot: -1 };
      this.#byDelay.set(delay, group);
    } else if (
      group.head < group.entries.length &&
      group.entries[group.entries.length - 1]!.deadline > entry.deadline
    ) {
      return false;
    }
    group.entries.push(entry);
    if (group.slot === -1) this.#insert(group);
    return true;
  }

  /** The earliest timer (possibly a cancelled one), or `undefined` when empty. */
  peek(): TimerEntry | undefined {
    const group = this.#heap[0];
    return group === undefined ? undefined : group.entries[group.head];
  }

  /** Removes the timer {@link peek} returned. */
  shift(): void {
    const group = this.#heap[0]!;
    group.entries[group.head]!.queued = false;
    this.#advance(group);
  }

  /**
   * Drops cancelled timers from every group (they are only marked until then); returns how many
   * were dropped.
   */
  compact(): number {
    let dropped = 0;
    for (const group of this.#heap) {
      const live = group.entries.slice(group.head).filter((e) => {
        if (e.cancelled) {
          e.queued = false;
          dropped++;
        }
        return !e.cancelled;
      });
      group.entries = live;
      group.head = 0;
    }
    const groups = this.#heap.filter((g) => g.entries.length > 0);
    for (const g of this.#heap) {
      if (g.entries.length === 0) {
        g.slot = -1;
        this.#byDelay.delete(g.delay);
      }
    }
    this.#heap = [];
    for (const g of groups) {
      g.slot = -1;
      this.#insert(g);
    }
    return dropped;
  }

  /** Forgets every timer. */
  clear(): void {
    for (const g of this.#heap)
      for (let i = g.head; i < g.entries.length; i++) g.entries[i]!.queued = false;
    this.#byDelay.clear();
    this.#heap = [];
  }

  /** Moves a group's head past one timer and restores heap order (or drops the empty group). */
  #advance(group: Group): void {
    group.head++;
    if (group.head === group.entries.length) {
      this.#removeTop();
      group.entries = [];
      group.head = 0;
      group.slot = -1;
      this.#byDelay.delete(group.delay);
      return;
    }
    // Reclaim the consumed prefix now and then instead of shifting on every pop.
    if (group.head >= 1024 && group.head * 2 >= group.entries.length) {
      group.entries = group.entries.slice(group.head);
      group.head = 0;
    }
    this.#down(group.slot);
  }

  #insert(group: Group): void {
    group.slot = this.#heap.length;
    this.#heap.push(group);
    this.#up(group.slot);
  }

  #removeTop(): void {
    const heap = this.#heap;
    const last = heap.pop()!;
    if (heap.length === 0) return;
    heap[0] = last;
    last.slot = 0;
    this.#down(0);
  }

  #up(i: number): void {
    const heap = this.#heap;
    const group = heap[i]!;
    while (i > 0) {
      const parentIndex = (i - 1) >> 1;
      const parent = heap[parentIndex]!;
      if (!before(group, parent)) break;
      heap[i] = parent;
      parent.slot = i;
      i = parentIndex;
    }
    heap[i] = group;
    group.slot = i;
  }

  #down(i: number): void {
    const heap = this.#heap;
    const n = heap.length;
    const group = heap[i]!;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      const child = right < n && before(heap[right]!, heap[left]!) ? right : left;
      if (!before(heap[child]!, group)) break;
      heap[i] = heap[child]!;
      heap[i]!.slot = i;
      i = child;
    }
    heap[i] = group;
    group.slot = i;
  }
}
