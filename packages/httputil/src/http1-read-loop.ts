/**
 * The reading side of an HTTP1Connection: binds the push parser to the stream with flow
 * control.
 *
 * The stream is read with `readChunk` (a partial read that hands the bytes to this loop, with no
 * Future per read), so bytes are never copied twice, and every read is pushed into the parser,
 * which calls the connection. A callback result that
 * is a promise pauses the parser; a paused parser reads nothing more from the stream, so the
 * kernel pushes back on the peer. Only one read is in flight at a time.
 */
import { isThenable } from '@tronada/ioloop';
import type { BaseIOStream, ChunkReceiver } from '@tronada/iostream';
import type { HTTP1Parser } from './http1-parser.js';

const READ_SIZE = 64 * 1024;

/** What the read loop asks of its connection. */
export interface HTTP1ReadLoopHost {
  /** True while a message is being read (a `readResponse` Future is pending). */
  inExchange(): boolean;
  /** True once the connection closed. */
  closed(): boolean;
  /** Bytes arrived from the stream (before the parser sees them). */
  bytesArrived(): void;
  /** Reading failed: rejected input, a failing delegate, or a failed read. */
  readFailed(error: unknown): void;
  /** The parser, made if there is none (bytes arrived). */
  parser(): HTTP1Parser;
  /** The parser, or null while there is none (nothing of a message received yet). */
  currentParser(): HTTP1Parser | null;
}

/**
 * Feeds the host's parser from `stream` while the connection reads a message and the parser
 * wants bytes.
 */
export class HTTP1ReadLoop implements ChunkReceiver {
  readonly #stream: BaseIOStream;
  readonly #host: HTTP1ReadLoopHost;
  #reading = false;

  constructor(stream: BaseIOStream, host: HTTP1ReadLoopHost) {
    this.#stream = stream;
    this.#host = host;
  }

  /** Starts a read unless one is in flight or the parser wants nothing now. */
  pump(): void {
    if (this.#reading || !this.#host.inExchange() || this.#host.closed()) return;
    const parser = this.#host.currentParser();
    if (parser !== null && (parser.paused || parser.state === 'done' || parser.state === 'error')) {
      return;
    }
    this.#reading = true;
    try {
      this.#stream.readChunk(READ_SIZE, this);
    } catch (error) {
      this.#reading = false;
      this.#host.readFailed(error);
    }
  }

  /**
   * Abandons a read in flight (the connection is detached): bytes not yet read stay in the
   * stream for its next owner.
   */
  stop(): void {
    if (!this.#reading) return;
    this.#reading = false;
    this.#stream.cancelChunkRead(this);
  }

  /** Unpauses the parser (feeding it what it holds) and reads on. */
  resume(): void {
    if (!this.#host.inExchange() || this.#host.closed()) return;
    try {
      this.#host.currentParser()?.resume();
    } catch (error) {
      this.#host.readFailed(error);
      return;
    }
    this.pump();
  }

  /**
   * Runs `then` after `result`: at once if it is not a promise, else with the parser paused
   * until it settles (a rejection fails the read).
   */
  flow(result: unknown, then?: () => void): void {
    if (!isThenable(result)) {
      then?.();
      return;
    }
    this.#host.parser().pause();
    result.then(
      () => {
        if (!this.#host.inExchange()) return;
        then?.();
        this.resume();
      },
      (error: unknown) => this.#host.readFailed(error),
    );
  }

  /** The stream closed. A response read until close ends here; anything else waits for the close callback. */
  chunkReadFailed(): void {
    if (!this.#reading) return; // abandoned by stop()
    this.#reading = false;
    const parser = this.#host.currentParser();
    if (parser !== null && parser.state === 'body-until-close' && !parser.paused) {
      try {
        parser.end();
      } catch (error) {
        this.#host.readFailed(error);
      }
    }
  }

  /** Bytes arrived: into the parser, then read on. */
  chunkRead(chunk: Buffer): void {
    this.#reading = false;
    this.#host.bytesArrived();
    try {
      this.#host.parser().push(chunk);
    } catch (error) {
      this.#host.readFailed(error);
      return;
    }
    this.pump();
  }
}
