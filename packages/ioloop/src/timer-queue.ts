/**
 * TimerQueue: the loop's timers, ordered by `(deadline, insertion order)` so that timers with
 * equal deadlines come out in the order they were added. Pure: no clock, no I/O.
 *
 * A binary min-heap with lazy removal (as asyncio does): removing a timer only marks it, and a
 * marked timer is dropped when it reaches the top. The sort keys (deadline, insertion number)
 * live in two contiguous Float64Arrays beside the entry array, so sifting compares numbers in
 * adjacent memory instead of chasing an object per comparison; entries do not track their
 * position. When removed timers outnumber live ones (a server that keeps re-arming long
 * timeouts), the heap is rebuilt without them, so they cannot accumulate.
 */

/** One scheduled timer; also the opaque handle `IOLoop.callLater` returns. */
export class TimerEntry {
  /** When the timer is due, in loop seconds. */
  readonly deadline: number;
  /** @internal insertion counter that breaks deadline ties. */
  readonly seq: number;
  /** @internal what to run. */
  readonly callback: () => void;
  /** @internal true once removed. */
  cancelled = false;
  /** @internal true while the timer waits in the queue. */
  queued = true;

  constructor(deadline: number, seq: number, callback: () => void) {
    this.deadline = deadline;
    this.seq = seq;
    this.callback = callback;
  }
}

import { DelayGroups } from './delay-groups.js';

/** Removed timers kept before a rebuild is considered. */
const REBUILD_MIN = 512;
const INITIAL_CAPACITY = 64;

/** The timer queue behind `callAt`/`callLater`/`removeTimeout`. */
export class TimerQueue {
  #deadlines = new Float64Array(INITIAL_CAPACITY);
  #seqs = new Float64Array(INITIAL_CAPACITY);
  #entries: Array<TimerEntry | undefined> = [];
  #length = 0;
  #grouped = 0;
  #cancelled = 0;
  #seq = 0;
  readonly #groups = new DelayGroups();

  /** Number of timers waiting (removed ones not counted). */
  get size(): number {
    return this.#length + this.#grouped - this.#cancelled;
  }

  /** The next insertion number: every timer pushed from now on has a `seq` at least this. */
  get nextSeq(): number {
    return this.#seq;
  }

  /**
   * Adds a timer and returns its entry (the removal handle). Pass the relative `delay` it was
   * scheduled with, when there is one, to use the per-delay fast path.
   */
  push(deadline: number, callback: () => void, delay?: number): TimerEntry {
    const seq = this.#seq++;
    const entry = new TimerEntry(deadline, seq, callback);
    if (delay !== undefined && this.#groups.add(entry, delay)) {
      this.#grouped++;
      return entry;
    }
    if (this.#length === this.#deadlines.length) this.#grow();
    this.#siftUp(this.#length++, deadline, seq, entry);
    return entry;
  }

  /**
   * Marks a timer removed. Returns true if it was waiting; false if it already fired or was
   * removed. Either way it will not run afterwards.
   */
  remove(entry: TimerEntry): boolean {
    const waiting = entry.queued && !entry.cancelled;
    entry.cancelled = true;
    if (!waiting) return false;
    this.#cancelled++;
    if (this.#cancelled > REBUILD_MIN && this.#cancelled * 2 > this.#length + this.#grouped)
      this.#rebuild();
    return true;
  }

  /** The earliest deadline, or `undefined` when empty. */
  nextDeadline(): number | undefined {
    this.#dropCancelledTop();
    const grouped = this.#peekGroups();
    if (this.#length === 0) return grouped?.deadline;
    const d = this.#deadlines[0]!;
    return grouped !== undefined && grouped.deadline < d ? grouped.deadline : d;
  }

  /**
   * Removes and returns the earliest timer if it is due at `now` and was added before insertion
   * number `beforeSeq`; otherwise `undefined`.
   */
  popDue(now: number, beforeSeq = Number.POSITIVE_INFINITY): TimerEntry | undefined {
    this.#dropCancelledTop();
    const grouped = this.#peekGroups();
    if (
      grouped !== undefined &&
      (this.#length === 0 ||
        grouped.deadline < this.#deadlines[0]! ||
        (grouped.deadline === this.#deadlines[0]! && grouped.seq < this.#seqs[0]!))
    ) {
      if (grouped.deadline > now || grouped.seq >= beforeSeq) return undefined;
      this.#groups.shift();
      this.#grouped--;
      return grouped;
    }
    if (this.#length === 0 || this.#deadlines[0]! > now || this.#seqs[0]! >= beforeSeq)
      return undefined;
    return this.#popTop();
  }

  /** Removes every timer. */
  clear(): void {
    for (let i = 0; i < this.#length; i++) this.#entries[i]!.queued = false;
    this.#entries = [];
    this.#length = 0;
    this.#groups.clear();
    this.#grouped = 0;
    this.#cancelled = 0;
  }

  /** The earliest grouped timer; cancelled heads met on the way are dropped and uncounted. */
  #peekGroups(): TimerEntry | undefined {
    for (;;) {
      const entry = this.#groups.peek();
      if (entry === undefined || !entry.cancelled) return entry;
      this.#groups.shift();
      this.#grouped--;
      this.#cancelled--;
    }
  }

  #dropCancelledTop(): void {
    while (this.#length > 0 && this.#entries[0]!.cancelled) {
      this.#popTop();
      this.#cancelled--;
    }
  }

  #popTop(): TimerEntry {
    const entries = this.#entries;
    const top = entries[0]!;
    top.queued = false;
    const n = --this.#length;
    const last = entries[n]!;
    entries[n] = undefined;
    if (n > 0) this.#siftDown(0, this.#deadlines[n]!, this.#seqs[n]!, last, n);
    return top;
  }

  #siftUp(i: number, deadline: number, seq: number, entry: TimerEntry): void {
    const deadlines = this.#deadlines;
    const seqs = this.#seqs;
    const entries = this.#entries;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pd = deadlines[parent]!;
      if (pd < deadline || (pd === deadline && seqs[parent]! < seq)) break;
      deadlines[i] = pd;
      seqs[i] = seqs[parent]!;
      entries[i] = entries[parent];
      i = parent;
    }
    deadlines[i] = deadline;
    seqs[i] = seq;
    entries[i] = entry;
  }

  /** Places the timer `(deadline, seq, entry)` at or below slot `i` of `n` in heap order. */
  #siftDown(i: number, deadline: number, seq: number, entry: TimerEntry, n: number): void {
    const deadlines = this.#deadlines;
    const seqs = this.#seqs;
    const entries = this.#entries;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      let child = left;
      let cd = deadlines[left]!;
      const right = left + 1;
      if (right < n) {
        const rd = deadlines[right]!;
        if (rd < cd || (rd === cd && seqs[right]! < seqs[left]!)) {
          child = right;
          cd = rd;
        }
      }
      if (deadline < cd || (deadline === cd && seq < seqs[child]!)) break;
      deadlines[i] = cd;
      seqs[i] = seqs[child]!;
      entries[i] = entries[child];
      i = child;
    }
    deadlines[i] = deadline;
    seqs[i] = seq;
    entries[i] = entry;
  }

  #grow(): void {
    const deadlines = new Float64Array(this.#deadlines.length * 2);
    deadlines.set(this.#deadlines);
    this.#deadlines = deadlines;
    const seqs = new Float64Array(this.#seqs.length * 2);
    seqs.set(this.#seqs);
    this.#seqs = seqs;
  }

  #rebuild(): void {
    this.#grouped -= this.#groups.compact();
    const live: TimerEntry[] = [];
    for (let i = 0; i < this.#length; i++) {
      const e = this.#entries[i]!;
      if (e.cancelled) e.queued = false;
      else live.push(e);
    }
    this.#entries = [];
    this.#length = 0;
    this.#cancelled = 0;
    for (const e of live) this.#siftUp(this.#length++, e.deadline, e.seq, e);
  }
}
