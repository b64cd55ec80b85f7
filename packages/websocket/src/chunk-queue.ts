/**
 * The bytes a push parser has received but not consumed: the pushed chunks, kept as views (no
 * copy on push), with a read offset into the first one. Reading across chunk boundaries copies
 * only what it returns, so parsing stays linear however the input is split.
 */
import { applyMask } from './mask.js';

const EMPTY = Buffer.alloc(0);

export class ChunkQueue {
  #chunks: Buffer[] = [];
  #head = 0;
  #offset = 0;
  #length = 0;

  /** Bytes available. */
  get length(): number {
    return this.#length;
  }

  /** Appends `chunk` (kept by reference: do not modify it afterwards). */
  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    this.#chunks.push(
      Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length),
    );
    this.#length += chunk.length;
  }

  /** The byte at `index` from the read position; `index` must be below {@link length}. */
  peek(index: number): number {
    let i = index + this.#offset;
    for (let c = this.#head; ; c++) {
      const chunk = this.#chunks[c]!;
      if (i < chunk.length) return chunk[i]!;
      i -= chunk.length;
    }
  }

  /**
   * Consumes and returns up to `max` bytes from the first chunk (a view, no copy); empty when
   * nothing is buffered.
   */
  takeSome(max: number): Buffer {
    const chunk = this.#chunks[this.#head];
    if (chunk === undefined || max <= 0) return EMPTY;
    const n = Math.min(max, chunk.length - this.#offset);
    const out = chunk.subarray(this.#offset, this.#offset + n);
    this.#advance(n, chunk);
    return out;
  }

  /** Consumes `n` bytes (`n` ≤ {@link length}) without returning them. */
  skip(n: number): void {
    let left = n;
    while (left > 0) {
      const chunk = this.#chunks[this.#head]!;
      const step = Math.min(left, chunk.length - this.#offset);
      this.#advance(step, chunk);
      left -= step;
    }
  }

  /**
   * Consumes `n` bytes (`n` ≤ {@link length}) into `target` at `targetStart`, XORed with `mask`
   * from `maskOffset` when a mask is given. Returns the mask offset after the last byte. Copies
   * straight from the chunks, creating no intermediate views.
   */
  consumeInto(
    target: Uint8Array,
    targetStart: number,
    n: number,
    mask?: Uint8Array,
    maskOffset = 0,
  ): number {
    let left = n;
    let at = targetStart;
    let m = maskOffset;
    while (left > 0) {
      const chunk = this.#chunks[this.#head]!;
      const step = Math.min(left, chunk.length - this.#offset);
      if (mask === undefined) chunk.copy(target, at, this.#offset, this.#offset + step);
      else m = applyMask(chunk, this.#offset, target, at, step, mask, m);
      this.#advance(step, chunk);
      at += step;
      left -= step;
    }
    return m;
  }

  /** Drops everything. */
  clear(): void {
    this.#chunks = [];
    this.#head = 0;
    this.#offset = 0;
    this.#length = 0;
  }

  #advance(n: number, chunk: Buffer): void {
    this.#offset += n;
    this.#length -= n;
    if (this.#offset === chunk.length) {
      this.#head++;
      this.#offset = 0;
      // Compact now and then so the array does not grow with every chunk ever pushed.
      if (this.#head === this.#chunks.length) {
        this.#chunks = [];
        this.#head = 0;
      } else if (this.#head > 64 && this.#head * 2 > this.#chunks.length) {
        this.#chunks = this.#chunks.slice(this.#head);
        this.#head = 0;
      }
    }
  }
}
