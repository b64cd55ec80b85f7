/**
 * ChunkReceiver: the consumer of a Future-less read (`BaseIOStream.readChunk`).
 */
import type { StreamClosedError } from './errors.js';

/**
 * Receives what `BaseIOStream.readChunk` reads: a protocol's read loop implements it once and
 * reads with it again and again, without a Future (or a callback closure) per read.
 */
export interface ChunkReceiver {
  /** Bytes arrived: at least one, at most the number asked for. */
  chunkRead(chunk: Buffer): void;
  /** The stream closed with nothing (more) to read. */
  chunkReadFailed(error: StreamClosedError): void;
}
