/**
 * The writing side of an HTTP1Connection: one outgoing message's framing state (chunked or
 * counted against Content-Length) and its writes to the stream.
 */
import { Future, futureAddDoneCallback } from '@tronada/ioloop';
import type { BaseIOStream } from '@tronada/iostream';
import { StreamClosedError } from '@tronada/iostream';
import { HTTPOutputError } from './errors.js';
import type { OutgoingHead } from './http1-answer-framing.js';
import { CRLF, chunkPrefix, encodeMessage, formatChunk, formatLastChunk } from './http1-writer.js';

/**
 * Body pieces from this size on are handed to the stream as they are, after the head or around
 * their chunk framing, instead of being copied into one buffer with it.
 */
const UNCOPIED_PIECE = 64 * 1024;

/** Marks a write's failure as seen: a failed write means the peer left, which closes us. */
function observeWrite(future: Future<void>): void {
  future.exception();
}

/**
 * Writes one outgoing message at a time to `stream`. Guarantees: a body never goes past the
 * declared Content-Length (the stream closes and {@link HTTPOutputError} is thrown), and a
 * write to a closed stream fails quietly (its Future is rejected but already observed).
 */
export class HTTP1Output {
  readonly #stream: BaseIOStream;
  #headersWritten = false;
  #writeFinished = false;
  #flushed = false;
  #chunking = false;
  #expectedRemaining: number | undefined = undefined;
  #pendingWrite: Future<void> | null = null;

  constructor(stream: BaseIOStream) {
    this.#stream = stream;
  }

  /** True once the head of the current message was written. */
  get headersWritten(): boolean {
    return this.#headersWritten;
  }

  /** True once the current message was ended. */
  get writeFinished(): boolean {
    return this.#writeFinished;
  }

  /** True once everything of the ended message was flushed. */
  get flushed(): boolean {
    return this.#flushed;
  }

  /** The last write's Future (resolved when nothing was written). */
  get pending(): Future<void> {
    return this.#pendingWrite ?? Future.resolved(undefined);
  }

  /** Forgets the previous message: the next one starts. */
  reset(): void {
    this.#headersWritten = false;
    this.#writeFinished = false;
    this.#flushed = false;
    this.#chunking = false;
    this.#expectedRemaining = undefined;
    this.#pendingWrite = null;
  }

  /**
   * Writes `framed`'s head and `chunk` (as the body's first piece): in one write, unless the
   * piece is large enough to go out uncopied after the head.
   */
  writeHead(framed: OutgoingHead, chunk: Uint8Array | undefined): Future<void> {
    this.#chunking = framed.chunked;
    this.#expectedRemaining = framed.expectedLength;
    this.#headersWritten = true;
    if (chunk === undefined || chunk.length === 0) {
      return this.#write(encodeMessage(framed.text, undefined));
    }
    if (chunk.length >= UNCOPIED_PIECE) {
      this.#count(chunk);
      this.#write(encodeMessage(framed.text, undefined));
      return this.#writeUncopied(chunk);
    }
    return this.#write(encodeMessage(framed.text, this.#formatBody(chunk)));
  }

  /** Writes a body piece (see `HTTP1Connection.write`). */
  writeBody(chunk: Uint8Array): Future<void> {
    if (this.#writeFinished) {
      throw new HTTPOutputError('write() after finish(): the message is complete');
    }
    if (chunk.length >= UNCOPIED_PIECE) {
      this.#count(chunk);
      return this.#writeUncopied(chunk);
    }
    return this.#write(this.#formatBody(chunk));
  }

  // A large piece: its chunk framing (when chunked) written around it, the bytes themselves
  // handed to the stream as they are.
  #writeUncopied(piece: Uint8Array): Future<void> {
    if (!this.#chunking) return this.#write(piece);
    this.#write(chunkPrefix(piece.length));
    this.#write(piece);
    return this.#write(CRLF);
  }

  /**
   * Ends the message: checks the declared length was met (else closes the stream and throws
   * {@link HTTPOutputError}) and writes the last chunk of a chunked body.
   */
  end(): void {
    const remaining = this.#expectedRemaining;
    if (remaining !== undefined && remaining !== 0 && !this.#stream.closed()) {
      this.#stream.close();
      throw new HTTPOutputError(`Tried to write ${remaining} bytes less than Content-Length`);
    }
    if (this.#chunking && !this.#stream.closed()) this.#write(formatLastChunk());
    this.#writeFinished = true;
  }

  /** Records that the ended message was flushed. */
  markFlushed(): void {
    this.#flushed = true;
  }

  #formatBody(chunk: Uint8Array): Uint8Array {
    this.#count(chunk);
    return this.#chunking ? formatChunk(chunk) : chunk;
  }

  /** Counts `chunk` against the declared Content-Length (closing and throwing past it). */
  #count(chunk: Uint8Array): void {
    if (this.#expectedRemaining === undefined) return;
    this.#expectedRemaining -= chunk.length;
    if (this.#expectedRemaining < 0) {
      this.#stream.close();
      throw new HTTPOutputError('Tried to write more data than Content-Length');
    }
  }

  #write(data: Uint8Array): Future<void> {
    if (this.#stream.closed()) {
      const failed = Future.rejected<void>(new StreamClosedError());
      // Observed here: a caller may ignore it, and the close is reported elsewhere (Tornado).
      failed.exception();
      this.#pendingWrite = failed;
      return failed;
    }
    const future = this.#stream.write(data);
    if (!future.done()) futureAddDoneCallback(future, observeWrite);
    this.#pendingWrite = future;
    return future;
  }
}
