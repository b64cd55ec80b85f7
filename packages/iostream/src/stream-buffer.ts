/**
 * StreamBuffer: the read buffer of a stream, a queue of byte chunks.
 *
 * Algorithm. Chunks are kept as they arrive (no copy on append) in a ring buffer (`Fifo`), the
 * first `#offset` bytes of the oldest chunk are already consumed, and `#size` counts what
 * remains. Consuming bytes that lie in one chunk returns a view of it (no copy); a span across
 * chunks is copied once into a new Buffer. Appends and consumes are O(1); an empty buffer holds
 * no ring (it is made again by the next append), so an idle stream carries none.
 *
 * `indexOf` finds a delimiter across chunk boundaries without joining chunks: inside a chunk it
 * uses `Buffer.indexOf` (native, fast), and at each boundary it checks only the `needle.length -
 * 1` start positions whose match would straddle it. Callers that search again after more data
 * arrived pass `from` = the old size minus `needle.length - 1`, so every byte is scanned a
 * bounded number of times however the data was chunked (Tornado rescans from the start).
 *
 * @see Tornado `tornado.iostream._StreamBuffer` (its write buffer; Tornado reads into a bytearray)
 */

import { Fifo } from './internal/fifo.js';

const EMPTY = Buffer.alloc(0);
/** The chunk queue of every empty buffer (never pushed into): an idle stream holds no ring. */
const NO_CHUNKS = new Fifo<Buffer>();

function asBuffer(chunk: Uint8Array): Buffer {
  return Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
}

/**
 * A FIFO of bytes stored as the chunks they arrived in, with zero-copy append, peek and consume,
 * and delimiter search across chunk boundaries.
 */
export class StreamBuffer {
  #chunks = NO_CHUNKS;
  #offset = 0;
  #size = 0;

  /** Bytes held. */
  get size(): number {
    return this.#size;
  }

  /** Number of chunks holding the data (an implementation detail exposed for tests). */
  get chunkCount(): number {
    return this.#chunks.length;
  }

  /**
   * Appends `chunk` without copying it: the caller must not modify it afterwards. Empty chunks
   * are ignored.
   */
  append(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    if (this.#chunks === NO_CHUNKS) this.#chunks = new Fifo<Buffer>();
    this.#chunks.push(asBuffer(chunk));
    this.#size += chunk.length;
  }

  /** A view of at most `size` bytes at the front (fewer when the first chunk is shorter). */
  peek(size: number): Buffer {
    if (this.#size === 0 || size <= 0) return EMPTY;
    const first = this.#chunks.peek()!;
    return first.subarray(this.#offset, Math.min(first.length, this.#offset + size));
  }

  /** Drops `n` bytes from the front. Throws a RangeError when fewer are held. */
  advance(n: number): void {
    if (n > this.#size || n < 0) {
      throw new RangeError(`cannot advance ${n} bytes: the buffer holds ${this.#size}`);
    }
    this.#size -= n;
    let left = n;
    while (left > 0) {
      const first = this.#chunks.peek()!;
      const avail = first.length - this.#offset;
      if (left < avail) {
        this.#offset += left;
        return;
      }
      left -= avail;
      StreamBuffer.#dropHead(this);
    }
  }

  /**
   * Removes the first `n` bytes and returns them: a view of the head chunk when they lie in it,
   * else a new Buffer. Throws a RangeError when fewer are held.
   */
  consume(n: number): Buffer {
    if (n === 0) return EMPTY;
    if (n > this.#size || n < 0) {
      throw new RangeError(`cannot consume ${n} bytes: the buffer holds ${this.#size}`);
    }
    const first = this.#chunks.peek()!;
    const offset = this.#offset;
    if (offset + n <= first.length) {
      const view = offset === 0 && n === first.length ? first : first.subarray(offset, offset + n);
      this.advance(n);
      return view;
    }
    const out = Buffer.allocUnsafe(n);
    this.copyOut(out, 0, n);
    return out;
  }

  /** Removes every byte held and returns them (see {@link consume}). */
  consumeAll(): Buffer {
    return this.consume(this.#size);
  }

  /** Moves the first `n` bytes into `target` at `targetOffset` and drops them. */
  copyOut(target: Uint8Array, targetOffset: number, n: number): void {
    if (n > this.#size || n < 0) {
      throw new RangeError(`cannot copy ${n} bytes: the buffer holds ${this.#size}`);
    }
    this.#size -= n;
    let at = targetOffset;
    let left = n;
    while (left > 0) {
      const first = this.#chunks.peek()!;
      const take = Math.min(left, first.length - this.#offset);
      first.copy(target, at, this.#offset, this.#offset + take);
      at += take;
      left -= take;
      if (this.#offset + take === first.length) StreamBuffer.#dropHead(this);
      else this.#offset += take;
    }
  }

  /**
   * Position (from the front) of the first occurrence of `needle` that starts at or after
   * `from`, or -1. An empty needle is found at `from`.
   */
  indexOf(needle: Uint8Array, from = 0): number {
    const dlen = needle.length;
    const start = Math.max(0, from);
    if (dlen === 0) return start <= this.#size ? start : -1;
    if (start + dlen > this.#size) return -1;
    let pos = 0;
    for (let i = 0; i < this.#chunks.length; i++) {
      const chunk = this.#chunks.at(i)!;
      const begin = i === 0 ? this.#offset : 0;
      const len = chunk.length - begin;
      const end = pos + len;
      if (start < end) {
        const found = chunk.indexOf(needle, begin + Math.max(0, start - pos));
        if (found >= 0) return pos + found - begin;
        // Matches that begin in this chunk but end in a later one.
        for (let p = Math.max(start, end - dlen + 1); p < end; p++) {
          if (StreamBuffer.#matchesAt(this, needle, i, begin + (p - pos))) return p;
        }
      }
      pos = end;
    }
    return -1;
  }

  /** The bytes in `[from, to)` (default: all) as a latin1 string, one character per byte. */
  latin1(from = 0, to = this.#size): string {
    const stop = Math.min(to, this.#size);
    let text = '';
    let pos = 0;
    for (let i = 0; i < this.#chunks.length && pos < stop; i++) {
      const chunk = this.#chunks.at(i)!;
      const begin = i === 0 ? this.#offset : 0;
      const end = pos + chunk.length - begin;
      if (from < end) {
        const a = begin + Math.max(0, from - pos);
        const b = begin + (Math.min(stop, end) - pos);
        text += chunk.toString('latin1', a, b);
      }
      pos = end;
    }
    return text;
  }

  /** Drops everything. */
  clear(): void {
    this.#chunks = NO_CHUNKS;
    this.#offset = 0;
    this.#size = 0;
  }

  // Private methods here are static: a class with instance ones gives each instance a slot more.
  static #matchesAt(
    buffer: StreamBuffer,
    needle: Uint8Array,
    chunkIndex: number,
    at: number,
  ): boolean {
    const chunks = buffer.#chunks;
    let i = chunkIndex;
    let chunk = chunks.at(i)!;
    let j = at;
    for (let k = 0; k < needle.length; k++) {
      while (j >= chunk.length) {
        i++;
        if (i >= chunks.length) return false;
        chunk = chunks.at(i)!;
        j = 0;
      }
      if (chunk[j] !== needle[k]) return false;
      j++;
    }
    return true;
  }

  static #dropHead(buffer: StreamBuffer): void {
    buffer.#chunks.shift();
    if (buffer.#chunks.length === 0) buffer.#chunks = NO_CHUNKS;
    buffer.#offset = 0;
  }
}
