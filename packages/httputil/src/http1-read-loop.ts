/**
 * The reading side of an HTTP1Connection: binds the push parser to the stream with flow
 * control.
 *
 * The stream is read with `readBytes(n, { partial: true })`, so bytes are never copied twice,
 * and every read is pushed into the parser, which calls the connection. A callback result that
 * is a promise pauses the parser; a paused parser reads nothing more from the stream, so the
 * kernel pushes back on the peer. Only one read is in flight at a time.
 */
import type { Future } from '@tronada/ioloop';
import { futureAddDoneCallback, isThenable } from '@tronada/ioloop';
import type { BaseIOStream } from '@tronada/iostream';
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
}

/** Feeds `parser` from `stream` while the connection reads a message and the parser wants bytes. */
export class HTTP1ReadLoop {
  readonly #stream: BaseIOStream;
  readonly #parser: HTTP1Parser;
  readonly #host: HTTP1ReadLoopHost;
  #reading = false;
  #read: Future<Buffer> | null = null;

  constructor(stream: BaseIOStream, parser: HTTP1Parser, host: HTTP1ReadLoopHost) {
    this.#stream = stream;
    this.#parser = parser;
    this.#host = host;
  }

  /** Starts a read unless one is in flight or the parser wants nothing now. */
  pump(): void {
    if (this.#reading || !this.#host.inExchange() || this.#host.closed()) return;
    const parser = this.#parser;
    if (parser.paused || parser.state === 'done' || parser.state === 'error') return;
    this.#reading = true;
    let read: Future<Buffer>;
    try {
      read = this.#stream.readBytes(READ_SIZE, { partial: true });
    } catch (error) {
      this.#reading = false;
      this.#host.readFailed(error);
      return;
    }
    this.#read = read;
    futureAddDoneCallback(read, this.#onRead);
  }

  /**
   * Abandons a read in flight (the connection is detached): bytes not yet read stay in the
   * stream for its next owner.
   */
  stop(): void {
    const read = this.#read;
    this.#read = null;
    this.#reading = false;
    if (read !== null && !read.done()) read.cancel();
  }

  /** Unpauses the parser (feeding it what it holds) and reads on. */
  resume(): void {
    if (!this.#host.inExchange() || this.#host.closed()) return;
    try {
      this.#parser.resume();
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
    this.#parser.pause();
    result.then(
      () => {
        if (!this.#host.inExchange()) return;
        then?.();
        this.resume();
      },
      (error: unknown) => this.#host.readFailed(error),
    );
  }

  readonly #onRead = (read: Future<Buffer>): void => {
    if (read !== this.#read) return; // abandoned by stop()
    this.#read = null;
    this.#reading = false;
    if (read.exception() !== null) {
      // The stream closed. A response read until close ends here; anything else waits for the
      // close callback.
      if (this.#parser.state === 'body-until-close' && !this.#parser.paused) {
        try {
          this.#parser.end();
        } catch (error) {
          this.#host.readFailed(error);
        }
      }
      return;
    }
    this.#host.bytesArrived();
    try {
      this.#parser.push(read.result());
    } catch (error) {
      this.#host.readFailed(error);
      return;
    }
    this.pump();
  };
}
