/**
 * WriteQueues: what a stream remembers about writes that did not reach the kernel at once.
 */
import type { Future } from '@tronada/ioloop';
import { Fifo } from './fifo.js';

/** A write made before the stream had a transport, and the byte count it ends at. */
export interface UnsentWrite {
  readonly bytes: Uint8Array | string;
  readonly end: number;
}

/**
 * The queues of a stream's slower writes, made by the first write that needs one: most writes
 * reach the kernel at once and need none, so an idle connection carries one empty field instead
 * of four.
 */
export class WriteQueues {
  /** Writes made before a transport was attached, or null. */
  unsent: UnsentWrite[] | null = null;
  /** For each write the transport will call back about: the byte count it ends at. */
  readonly ends = new Fifo<number>();
  /** Futures of writes not yet flushed, with the byte count each waits for (parallel queues). */
  readonly futures = new Fifo<Future<void>>();
  readonly indexes = new Fifo<number>();
}
