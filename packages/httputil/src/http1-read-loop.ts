/**
 * The reading side of an HTTP1Connection: binds the push parser to the stream with flow
 * control.
 *
 * The stream is read with `readChunk` (a partial read that hands the bytes to this loop, with no
 * Future per read), so bytes are never copied twice, and every read is pushed into the parser,
 * which calls the connection. A callback result that is a promise pauses the parser; a paused parser reads nothing more from the stream, so the
 * kernel pushes back on the peer. Only one read is in flight at a time.
 */
import { type IOLoop, isThenable } from '@tronada/ioloop';
import type { BaseIOStream, ChunkReceiver } from '@tronada/iostream';
import type { HTTP1ConnectionParameters } from './http1-connection-parameters.js';
import type { HTTP1Parser } from './http1-parser.js';
import { HTTP1Timers } from './http1-timers.js';

const READ_SIZE = 64 * 1024;

/**
 * Feeds the connection's parser from `stream` while the connection reads a message and the
 * parser wants bytes, under the read timeouts it extends. Abstract: the connection's hooks
 * object extends it and answers what the loop asks (one object per connection serves all).
 */
export abstract class HTTP1ReadLoop extends HTTP1Timers implements ChunkReceiver {
  readonly #stream: BaseIOStream;
  #reading = false;

  constructor(stream: BaseIOStream, loop: IOLoop, params: HTTP1ConnectionParameters) {
    super(loop, params);
    this.#stream = stream;
  }

  /** True while a message is being read (an exchange is in progress). */
  abstract inExchange(): boolean;
  /** True once the connection closed. */
  abstract closed(): boolean;
  /** Reading failed: rejected input, a failing delegate, or a failed read. */
  abstract readFailed(error: unknown): void;
  /** The parser, made if there is none (bytes arrived). */
  abstract parser(): HTTP1Parser;
  /** The parser, or null while there is none (nothing of a message received yet). */
  abstract currentParser(): HTTP1Parser | null;
  /** True when the stream closed while the message had a step in flight. */
  abstract closeDeferred(): boolean;
  /** Ends the exchange of a stream that closed meanwhile, once nothing is in flight. */
  abstract applyDeferredClose(): void;

  /** Starts a read unless one is in flight or the parser wants nothing now. */
  pump(): void {
    if (this.#reading || !this.inExchange() || this.closed()) return;
    const parser = this.currentParser();
    if (parser !== null && (parser.paused || parser.state === 'done' || parser.state === 'error')) {
      return;
    }
    if (this.#stream.closed() && this.#stream.readBufferSize === 0) {
      // Nothing more will come (the close may not have been reported yet).
      this.#endAtClose(parser);
      return;
    }
    this.#reading = true;
    try {
      this.#stream.readChunk(READ_SIZE, this);
    } catch (error) {
      this.#reading = false;
      this.readFailed(error);
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

  /**
   * Unpauses the parser (feeding it what it holds) and reads on; when the stream closed
   * meanwhile, ends the exchange instead once the parser is done with what it holds.
   */
  resume(): void {
    if (!this.inExchange() || this.closed()) return;
    try {
      this.currentParser()?.resume();
    } catch (error) {
      this.readFailed(error);
      return;
    }
    if (this.closeDeferred()) this.applyDeferredClose();
    else this.pump();
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
    this.parser().pause();
    result.then(
      () => {
        if (!this.inExchange()) return;
        then?.();
        this.resume();
      },
      (error: unknown) => this.readFailed(error),
    );
  }

  /** The stream closed. A response read until close ends here; anything else waits for the close callback. */
  chunkReadFailed(): void {
    if (!this.#reading) return; // abandoned by stop()
    this.#reading = false;
    const parser = this.currentParser();
    if (parser !== null && !parser.paused) this.#endAtClose(parser);
  }

  /**
   * The stream ended: a body read until the close is complete now; any other unfinished
   * message is left to the connection's close handling.
   */
  #endAtClose(parser: HTTP1Parser | null): void {
    if (parser === null || parser.state !== 'body-until-close') return;
    try {
      parser.end();
    } catch (error) {
      this.readFailed(error);
    }
  }

  /** Bytes arrived: into the parser, then read on. */
  chunkRead(chunk: Buffer): void {
    this.#reading = false;
    this.bytesArrived();
    try {
      this.parser().push(chunk);
    } catch (error) {
      this.readFailed(error);
      return;
    }
    this.pump();
  }
}
