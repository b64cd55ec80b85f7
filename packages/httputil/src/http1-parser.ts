/**
 * HTTP1Parser: a push parser for HTTP/1.x requests or responses. It does no I/O: a connection
 * pushes the bytes it reads, and the parser calls a sink with the start line and headers, the
 * body in pieces, optional trailers, and the end of each message.
 *
 * Algorithm. Unconsumed bytes stay where they arrived: a push is parsed in place, and only a
 * leftover (a partial line, or bytes held while paused) is kept, as a view of the pushed chunk
 * until more bytes must be appended to it, then in a growable buffer of our own. Views handed to
 * the sink are never overwritten: the growable buffer only ever appends beyond what it has
 * handed out, and is dropped rather than reused once shared.
 *
 * The head (start line and header section). Fast path: when a push holds a whole head, it is
 * decoded from a window of the push (at most 4 KiB, Latin-1, one native call) and parsed at once
 * (see http1-head.ts). Otherwise the incremental path searches for the empty line with
 * `indexOf(LF)` on the bytes, resuming where the last search stopped, so a head that trickles in
 * byte by byte costs linear time, and parses the head once it is complete. The fast path only
 * decides when its window holds the whole head; the incremental path checks limits in arrival
 * order; so the outcome never depends on how the bytes were split (a parser that did could be
 * desynchronised by a peer). Framing is decided by {@link requestFraming} /
 * {@link responseFraming}; every rejection is an {@link HTTPInputError} named by a rule of
 * {@link HTTP1Rules}.
 *
 * Flow control: the parser is synchronous. A sink that cannot take more (an application
 * returned a promise) calls `pause()`; the parser stops after the current callback and holds
 * further pushes until `resume()`. With `autoContinue: false` (what a server wants: one request
 * at a time) the parser stops in state `done` after each message until `reset()`.
 */
import { InvalidStateError } from '@tronada/ioloop';
import { MAX_CHUNK_LINE, parseChunkLine } from './chunk-line.js';
import { failRule as fail } from './errors.js';
import { HTTPHeaders } from './http-headers.js';
import {
  type BodyFraming,
  checkRequestHost,
  type FramingDecision,
  requestFraming,
  responseFraming,
} from './http1-framing.js';
import {
  checkStartLineSize,
  headLength,
  latin1,
  type ParsedHead,
  parseFieldLine,
  parseHead,
} from './http1-head.js';
import { RequestStartLine, type ResponseStartLine } from './start-line.js';

/** Which messages a parser reads: requests (a server) or responses (a client). */
export type HTTP1ParserMode = 'request' | 'response';

/**
 * Where the parser is: reading a start line, the header section, a body (three ways), `done`
 * (a message ended and `autoContinue` is off), or `error` (input was rejected).
 */
export type HTTP1ParserState =
  | 'start-line'
  | 'headers'
  | 'body-fixed'
  | 'body-chunked'
  | 'body-until-close'
  | 'done'
  | 'error';

/** The start line type a parser of mode `M` produces. */
export type StartLineFor<M extends HTTP1ParserMode> = M extends 'request'
  ? RequestStartLine
  : ResponseStartLine;

/**
 * What the parser calls. Callbacks run synchronously inside `push`, `resume`, `reset` or `end`.
 * Each message gives `onHeaders`, then `onData` zero or more times, then `onTrailers` when a
 * chunked body had trailer fields, then `onMessageComplete`. A callback may call `pause()`.
 */
export interface HTTP1ParserSink<S> {
  /** The start line and header section of a message; framing is readable on the parser. */
  onHeaders(startLine: S, headers: HTTPHeaders): void;
  /**
   * A piece of the body (at most `chunkSize` bytes, never empty). It is a view of pushed bytes:
   * keep it as long as you like, the parser never writes into it.
   */
  onData(chunk: Buffer): void;
  /** The trailer fields of a chunked body, when it had any (RFC 9112 §7.1.2). */
  onTrailers?(trailers: HTTPHeaders): void;
  /** The message ended. */
  onMessageComplete(): void;
}

/** Options of {@link HTTP1Parser}; every limit has a safe default. */
export interface HTTP1ParserOptions<M extends HTTP1ParserMode> {
  /** `request` for a server, `response` for a client. */
  mode: M;
  /** Most bytes in a start line plus header section (also bounds trailers). Default 64 KiB. */
  maxHeaderSize?: number;
  /** Most body bytes per message; more is a 413. Default 100 MiB. `setMaxBodySize` overrides. */
  maxBodySize?: number;
  /** Most bytes in the start line; a longer request line is a 414. Default 8 KiB. */
  maxStartLineLength?: number;
  /** Largest body piece passed to `onData`. Default 64 KiB. */
  chunkSize?: number;
  /**
   * Go on with the next message as soon as one completes (true, the default), or stop in state
   * `done` until `reset()` (a server answering one request at a time).
   */
  autoContinue?: boolean;
  /**
   * Response mode: whether this response can have a body. Return false for the response to a
   * HEAD request; 1xx, 204 and 304 are handled without it.
   */
  expectBody?: (startLine: ResponseStartLine, headers: HTTPHeaders) => boolean;
}

/** How {@link HTTP1Parser.end} found the input: see there. */
export type HTTP1EndResult = 'idle' | 'complete' | 'incomplete';

const LF = 0x0a;
const CR = 0x0d;
const EMPTY = Buffer.alloc(0);

/** How many bytes of a push the fast path decodes looking for a complete head. */
const FAST_WINDOW = 4096;

const ChunkPhase = { SIZE: 0, DATA: 1, DATA_END: 2, TRAILERS: 3, END: 4 } as const;
type ChunkPhase = (typeof ChunkPhase)[keyof typeof ChunkPhase];

function assertNever(value: never): never {
  throw new InvalidStateError(`Unknown parser state ${String(value)}`);
}

/**
 * A push parser for HTTP/1.x messages (requests in `request` mode, responses in `response`
 * mode), after RFC 9112. Pipelined messages in one push are parsed in order.
 *
 * Guarantees: every rejection of input is an {@link HTTPInputError} whose `status` a server
 * should answer and whose `rule` names the check (see {@link HTTP1Rules}); after one, the parser
 * stays in state `error` and rethrows it. The result does not depend on how the bytes were split
 * into pushes. A truncated message simply waits for more bytes. Memory is bounded by the limits
 * while not paused; a paused parser holds what is pushed, so stop reading while `paused`.
 *
 * @see Tornado `tornado.http1connection.HTTP1Connection` (its reading half)
 */
export class HTTP1Parser<M extends HTTP1ParserMode = HTTP1ParserMode> {
  readonly #sink: HTTP1ParserSink<StartLineFor<M>>;
  readonly #request: boolean;
  readonly #maxHeaderSize: number;
  readonly #defaultMaxBodySize: number;
  readonly #maxStartLine: number;
  readonly #chunkSize: number;
  readonly #autoContinue: boolean;
  readonly #expectBody: ((s: ResponseStartLine, h: HTTPHeaders) => boolean) | undefined;

  #state: HTTP1ParserState = 'start-line';
  #error: unknown = undefined;
  #paused = false;
  #running = false;
  #ended = false;
  #detached = false;
  #wait = false;

  // Unconsumed bytes: #pending[#pstart, #pend). Owned buffers may be appended to in place.
  #pending: Buffer | null = null;
  #pstart = 0;
  #pend = 0;
  #owned = false;
  #shared = false;
  // Where the current buffer being parsed comes from (true: #pending).
  #fromPending = false;

  // Resume offset of a line search, relative to the first unconsumed byte.
  #scan = 0;
  #emptyLineBytes = 0;

  // The current message.
  #maxBodySize: number;
  #framing: BodyFraming = 'none';
  #contentLength = -1;
  #closeAfter = false;
  #remaining = 0;
  #bodyTotal = 0;
  #bodyChecked = true;
  #chunkPhase: ChunkPhase = ChunkPhase.SIZE;
  #extBytes = 0;

  constructor(sink: HTTP1ParserSink<StartLineFor<M>>, options: HTTP1ParserOptions<M>) {
    this.#sink = sink;
    this.#request = options.mode === 'request';
    this.#maxHeaderSize = options.maxHeaderSize ?? 64 * 1024;
    this.#defaultMaxBodySize = options.maxBodySize ?? 100 * 1024 * 1024;
    this.#maxBodySize = this.#defaultMaxBodySize;
    this.#maxStartLine = options.maxStartLineLength ?? 8 * 1024;
    this.#chunkSize = Math.max(1, options.chunkSize ?? 64 * 1024);
    this.#autoContinue = options.autoContinue ?? true;
    this.#expectBody = options.expectBody;
  }

  /** Where the parser is; see {@link HTTP1ParserState}. */
  get state(): HTTP1ParserState {
    return this.#state;
  }

  /** True between `pause()` and `resume()`. */
  get paused(): boolean {
    return this.#paused;
  }

  /**
   * True while the parser is calling its sink (inside `push`, `resume`, `reset` or `end`): then
   * `detach()` must wait until the call returns.
   */
  get running(): boolean {
    return this.#running;
  }

  /** How the body of the current (or last) message is delimited. */
  get framing(): BodyFraming {
    return this.#framing;
  }

  /** The declared Content-Length of the current message, or -1 when it has none. */
  get contentLength(): number {
    return this.#contentLength;
  }

  /**
   * True when the framing of the current message requires closing the connection after it:
   * Transfer-Encoding in HTTP/1.0 (RFC 9112 §6.1) or a response body read until close.
   */
  get closeAfterMessage(): boolean {
    return this.#closeAfter;
  }

  /** Bytes pushed but not yet parsed (a partial line, or what arrived while paused or done). */
  get bufferedBytes(): number {
    return this.#pend - this.#pstart;
  }

  /**
   * The error that put the parser in state `error`, if any.
   */
  get error(): unknown {
    return this.#error;
  }

  /**
   * Sets the body limit for the current message only (call it from `onHeaders`, before the body
   * is read); the next message starts again from the `maxBodySize` option.
   *
   * @see Tornado `HTTP1Connection.set_max_body_size`
   */
  setMaxBodySize(maxBodySize: number): void {
    this.#maxBodySize = maxBodySize;
  }

  /**
   * Parses `chunk`, calling the sink for everything it completes. Bytes that do not complete a
   * line are kept for the next push. While paused or `done`, bytes are only stored.
   *
   * The parser does not copy what it can avoid copying: body pieces given to the sink, and the
   * unparsed tail it keeps, are views of `chunk`. Do not write into `chunk` afterwards.
   *
   * @throws {@link HTTPInputError} when the input is rejected (and again on every later call).
   */
  push(chunk: Uint8Array): void {
    this.#checkUsable('push');
    if (chunk.length === 0) return;
    const data = Buffer.isBuffer(chunk)
      ? chunk
      : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (this.#pend === this.#pstart && this.#canRun()) {
      this.#fromPending = false;
      const pos = this.#guarded(data);
      if (pos < data.length && this.#state !== 'error' && !this.#detached) {
        this.#pending = data.subarray(pos);
        this.#pstart = 0;
        this.#pend = this.#pending.length;
        this.#owned = false;
        this.#shared = false;
      }
      return;
    }
    this.#append(data);
    if (this.#canRun()) this.#drain();
  }

  /** Stops calling the sink after the current callback; pushes are stored until `resume()`. */
  pause(): void {
    this.#paused = true;
  }

  /**
   * Undoes `pause()` and parses what was stored meanwhile (so it may call the sink, and throw
   * {@link HTTPInputError} like `push`).
   */
  resume(): void {
    if (!this.#paused) return;
    this.#paused = false;
    if (!this.#running && this.#state !== 'error' && !this.#detached) this.#drain();
  }

  /**
   * Starts the next message after `done` (with `autoContinue: false`), parsing what was stored
   * meanwhile. Does nothing in another state.
   */
  reset(): void {
    if (this.#state !== 'done' || this.#detached) return;
    this.#state = 'start-line';
    if (!this.#running) this.#drain();
  }

  /**
   * Tells the parser the input ended (the peer closed), after it parsed everything stored.
   * Returns `complete` when this ends a body read until close (its `onMessageComplete` is called
   * now), `idle` when no message was in progress, and `incomplete` when a message was cut short
   * (the connection should report it closed; the sink gets nothing more).
   *
   * Not while paused: stored bytes may still complete the message, so `resume()` first (a
   * connection only reads, and so only learns of the end, while the parser is not paused).
   */
  end(): HTTP1EndResult {
    this.#checkUsable('end');
    if (this.#paused) {
      throw new InvalidStateError('HTTP1Parser.end() called while paused; resume() first');
    }
    this.#ended = true;
    if (this.#state === 'body-until-close') {
      this.#drain();
      return 'complete';
    }
    if (this.#state === 'done') return 'idle';
    if (this.#state === 'start-line' && this.#pend === this.#pstart && this.#scan === 0) {
      return 'idle';
    }
    return 'incomplete';
  }

  /**
   * Stops parsing for good and returns the bytes pushed but not parsed (a copy), e.g. the first
   * bytes of a WebSocket or CONNECT tunnel after the message that switched protocols.
   */
  detach(): Buffer {
    if (this.#running) {
      throw new InvalidStateError(
        'HTTP1Parser.detach() called from a sink callback; pause() there',
      );
    }
    const pending = this.#pending;
    const rest =
      pending === null || this.#pend === this.#pstart
        ? Buffer.alloc(0)
        : Buffer.from(pending.subarray(this.#pstart, this.#pend));
    this.#detached = true;
    this.#state = 'done';
    this.#pending = null;
    this.#pstart = this.#pend = 0;
    return rest;
  }

  #checkUsable(what: string): void {
    if (this.#state === 'error') throw this.#error;
    if (this.#running)
      throw new InvalidStateError(`HTTP1Parser.${what}() called from a sink callback`);
    if (this.#ended || this.#detached) {
      throw new InvalidStateError(`HTTP1Parser.${what}() called after end() or detach()`);
    }
  }

  #canRun(): boolean {
    return !this.#paused && this.#state !== 'done' && !this.#detached;
  }

  #append(data: Buffer): void {
    const used = this.#pend - this.#pstart;
    const pending = this.#pending;
    if (pending !== null && this.#owned && this.#pend + data.length <= pending.length) {
      data.copy(pending, this.#pend);
      this.#pend += data.length;
      return;
    }
    // A new buffer: never write over bytes that may have been handed out.
    const size = Math.max(1024, 2 * (used + data.length));
    const next = Buffer.allocUnsafe(size);
    if (pending !== null && used > 0) pending.copy(next, 0, this.#pstart, this.#pend);
    data.copy(next, used);
    this.#pending = next;
    this.#pstart = 0;
    this.#pend = used + data.length;
    this.#owned = true;
    this.#shared = false;
  }

  #drain(): void {
    const pending = this.#pending;
    if (pending === null || this.#pend === this.#pstart) {
      // Nothing stored, but a message may still complete without bytes (an empty body after
      // a pause, the end of input for a body read until close).
      this.#fromPending = false;
      this.#guarded(EMPTY);
      return;
    }
    this.#fromPending = true;
    const view = pending.subarray(this.#pstart, this.#pend);
    const pos = this.#guarded(view);
    if (this.#pending !== pending) return; // detached meanwhile
    this.#pstart += pos;
    if (this.#pstart === this.#pend) {
      if (this.#shared || !this.#owned) this.#pending = null;
      this.#pstart = this.#pend = 0;
    }
  }

  #guarded(data: Buffer): number {
    this.#running = true;
    try {
      return this.#run(data);
    } catch (error) {
      this.#state = 'error';
      this.#error = error;
      this.#pending = null;
      this.#pstart = this.#pend = 0;
      throw error;
    } finally {
      this.#running = false;
    }
  }

  #run(data: Buffer): number {
    const end = data.length;
    let pos = 0;
    while (!this.#paused && !this.#detached) {
      switch (this.#state) {
        case 'start-line':
        case 'headers':
          pos = this.#readHead(data, pos, end);
          break;
        case 'body-fixed': {
          if (!this.#bodyChecked) this.#checkDeclaredLength();
          if (this.#remaining === 0) {
            this.#complete();
            break;
          }
          if (pos >= end) return pos;
          const n = Math.min(this.#remaining, end - pos, this.#chunkSize);
          this.#remaining -= n;
          pos += n;
          this.#emit(data.subarray(pos - n, pos));
          break;
        }
        case 'body-chunked':
          pos = this.#readChunked(data, pos, end);
          break;
        case 'body-until-close': {
          if (pos >= end) {
            if (this.#ended) {
              this.#complete();
              break;
            }
            return pos;
          }
          const n = Math.min(end - pos, this.#chunkSize);
          this.#bodyTotal += n;
          if (this.#bodyTotal > this.#maxBodySize) fail('body-too-large', `${this.#bodyTotal}+`);
          pos += n;
          this.#emit(data.subarray(pos - n, pos));
          break;
        }
        case 'done':
        case 'error':
          return pos;
        default:
          assertNever(this.#state);
      }
      if (this.#wait) {
        this.#wait = false;
        return pos;
      }
    }
    return pos;
  }

  #emit(piece: Buffer): void {
    if (this.#fromPending) this.#shared = true;
    this.#sink.onData(piece);
  }

  #complete(): void {
    this.#state = this.#autoContinue ? 'start-line' : 'done';
    this.#maxBodySize = this.#defaultMaxBodySize;
    this.#sink.onMessageComplete();
  }

  #needMore(scanned: number): void {
    this.#scan = scanned;
    this.#wait = true;
  }

  /**
   * Reads a head once it is complete: skips empty lines before a start line, then tries the
   * fast path, else finds the empty line that ends the header section incrementally and parses
   * the head then.
   */
  #readHead(data: Buffer, start: number, end: number): number {
    let pos = start;
    if (this.#state === 'start-line' && this.#scan === 0) {
      // RFC 9112 §2.2: ignore empty lines received before a start line.
      while (pos < end) {
        const c = data[pos]!;
        if (c === LF) pos += 1;
        else if (c === CR && pos + 1 < end && data[pos + 1] === LF) pos += 2;
        else break;
      }
      if (pos > start) {
        this.#emptyLineBytes += pos - start;
        if (this.#emptyLineBytes > this.#maxHeaderSize) fail('empty-lines-too-many');
      }
      if (pos >= end || (data[pos] === CR && pos + 1 >= end)) {
        this.#needMore(0);
        return pos;
      }
      // Fast path: the whole head is usually in this push; parse it from a bounded window.
      const window = Math.min(FAST_WINDOW, this.#maxHeaderSize);
      const consumed = this.#parseHead(data, pos, Math.min(end, pos + window), true);
      if (consumed >= 0) return consumed;
    }
    let from = pos + this.#scan;
    for (;;) {
      const lf = data.indexOf(LF, from);
      if (lf === -1) {
        this.#checkHeadSize(end - pos, true);
        this.#needMore(end - pos);
        return pos;
      }
      if (this.#state === 'start-line') {
        this.#checkStartLineSize(lf - pos);
        this.#state = 'headers';
      }
      this.#checkHeadSize(lf - pos, false);
      const next = lf + 1;
      if (next >= end) {
        this.#needMore(lf - pos);
        return pos;
      }
      const c = data[next];
      if (c === LF) return this.#parseHead(data, pos, next + 1, false);
      if (c === CR) {
        if (next + 1 >= end) {
          this.#needMore(lf - pos);
          return pos;
        }
        if (data[next + 1] === LF) return this.#parseHead(data, pos, next + 2, false);
      }
      from = next;
    }
  }

  #checkStartLineSize(length: number): void {
    checkStartLineSize(length, this.#maxStartLine, this.#request);
  }

  #checkHeadSize(length: number, partial: boolean): void {
    if (partial && this.#state === 'start-line') this.#checkStartLineSize(length);
    if (length > this.#maxHeaderSize) {
      fail('header-section-too-large', `over ${this.#maxHeaderSize} bytes`);
    }
  }

  /**
   * Parses the head that starts at `start` from data[start, limit), decides its framing and
   * hands it to the sink. With `partial` the window may end before the head does: then -1 is
   * returned and the incremental path decides, so that errors never depend on how the bytes
   * were pushed. Otherwise the window holds the head's final empty line (perhaps after an
   * earlier one, with bare-LF line ends). Returns where the head ends.
   */
  #parseHead(data: Buffer, start: number, limit: number, partial: boolean): number {
    const text = latin1(data, start, limit);
    let head: ParsedHead | undefined;
    try {
      head = parseHead(data, start, text, partial, this.#request, this.#maxStartLine);
    } catch (error) {
      if (partial && headLength(text) === -1) return -1;
      throw error;
    }
    if (head === undefined) return -1;
    const { startLine, headers } = head;
    let decision: FramingDecision;
    if (startLine instanceof RequestStartLine) {
      checkRequestHost(startLine, headers);
      decision = requestFraming(startLine, headers);
    } else {
      const expect = this.#expectBody === undefined || this.#expectBody(startLine, headers);
      decision = responseFraming(startLine, headers, expect);
    }
    this.#scan = 0;
    this.#emptyLineBytes = 0;
    this.#beginBody(decision);
    this.#sink.onHeaders(startLine as StartLineFor<M>, headers);
    return start + head.length;
  }

  #beginBody(decision: FramingDecision): void {
    this.#framing = decision.framing;
    this.#contentLength = decision.contentLength;
    this.#closeAfter = decision.closeAfter;
    this.#bodyTotal = 0;
    this.#extBytes = 0;
    switch (decision.framing) {
      case 'none':
        this.#state = 'body-fixed';
        this.#remaining = 0;
        this.#bodyChecked = true;
        break;
      case 'fixed':
        this.#state = 'body-fixed';
        this.#remaining = decision.contentLength;
        // Checked when the body starts, so that onHeaders can raise the limit first.
        this.#bodyChecked = false;
        break;
      case 'chunked':
        this.#state = 'body-chunked';
        this.#chunkPhase = ChunkPhase.SIZE;
        break;
      case 'until-close':
        this.#state = 'body-until-close';
        break;
      default:
        assertNever(decision.framing);
    }
  }

  #checkDeclaredLength(): void {
    this.#bodyChecked = true;
    if (this.#remaining > this.#maxBodySize) {
      fail('body-too-large', `Content-Length ${this.#remaining} > ${this.#maxBodySize}`);
    }
  }

  #readChunked(data: Buffer, start: number, end: number): number {
    let pos = start;
    switch (this.#chunkPhase) {
      case ChunkPhase.SIZE: {
        const lf = data.indexOf(LF, pos + this.#scan);
        if (lf === -1) {
          if (end - pos > MAX_CHUNK_LINE) fail('chunk-ext-too-large');
          this.#needMore(end - pos);
          return pos;
        }
        if (lf - pos > MAX_CHUNK_LINE) fail('chunk-ext-too-large');
        if (lf === pos || data[lf - 1] !== CR) fail('chunk-size-invalid', 'line not ended by CRLF');
        const { size, extensionBytes } = parseChunkLine(data, pos, lf - 1);
        this.#extBytes += extensionBytes;
        if (this.#extBytes > this.#maxHeaderSize) fail('chunk-ext-too-large');
        this.#scan = 0;
        pos = lf + 1;
        if (size === 0) {
          this.#chunkPhase = ChunkPhase.TRAILERS;
        } else {
          this.#bodyTotal += size;
          if (this.#bodyTotal > this.#maxBodySize) {
            fail('body-too-large', `chunked body over ${this.#maxBodySize} bytes`);
          }
          this.#remaining = size;
          this.#chunkPhase = ChunkPhase.DATA;
        }
        return pos;
      }
      case ChunkPhase.DATA: {
        if (pos >= end) {
          this.#wait = true;
          return pos;
        }
        const n = Math.min(this.#remaining, end - pos, this.#chunkSize);
        this.#remaining -= n;
        if (this.#remaining === 0) this.#chunkPhase = ChunkPhase.DATA_END;
        pos += n;
        this.#emit(data.subarray(pos - n, pos));
        return pos;
      }
      case ChunkPhase.DATA_END: {
        if (end - pos < 2) {
          if (end > pos && data[pos] !== CR) fail('chunk-data-unterminated');
          this.#wait = true;
          return pos;
        }
        if (data[pos] !== CR || data[pos + 1] !== LF) fail('chunk-data-unterminated');
        this.#chunkPhase = ChunkPhase.SIZE;
        return pos + 2;
      }
      case ChunkPhase.TRAILERS:
        return this.#readTrailers(data, pos, end);
      case ChunkPhase.END:
        this.#complete();
        return pos;
      default:
        return assertNever(this.#chunkPhase);
    }
  }

  #readTrailers(data: Buffer, start: number, end: number): number {
    // trailer-section CRLF (RFC 9112 §7.1): with no trailers, the next line is the empty one.
    // Every line of a chunked body ends with CRLF; a bare LF here is rejected.
    if (this.#scan === 0) {
      if (start >= end || (data[start] === CR && start + 1 >= end)) {
        this.#wait = true;
        return start;
      }
      if (data[start] === CR) {
        if (data[start + 1] !== LF) fail('chunk-data-unterminated', 'bare CR after the last chunk');
        this.#chunkPhase = ChunkPhase.END;
        return start + 2;
      }
      if (data[start] === LF) fail('chunk-data-unterminated', 'bare LF after the last chunk');
    }
    let from = start + this.#scan;
    for (;;) {
      const lf = data.indexOf(LF, from);
      if (lf === -1) {
        this.#checkTrailerSize(end - start);
        this.#needMore(end - start);
        return start;
      }
      // The limit first, as when the line arrives in pieces.
      this.#checkTrailerSize(lf - start);
      if (data[lf - 1] !== CR) fail('chunk-data-unterminated', 'trailer line not ended by CRLF');
      const next = lf + 1;
      if (next >= end || (data[next] === CR && next + 1 >= end)) {
        this.#needMore(lf - start);
        return start;
      }
      if (data[next] === CR && data[next + 1] === LF) {
        this.#scan = 0;
        const text = latin1(data, start, next + 2);
        if (text.includes('\0')) fail('nul-in-field');
        if (/\r(?!\n)/.test(text)) fail('bare-cr');
        const trailers = new HTTPHeaders();
        for (let p = 0; p < lf - start; ) {
          const e = text.indexOf('\r\n', p);
          parseFieldLine(data, start, text, p, e, trailers, this.#request);
          p = e + 2;
        }
        this.#chunkPhase = ChunkPhase.END;
        this.#sink.onTrailers?.(trailers);
        return next + 2;
      }
      from = next;
    }
  }

  #checkTrailerSize(length: number): void {
    if (length > this.#maxHeaderSize) fail('trailer-section-too-large');
  }
}
