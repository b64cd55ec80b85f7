/**
 * StreamLimits: the size limits of a stream, shared by streams made with the same ones.
 */

/** A stream's read buffer limit, read-ahead threshold and write buffer limit. */
export class StreamLimits {
  readonly maxBufferSize: number;
  readonly readChunkSize: number;
  readonly maxWriteBufferSize: number | null;

  private constructor(
    maxBufferSize: number,
    readChunkSize: number,
    maxWriteBufferSize: number | null,
  ) {
    this.maxBufferSize = maxBufferSize;
    this.readChunkSize = readChunkSize;
    this.maxWriteBufferSize = maxWriteBufferSize;
  }

  // The limits made last: the streams of one server are made one after another with the same
  // options, so they all share one object instead of carrying three fields each.
  static #last = new StreamLimits(0, 0, null);

  /** Limits with these values (the same object as for the previous stream when equal). */
  static of(
    maxBufferSize: number,
    readChunkSize: number,
    maxWriteBufferSize: number | null,
  ): StreamLimits {
    const last = StreamLimits.#last;
    if (
      last.maxBufferSize === maxBufferSize &&
      last.readChunkSize === readChunkSize &&
      last.maxWriteBufferSize === maxWriteBufferSize
    ) {
      return last;
    }
    StreamLimits.#last = new StreamLimits(maxBufferSize, readChunkSize, maxWriteBufferSize);
    return StreamLimits.#last;
  }
}
