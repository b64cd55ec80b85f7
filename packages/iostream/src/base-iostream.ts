/**
 * BaseIOStream: Tornado's reading and writing model over a {@link Transport}.
 *
 * Reading. Bytes the transport delivers go into a {@link StreamBuffer}. At most one read is
 * pending; it is described by a few fields (`#readKind` and its parameters) and is checked
 * against the buffer whenever data arrives, so a read that the buffer can already satisfy
 * completes inside the call, with a Future that is done on return (a coroutine yielding it
 * continues without waiting for a turn). Delimiter searches resume where the previous search
 * stopped (`ReadSpec.scanFrom`), so a large read is scanned in linear time however it was chunked.
 *
 * Flow control. While no read is pending the stream keeps reading until the buffer holds
 * `readChunkSize` bytes (so data that arrives before a read is buffered, and a close is noticed),
 * then pauses the transport; a pending read always resumes it. Memory therefore stays near one
 * chunk per idle stream, and a reader slower than its peer pushes back on the peer's writes.
 * `maxBufferSize` bounds what a pending read may need: exceeding it closes the stream with
 * {@link StreamBufferFullError} and logs "Reached maximum read buffer size" on `genLog` (error),
 * as Tornado does.
 *
 * Writing. `write` hands the bytes to the transport at once and returns a Future resolved when
 * they reached the kernel: on return when the kernel took them at once (as Tornado's inline
 * write), else from the transport's completion callback. Writes are delivered and resolved in
 * order; `writing()` is true while some bytes have not reached the kernel.
 *
 * Closing. `close(error)` (or the peer hanging up, or a transport error) first completes a read
 * the buffer can still satisfy (`readUntilClose` gets what remains), then fails the pending read
 * and writes with {@link StreamClosedError} carrying the cause, then schedules the close callback
 * on the IOLoop, exactly once. Reads started after the close are still served from the buffer.
 *
 * @see Tornado `tornado.iostream.BaseIOStream`
 */
import type { Future as FutureType } from '@tronada/ioloop';
import { appLog, Future, futureSetResultUnlessCancelled, genLog, IOLoop } from '@tronada/ioloop';
import type { ChunkReceiver } from './chunk-receiver.js';
import {
  AlreadyReadingError,
  StreamBufferFullError,
  StreamClosedError,
  UnsatisfiableReadError,
} from './errors.js';
import { NO_LIMIT, ReadSpec } from './internal/read-spec.js';
import { StreamLimits } from './internal/stream-limits.js';
import { WriteQueues } from './internal/write-queues.js';
import { StreamBuffer } from './stream-buffer.js';
import type { StreamCloseListener } from './stream-close-listener.js';
import type { Transport, TransportSink } from './transport.js';

/** Buffer sizes and limits of a stream. */
export interface IOStreamOptions {
  /**
   * Most bytes a pending read may need buffered before the stream closes with
   * {@link StreamBufferFullError}; default 100 MiB.
   */
  maxBufferSize?: number | undefined;
  /**
   * Read-ahead: while no read is pending, the stream reads until this many bytes are buffered,
   * then stops reading from the transport. Default 64 KiB, at most `maxBufferSize / 2`.
   */
  readChunkSize?: number | undefined;
  /**
   * Most bytes written but not yet handed to the kernel; `write` throws
   * {@link StreamBufferFullError} beyond it. Default `null`, unlimited.
   */
  maxWriteBufferSize?: number | null | undefined;
}

/** Options of `readUntil` and `readUntilRegex`. */
export interface ReadUntilOptions {
  /**
   * Fail when the delimiter is not found within this many bytes: the stream closes with
   * {@link UnsatisfiableReadError} and the read fails with {@link StreamClosedError}.
   */
  maxBytes?: number | null | undefined;
}

/** Options of `readBytes`. */
export interface ReadBytesOptions {
  /** Resolve as soon as any bytes are available (at most `n`), instead of waiting for `n`. */
  partial?: boolean | undefined;
  /**
   * Legacy (Tornado 5): receive the bytes as they arrive; the Future then resolves with an
   * empty Buffer once `n` bytes were delivered.
   */
  streamingCallback?: ((chunk: Buffer) => void) | null | undefined;
}

/** Options of `readInto`. */
export interface ReadIntoOptions {
  /** Resolve as soon as any bytes were copied, instead of when the buffer is full. */
  partial?: boolean | undefined;
}

/** Options of `readUntilClose`. */
export interface ReadUntilCloseOptions {
  /**
   * Legacy (Tornado 5): receive the bytes as they arrive; the Future then resolves with an
   * empty Buffer when the stream closes.
   */
  streamingCallback?: ((chunk: Buffer) => void) | null | undefined;
}

/** Legacy callback of a read: runs on the IOLoop with the result, only on success. */
export type ReadCallback<T> = (result: T) => void;

const NONE = 0;
const BYTES = 1;
const DELIMITER = 2;
const REGEX = 3;
const UNTIL_CLOSE = 4;
const INTO = 5;
type ReadKind =
  | typeof NONE
  | typeof BYTES
  | typeof DELIMITER
  | typeof REGEX
  | typeof UNTIL_CLOSE
  | typeof INTO;

// The bits of BaseIOStream's switches.
const CLOSED = 1;
const DRAINING = 2;
const PAUSED = 4;
const FAIL_PENDING_READ = 8;
const READ_PARTIAL = 16;

// The switches are read and set through these rather than private accessors, which V8 does
// not inline (a runtime call per use on the read and write paths).
function has(flags: number, bit: number): boolean {
  return (flags & bit) !== 0;
}

function withFlag(flags: number, bit: number, on: boolean): number {
  return on ? flags | bit : flags & ~bit;
}
const DEFAULT_MAX_BUFFER_SIZE = 100 * 1024 * 1024;
const DEFAULT_READ_CHUNK_SIZE = 64 * 1024;
const EMPTY = Buffer.alloc(0);
/** The Future of every write that completed inside the call. */
const WRITTEN: Future<void> = Future.resolved(undefined);
/** Error codes of a connection torn down by the peer or the network: closed quietly, not logged. */
const RESET_CODES = new Set(['ECONNRESET', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT']);

/** True for errors that mean the connection was reset or aborted (closed quietly). */
export function isConnectionReset(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && RESET_CODES.has(code);
}

function toBytes(data: Uint8Array | ArrayBufferView | string): Uint8Array | string {
  if (typeof data === 'string' || data instanceof Uint8Array) return data;
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/** What `setCloseCallback` takes. */
type CloseCallback = (() => void) | StreamCloseListener;

function tellClosed(listener: StreamCloseListener): void {
  listener.streamClosed();
}

/** Fails `future` unless it is done, and marks its failure as seen (nobody has to await it). */
function failQuietly(future: FutureType<unknown>, error: unknown): void {
  if (!future.done()) future.setException(error);
  if (!future.cancelled()) future.exception();
}

/** The options argument, unless it is the legacy callback given in its place. */
function optionsOf<O extends object>(
  options: O | ReadCallback<never> | null | undefined,
): O | undefined {
  return typeof options === 'function' || options === null ? undefined : options;
}

/** The legacy callback: the third argument, or the second when it was given in its place. */
function callbackOf<C>(options: unknown, callback: C | undefined): C | undefined {
  return typeof options === 'function' ? (options as C) : callback;
}

/**
 * A non-blocking byte stream with Tornado's reads (`readUntil`, `readUntilRegex`, `readBytes`,
 * `readInto`, `readUntilClose`), Future-returning writes, flow control, and limits. Subclasses
 * supply a {@link Transport}: {@link IOStream} (sockets), `SSLIOStream`, `PipeIOStream` and the
 * in-memory pair of `memoryStreamPair`.
 *
 * @see Tornado `tornado.iostream.BaseIOStream`
 */
export abstract class BaseIOStream implements AsyncIterable<Buffer> {
  readonly #limits: StreamLimits;

  /** Most bytes a pending read may need buffered (see {@link IOStreamOptions}). */
  get maxBufferSize(): number {
    return this.#limits.maxBufferSize;
  }

  /** Read-ahead threshold in bytes (see {@link IOStreamOptions}). */
  get readChunkSize(): number {
    return this.#limits.readChunkSize;
  }

  /** Most bytes written but not yet in the kernel, or `null` for no limit. */
  get maxWriteBufferSize(): number | null {
    return this.#limits.maxWriteBufferSize;
  }

  /** The loop close callbacks and legacy callbacks run on (current at construction). */
  readonly ioLoop: IOLoop;
  /**
   * The error that closed the stream, or `null` (open, or closed cleanly).
   *
   * @see Tornado `BaseIOStream.error`
   */
  error: unknown = null;

  #transport: Transport | null = null;
  // The received bytes, in the object the transport reports to (see #Sink).
  readonly #buffer: StreamBuffer & TransportSink;
  // Five switches in one small integer (each would be a field of every stream): closed,
  // draining (closed, the last writes still going out), paused (the transport is), fail the
  // pending read (the stream's own machinery closed it: no partial result), and whether the
  // pending readBytes is partial.
  #flags = 0;
  #closeCallback: CloseCallback | null = null;

  #readKind: ReadKind = NONE;
  #readFuture: Future<unknown> | null = null;
  #readReceiver: ChunkReceiver | null = null;
  #readBytes = 0;
  // The state of delimiter, regex, readInto and streaming reads, made by the first of them.
  #spec: ReadSpec | null = null;

  #written = 0;
  #flushed = 0;
  // Made by the first write that does not reach the kernel at once (or comes before a transport).
  #writes: WriteQueues | null = null;

  /**
   * What the transport reports to: methods, not closures, of the stream's read buffer (one
   * object per stream for both; nested here so that it may reach the stream's private members).
   */
  static readonly #Sink = class Sink extends StreamBuffer implements TransportSink {
    readonly #stream: BaseIOStream;

    constructor(stream: BaseIOStream) {
      super();
      this.#stream = stream;
    }

    data(chunk: Buffer): void {
      BaseIOStream.#onData(this.#stream, chunk);
    }

    end(): void {
      this.#stream.close();
    }

    error(error: Error): void {
      BaseIOStream.#onTransportError(this.#stream, error);
    }

    close(): void {
      this.#stream.close();
    }

    written(error: Error | null): void {
      BaseIOStream.#onWriteDone(this.#stream, error);
    }
  };

  /**
   * The Future of a pending read: cancelling it abandons the read (bytes not yet consumed stay
   * for the next one). A subclass rather than a cancel handler, so a stream holds no closure.
   */
  static readonly #ReadFuture = class ReadFuture<T> extends Future<T> {
    readonly #stream: BaseIOStream;

    constructor(stream: BaseIOStream) {
      super();
      this.#stream = stream;
    }

    override cancel(message?: string): boolean {
      if (!super.cancel(message)) return false;
      const stream = this.#stream;
      if (stream.#readFuture === this) {
        BaseIOStream.#clearRead(stream);
        BaseIOStream.#flow(stream);
      }
      return true;
    }
  };

  /**
   * `transport` carries the bytes; a subclass may pass `null` and call `attachTransport` later
   * (reads wait and writes queue until then).
   */
  constructor(transport: Transport | null, options: IOStreamOptions = {}) {
    this.ioLoop = IOLoop.current();
    this.#buffer = new BaseIOStream.#Sink(this);
    const maxBufferSize = options.maxBufferSize ?? DEFAULT_MAX_BUFFER_SIZE;
    // A read-ahead too close to maxBufferSize would make reads fail spuriously (Tornado).
    const readChunkSize = Math.max(
      1,
      Math.min(options.readChunkSize ?? DEFAULT_READ_CHUNK_SIZE, Math.floor(maxBufferSize / 2)),
    );
    this.#limits = StreamLimits.of(
      maxBufferSize,
      readChunkSize,
      options.maxWriteBufferSize ?? null,
    );
    if (transport !== null) this.attachTransport(transport);
  }

  /**
   * The handle under the stream: the socket of an IOStream, the descriptor of a PipeIOStream.
   *
   * @see Tornado `BaseIOStream.fileno`
   */
  abstract fileno(): object | number | null;

  /** Bytes received and not yet read (diagnostics and tests). */
  get readBufferSize(): number {
    return this.#buffer.size;
  }

  /**
   * Reads until `delimiter` (included in the result). A string delimiter is UTF-8 encoded.
   * With `maxBytes`, the stream closes with {@link UnsatisfiableReadError} (logged on `genLog`
   * at info) when the delimiter is not within that many bytes, and the read fails with
   * {@link StreamClosedError}.
   *
   * @see Tornado `BaseIOStream.read_until`
   */
  readUntil(
    delimiter: Uint8Array | string,
    options?: ReadUntilOptions | ReadCallback<Buffer> | null,
    callback?: ReadCallback<Buffer>,
  ): Future<Buffer> {
    const future = BaseIOStream.#startRead<Buffer>(this, DELIMITER);
    const spec = BaseIOStream.#specFor(this);
    spec.delimiter = BaseIOStream.#delimiterBytes(spec, delimiter);
    spec.maxBytes = optionsOf<ReadUntilOptions>(options)?.maxBytes ?? NO_LIMIT;
    return BaseIOStream.#run(this, future, callbackOf(options, callback));
  }

  /**
   * Reads until `regex` matches (the result ends with the match). The regex runs over the
   * bytes as latin1 text (one character per byte), from the start of the unread data; a string
   * is compiled with `new RegExp`. `maxBytes` works as in {@link readUntil}.
   *
   * @see Tornado `BaseIOStream.read_until_regex`
   */
  readUntilRegex(
    regex: RegExp | string,
    options?: ReadUntilOptions | ReadCallback<Buffer> | null,
    callback?: ReadCallback<Buffer>,
  ): Future<Buffer> {
    const future = BaseIOStream.#startRead<Buffer>(this, REGEX);
    // A private copy: the caller's lastIndex is neither used nor disturbed.
    const spec = BaseIOStream.#specFor(this);
    spec.regex = new RegExp(regex);
    spec.maxBytes = optionsOf<ReadUntilOptions>(options)?.maxBytes ?? NO_LIMIT;
    return BaseIOStream.#run(this, future, callbackOf(options, callback));
  }

  /**
   * Reads `n` bytes. With `partial`, resolves as soon as any bytes are available (at most
   * `n`; `readBytes(0)` resolves with an empty Buffer at once). With `streamingCallback`,
   * delivers the bytes as they arrive and resolves with an empty Buffer after `n`.
   *
   * @see Tornado `BaseIOStream.read_bytes`
   */
  readBytes(
    n: number,
    options?: ReadBytesOptions | ReadCallback<Buffer> | null,
    callback?: ReadCallback<Buffer>,
  ): Future<Buffer> {
    if (!Number.isSafeInteger(n) || n < 0) {
      throw new RangeError(`readBytes needs a non-negative integer, got ${n}`);
    }
    const opts = optionsOf<ReadBytesOptions>(options);
    const future = BaseIOStream.#startRead<Buffer>(this, BYTES);
    this.#readBytes = n;
    this.#flags = withFlag(this.#flags, READ_PARTIAL, opts?.partial === true);
    const streaming = opts?.streamingCallback;
    if (streaming != null) BaseIOStream.#specFor(this).streamingCallback = streaming;
    return BaseIOStream.#run(this, future, callbackOf(options, callback));
  }

  /**
   * Reads what is there, or what arrives next: at least one byte and at most `maxBytes`, as
   * `readBytes(maxBytes, { partial: true })`, but handed to `receiver.chunkRead` instead of a
   * Future: at once when bytes are buffered, else as they arrive. When the stream closes first,
   * `receiver.chunkReadFailed` is called (in a microtask). One read at a time, as for every
   * read; {@link cancelChunkRead} abandons it.
   *
   * @throws {@link StreamClosedError} when the stream is closed, {@link AlreadyReadingError}
   * when another read is pending.
   */
  readChunk(maxBytes: number, receiver: ChunkReceiver): void {
    if (!Number.isSafeInteger(maxBytes) || maxBytes < 1) {
      throw new RangeError(`readChunk needs a positive integer, got ${maxBytes}`);
    }
    BaseIOStream.#beginRead(this, BYTES);
    this.#readBytes = maxBytes;
    this.#flags |= READ_PARTIAL;
    this.#readReceiver = receiver;
    if (!BaseIOStream.#trySatisfy(this)) {
      if (has(this.#flags, CLOSED)) {
        BaseIOStream.#clearRead(this);
        throw new StreamClosedError({ cause: this.error ?? undefined });
      }
      if (this.#buffer.size > this.maxBufferSize) BaseIOStream.#overflow(this);
    }
    BaseIOStream.#flow(this);
  }

  /** Abandons the pending {@link readChunk} of `receiver`; unread bytes stay for the next read. */
  cancelChunkRead(receiver: ChunkReceiver): void {
    if (this.#readReceiver !== receiver) return;
    BaseIOStream.#clearRead(this);
    BaseIOStream.#flow(this);
  }

  /**
   * Reads into `buffer` and resolves with the number of bytes copied: `buffer.length`, or with
   * `partial` as soon as any bytes were copied. Buffered data is copied first.
   *
   * @see Tornado `BaseIOStream.read_into`
   */
  readInto(
    buffer: Uint8Array,
    options?: ReadIntoOptions | ReadCallback<number> | null,
    callback?: ReadCallback<number>,
  ): Future<number> {
    const future = BaseIOStream.#startRead<number>(this, INTO);
    const spec = BaseIOStream.#specFor(this);
    spec.intoTarget = buffer;
    spec.intoFilled = 0;
    this.#flags = withFlag(
      this.#flags,
      READ_PARTIAL,
      optionsOf<ReadIntoOptions>(options)?.partial === true,
    );
    return BaseIOStream.#run(this, future, callbackOf(options, callback));
  }

  /**
   * Reads everything until the stream closes and resolves with it. The data is buffered, so
   * `maxBufferSize` bounds it (exceeding it fails the read); for large or unbounded data, loop
   * over `readBytes(n, { partial: true })` or iterate the stream instead. With
   * `streamingCallback`, delivers the bytes as they arrive and resolves with an empty Buffer.
   *
   * @see Tornado `BaseIOStream.read_until_close`
   */
  readUntilClose(
    options?: ReadUntilCloseOptions | ReadCallback<Buffer> | null,
    callback?: ReadCallback<Buffer>,
  ): Future<Buffer> {
    const future = BaseIOStream.#startRead<Buffer>(this, UNTIL_CLOSE);
    const streaming = optionsOf<ReadUntilCloseOptions>(options)?.streamingCallback;
    if (streaming != null) BaseIOStream.#specFor(this).streamingCallback = streaming;
    return BaseIOStream.#run(this, future, callbackOf(options, callback));
  }

  /**
   * Iterates over the incoming bytes in chunks (each at most `readChunkSize`) until the stream
   * closes. Iteration ends normally on a clean close and throws the {@link StreamClosedError} of
   * a close caused by an error. Breaking out of the loop leaves the stream open.
   */
  [Symbol.asyncIterator](): AsyncIterator<Buffer> {
    const next = async (): Promise<IteratorResult<Buffer>> => {
      try {
        return { value: await this.readBytes(this.readChunkSize, { partial: true }), done: false };
      } catch (error) {
        if (error instanceof StreamClosedError && this.error === null) {
          return { value: undefined, done: true };
        }
        throw error;
      }
    };
    return {
      next,
      return: async () => ({ value: undefined, done: true }),
    };
  }

  /**
   * Writes `data` (bytes, any typed array view, or a string encoded as UTF-8) and returns a
   * Future resolved once it was handed to the kernel (already resolved on return when the kernel
   * took it at once); writes go out and resolve in order.
   * Throws {@link StreamClosedError} on a closed stream, and {@link StreamBufferFullError} when
   * `maxWriteBufferSize` would be exceeded. Do not modify `data` before the Future resolves.
   *
   * @see Tornado `BaseIOStream.write`
   */
  write(data: Uint8Array | ArrayBufferView | string, callback?: () => void): Future<void> {
    BaseIOStream.#checkClosed(this);
    const bytes = toBytes(data);
    const size = typeof bytes === 'string' ? Buffer.byteLength(bytes) : bytes.byteLength;
    const max = this.maxWriteBufferSize;
    if (max !== null && this.#written - this.#flushed + size > max) {
      throw new StreamBufferFullError('write', max);
    }
    if (size > 0) {
      this.#written += size;
      if (this.#transport !== null) BaseIOStream.#send(this, this.#transport, bytes, this.#written);
      else {
        const writes = BaseIOStream.#writeQueues(this);
        if (writes.unsent === null) writes.unsent = [{ bytes, end: this.#written }];
        else writes.unsent.push({ bytes, end: this.#written });
      }
    }
    let future: Future<void>;
    if (this.#flushed >= this.#written) {
      // Done on return: the bytes reached the kernel at once (Tornado writes inline too). All
      // such writes share one resolved Future, which saves an allocation per write.
      future = WRITTEN;
    } else {
      future = new Future<void>();
      const writes = BaseIOStream.#writeQueues(this);
      writes.futures.push(future);
      writes.indexes.push(this.#written);
    }
    if (callback !== undefined) {
      future.addDoneCallback((f) => {
        if (!f.cancelled() && f.exception() === null) this.ioLoop.addCallback(callback);
      });
    }
    return future;
  }

  /**
   * Puts `data` back in front of the unread bytes, as if it had never been read: a protocol
   * parser that read ahead hands the rest of the stream to its next owner (after `101 Switching
   * Protocols`, or when an HTTP connection is detached). A pending read that the bytes satisfy
   * completes. The bytes are copied.
   *
   * @see Node `stream.Readable.unshift`
   */
  unshift(data: Uint8Array): void {
    if (data.length === 0) return;
    const held = this.#buffer.consumeAll();
    this.#buffer.append(Buffer.from(data));
    this.#buffer.append(held);
    if (this.#readKind === NONE) return;
    try {
      BaseIOStream.#trySatisfy(this);
    } catch (error) {
      if (error instanceof UnsatisfiableReadError) BaseIOStream.#unsatisfiable(this, error);
      else this.close(error);
    }
  }

  /**
   * Runs `callback` (on the IOLoop, once) when the stream closes, after pending reads and
   * writes were failed: a function, or a {@link StreamCloseListener} whose `streamClosed` is
   * called. `null` removes it. On a stream already closed, it is scheduled at once.
   *
   * @see Tornado `BaseIOStream.set_close_callback`
   */
  setCloseCallback(callback: CloseCallback | null): void {
    this.#closeCallback = callback;
    if (has(this.#flags, CLOSED) && callback !== null) BaseIOStream.#signalClosed(this);
  }

  /**
   * Closes the stream (idempotent). With `error`, it becomes {@link error} and the `realError`
   * of the {@link StreamClosedError} that pending reads and writes fail with. A pending read the
   * buffer can satisfy completes first; `readUntilClose` resolves with what remains. Without an
   * error, bytes already written are still sent before the connection closes (their Futures
   * resolve as usual); with one, they are dropped and their Futures fail.
   *
   * @see Tornado `BaseIOStream.close`
   */
  close(error?: unknown): void {
    const failed = error !== undefined && error !== null && error !== false;
    if (!has(this.#flags, CLOSED)) {
      if (failed) this.error = error;
      this.#flags |= CLOSED;
      if (this.#readKind !== NONE && !has(this.#flags, FAIL_PENDING_READ)) {
        try {
          BaseIOStream.#trySatisfy(this);
        } catch {
          // Unsatisfiable after all: the read fails as closed, below.
        }
      }
      const transport = this.#transport;
      if (transport !== null) {
        // Either call also stops the transport's events (no detach() needed first).
        if (!failed && this.#flushed < this.#written) {
          // Bytes already written still go out (a TLS socket may hold some that a plain
          // socket would have handed to the kernel); their Futures resolve as they do.
          this.#flags |= DRAINING;
          transport.end();
        } else {
          transport.destroy();
        }
      }
    } else if (failed && has(this.#flags, DRAINING)) {
      // An error while the last writes drain: give up on them.
      this.#flags &= ~DRAINING;
      this.#transport?.destroy();
    }
    BaseIOStream.#signalClosed(this);
  }

  /** True while a read is pending. @see Tornado `BaseIOStream.reading` */
  reading(): boolean {
    return this.#readKind !== NONE;
  }

  /** True while written bytes have not all reached the kernel. @see Tornado `BaseIOStream.writing` */
  writing(): boolean {
    return this.#flushed < this.#written;
  }

  /** True once the stream is closed. @see Tornado `BaseIOStream.closed` */
  closed(): boolean {
    return has(this.#flags, CLOSED);
  }

  /**
   * Turns Nagle's algorithm off (`true`: send small writes at once) or back on. A no-op for
   * streams that are not TCP.
   *
   * @see Tornado `BaseIOStream.set_nodelay`
   */
  setNodelay(value: boolean): void {
    if (!has(this.#flags, CLOSED)) this.#transport?.setNoDelay?.(value);
  }

  /** The transport in use (null before one is attached, or after `detachTransport`). */
  protected get transport(): Transport | null {
    return this.#transport;
  }

  /**
   * Starts using `transport` (for a subclass that passed `null` to the constructor): data starts
   * flowing, and bytes written meanwhile are sent.
   */
  protected attachTransport(transport: Transport): void {
    this.#transport = transport;
    transport.attach(this.#buffer);
    const writes = this.#writes;
    const unsent = writes?.unsent ?? null;
    if (unsent === null) return;
    writes!.unsent = null;
    for (const { bytes, end } of unsent) BaseIOStream.#send(this, transport, bytes, end);
  }

  /**
   * True when nothing is pending or buffered in either direction (the condition of
   * `startTls`).
   */
  protected isIdle(): boolean {
    return (
      !has(this.#flags, CLOSED) &&
      this.#readKind === NONE &&
      this.#buffer.size === 0 &&
      this.#written === this.#flushed &&
      (this.#writes === null || this.#writes.futures.length === 0)
    );
  }

  /**
   * Hands the transport over (to a TLS wrapper): stops listening to it without closing it and
   * marks this stream closed without failing anything or running the close callback, which is
   * returned so the new stream can take it.
   */
  protected detachTransport(): {
    transport: Transport | null;
    closeCallback: CloseCallback | null;
  } {
    const transport = this.#transport;
    const closeCallback = this.#closeCallback;
    transport?.detach();
    this.#transport = null;
    this.#closeCallback = null;
    this.#flags |= CLOSED;
    return { transport, closeCallback };
  }

  /** Called once when the stream closes, after reads and writes failed: fail other Futures here. */
  protected onClosed(): void {}

  /**
   * Logs a transport error that is about to close the stream. Resets are quiet (the error is
   * still in {@link error}); anything else is a warning on `genLog`.
   */
  protected reportError(error: Error): void {
    if (!isConnectionReset(error)) {
      genLog.warn(`Error on stream, closing it: ${error.message}`, error);
    }
  }

  // The stream's own steps are static private methods taking the stream: a class with instance
  // private methods gives every instance a slot more (a held connection keeps its stream).

  static #onTransportError(stream: BaseIOStream, error: Error): void {
    if (has(stream.#flags, CLOSED)) return;
    stream.reportError(error);
    stream.close(error);
  }

  static #onWriteDone(stream: BaseIOStream, error: Error | null): void {
    if (error) {
      if (has(stream.#flags, CLOSED)) BaseIOStream.#failWrites(stream, error);
      else BaseIOStream.#onTransportError(stream, error);
      return;
    }
    if (has(stream.#flags, CLOSED) && !has(stream.#flags, DRAINING)) return;
    BaseIOStream.#flushedTo(stream, stream.#writes?.ends.shift() ?? stream.#flushed);
  }

  static #writeQueues(stream: BaseIOStream): WriteQueues {
    if (stream.#writes === null) stream.#writes = new WriteQueues();
    return stream.#writes;
  }

  /** Hands `bytes` (ending at byte count `end`) to the transport. */
  static #send(
    stream: BaseIOStream,
    transport: Transport,
    bytes: Uint8Array | string,
    end: number,
  ): void {
    if (transport.write(bytes)) BaseIOStream.#flushedTo(stream, end);
    else BaseIOStream.#writeQueues(stream).ends.push(end);
  }

  /** Everything up to byte count `end` reached the kernel: resolve the writes it covers. */
  static #flushedTo(stream: BaseIOStream, end: number): void {
    if (end > stream.#flushed) stream.#flushed = end;
    const writes = stream.#writes;
    if (writes === null) return;
    const { indexes, futures } = writes;
    for (
      let next = indexes.peek();
      next !== undefined && next <= stream.#flushed;
      next = indexes.peek()
    ) {
      indexes.shift();
      futureSetResultUnlessCancelled(futures.shift()!, undefined);
    }
  }

  static #checkClosed(stream: BaseIOStream): void {
    if (has(stream.#flags, CLOSED))
      throw new StreamClosedError({ cause: stream.error ?? undefined });
  }

  static #beginRead(stream: BaseIOStream, kind: ReadKind): void {
    if (stream.#readKind !== NONE) {
      // A read left pending by a close fails as closed, not as "already reading" (Tornado #2651).
      BaseIOStream.#checkClosed(stream);
      throw new AlreadyReadingError();
    }
    stream.#readKind = kind;
  }

  static #specFor(stream: BaseIOStream): ReadSpec {
    stream.#spec ??= new ReadSpec();
    return stream.#spec;
  }

  /** The streaming callback of the pending read, if any. */
  static #streaming(stream: BaseIOStream): ((chunk: Buffer) => void) | null {
    const spec = stream.#spec;
    return spec === null ? null : spec.streamingCallback;
  }

  static #startRead<T>(stream: BaseIOStream, kind: ReadKind): Future<T> {
    BaseIOStream.#beginRead(stream, kind);
    const future = new BaseIOStream.#ReadFuture<T>(stream);
    stream.#readFuture = future as Future<unknown>;
    return future;
  }

  /** The delimiter as bytes: a view of a Uint8Array, a string encoded once and cached. */
  static #delimiterBytes(spec: ReadSpec, delimiter: Uint8Array | string): Buffer {
    if (typeof delimiter !== 'string') {
      return Buffer.isBuffer(delimiter)
        ? delimiter
        : Buffer.from(delimiter.buffer, delimiter.byteOffset, delimiter.byteLength);
    }
    if (delimiter !== spec.lastDelimiterText) {
      spec.lastDelimiterText = delimiter;
      spec.lastDelimiter = Buffer.from(delimiter, 'utf8');
    }
    return spec.lastDelimiter;
  }

  /** Completes the new read from the buffer if it can; otherwise makes sure data flows. */
  static #run<T>(
    stream: BaseIOStream,
    future: Future<T>,
    callback: ReadCallback<T> | undefined,
  ): Future<T> {
    try {
      if (!BaseIOStream.#trySatisfy(stream)) {
        if (has(stream.#flags, CLOSED)) {
          BaseIOStream.#clearRead(stream);
          throw new StreamClosedError({ cause: stream.error ?? undefined });
        }
        if (stream.#buffer.size > stream.maxBufferSize) BaseIOStream.#overflow(stream);
      }
    } catch (error) {
      if (!(error instanceof UnsatisfiableReadError)) {
        BaseIOStream.#clearRead(stream);
        throw error;
      }
      // Reported through the Future, as when the data arrives later (Tornado).
      BaseIOStream.#unsatisfiable(stream, error);
    }
    BaseIOStream.#flow(stream);
    if (callback !== undefined) {
      future.addDoneCallback((f) => {
        if (!f.cancelled() && f.exception() === null)
          stream.ioLoop.addCallback(callback, f.result());
      });
    }
    return future;
  }

  static #onData(stream: BaseIOStream, chunk: Buffer): void {
    if (has(stream.#flags, CLOSED)) return;
    // Fast path: a pending readBytes that stream chunk completes exactly, with nothing buffered
    // (every read of a request/response protocol and of a bulk partial-read loop).
    if (
      stream.#readKind === BYTES &&
      stream.#buffer.size === 0 &&
      BaseIOStream.#streaming(stream) === null &&
      (chunk.length === stream.#readBytes ||
        (has(stream.#flags, READ_PARTIAL) && chunk.length < stream.#readBytes))
    ) {
      BaseIOStream.#finishRead(stream, chunk);
      return;
    }
    stream.#buffer.append(chunk);
    if (stream.#readKind !== NONE) {
      try {
        if (
          !BaseIOStream.#trySatisfy(stream) &&
          stream.#buffer.size > stream.maxBufferSize &&
          !has(stream.#flags, CLOSED)
        ) {
          BaseIOStream.#overflow(stream);
          return;
        }
      } catch (error) {
        if (error instanceof UnsatisfiableReadError) BaseIOStream.#unsatisfiable(stream, error);
        else {
          genLog.error('Uncaught exception in a read, closing the stream', error);
          stream.close(error);
        }
        return;
      }
    }
    if (
      !has(stream.#flags, PAUSED) &&
      stream.#readKind === NONE &&
      stream.#buffer.size >= stream.readChunkSize
    ) {
      BaseIOStream.#flow(stream);
    }
  }

  /**
   * Completes the pending read if the buffer allows; true when no read is pending afterwards.
   * Throws {@link UnsatisfiableReadError} when `maxBytes` is exceeded.
   */
  static #trySatisfy(stream: BaseIOStream): boolean {
    const buffer = stream.#buffer;
    switch (stream.#readKind) {
      case NONE:
        return true;
      case BYTES: {
        if (BaseIOStream.#streaming(stream) !== null) {
          if (!BaseIOStream.#runStreaming(stream, BYTES)) return true;
          if (stream.#readBytes > 0) return false;
          BaseIOStream.#finishRead(stream, EMPTY);
          return true;
        }
        const size = buffer.size;
        const n = stream.#readBytes;
        if (size < n && !(has(stream.#flags, READ_PARTIAL) && size > 0)) return false;
        BaseIOStream.#finishRead(stream, buffer.consume(Math.min(n, size)));
        return true;
      }
      case DELIMITER: {
        const spec = stream.#spec!;
        const delimiter = spec.delimiter;
        const at = buffer.indexOf(delimiter, spec.scanFrom);
        if (at < 0) {
          spec.scanFrom = Math.max(0, buffer.size - delimiter.length + 1);
          BaseIOStream.#checkMaxBytes(stream, buffer.size);
          return false;
        }
        const end = at + delimiter.length;
        BaseIOStream.#checkMaxBytes(stream, end);
        BaseIOStream.#finishRead(stream, buffer.consume(end));
        return true;
      }
      case REGEX: {
        const end = BaseIOStream.#searchRegex(stream);
        if (end < 0) {
          BaseIOStream.#checkMaxBytes(stream, buffer.size);
          return false;
        }
        BaseIOStream.#checkMaxBytes(stream, end);
        BaseIOStream.#finishRead(stream, buffer.consume(end));
        return true;
      }
      case INTO: {
        const spec = stream.#spec!;
        const target = spec.intoTarget;
        const take = Math.min(target.length - spec.intoFilled, buffer.size);
        if (take > 0) {
          buffer.copyOut(target, spec.intoFilled, take);
          spec.intoFilled += take;
        }
        const filled = spec.intoFilled;
        if (filled < target.length && !(has(stream.#flags, READ_PARTIAL) && filled > 0))
          return false;
        spec.intoTarget = EMPTY;
        BaseIOStream.#finishRead(stream, filled);
        return true;
      }
      case UNTIL_CLOSE: {
        if (
          BaseIOStream.#streaming(stream) !== null &&
          !BaseIOStream.#runStreaming(stream, UNTIL_CLOSE)
        )
          return true;
        if (!has(stream.#flags, CLOSED)) return false;
        BaseIOStream.#finishRead(
          stream,
          BaseIOStream.#streaming(stream) !== null ? EMPTY : buffer.consumeAll(),
        );
        return true;
      }
    }
  }

  /**
   * Hands buffered bytes to the streaming callback. Returns false when the callback ended the
   * read (by closing the stream), so the caller must not touch the read state.
   */
  static #runStreaming(stream: BaseIOStream, kind: ReadKind): boolean {
    const buffer = stream.#buffer;
    if (buffer.size === 0) return true;
    let n = buffer.size;
    if (kind === BYTES) {
      n = Math.min(stream.#readBytes, n);
      stream.#readBytes -= n;
    }
    if (n === 0) return true;
    const chunk = buffer.consume(n);
    const callback = stream.#spec!.streamingCallback!;
    const future = stream.#readFuture;
    try {
      callback(chunk);
    } catch (error) {
      appLog.error('Uncaught exception in a streamingCallback, closing the stream', error);
      stream.#flags |= FAIL_PENDING_READ;
      stream.close(error);
    }
    return stream.#readFuture === future && stream.#readKind === kind;
  }

  static #searchRegex(stream: BaseIOStream): number {
    const buffer = stream.#buffer;
    // The text grows with the buffer; only the new bytes are converted.
    const spec = stream.#spec!;
    const have = spec.regexText.length;
    if (have < buffer.size) spec.regexText += buffer.latin1(have);
    const regex = spec.regex!;
    regex.lastIndex = 0;
    const match = regex.exec(spec.regexText);
    return match === null ? -1 : match.index + match[0].length;
  }

  static #checkMaxBytes(stream: BaseIOStream, size: number): void {
    const spec = stream.#spec!;
    if (spec.maxBytes === NO_LIMIT || size <= spec.maxBytes) return;
    const what =
      stream.#readKind === REGEX
        ? `regex ${String(spec.regex)}`
        : `delimiter ${JSON.stringify(spec.delimiter.toString('latin1'))}`;
    throw new UnsatisfiableReadError(what, spec.maxBytes);
  }

  static #finishRead(stream: BaseIOStream, result: unknown): void {
    const receiver = stream.#readReceiver;
    if (receiver !== null) {
      BaseIOStream.#clearRead(stream);
      try {
        receiver.chunkRead(result as Buffer);
      } catch (error) {
        appLog.error('Uncaught exception in a ChunkReceiver', error);
      }
      return;
    }
    const future = stream.#readFuture!;
    BaseIOStream.#clearRead(stream);
    futureSetResultUnlessCancelled(future, result);
  }

  static #clearRead(stream: BaseIOStream): void {
    stream.#readKind = NONE;
    stream.#readFuture = null;
    stream.#readReceiver = null;
    stream.#spec?.reset();
  }

  static #unsatisfiable(stream: BaseIOStream, error: UnsatisfiableReadError): void {
    genLog.info(`Unsatisfiable read, closing connection: ${error.message}`);
    stream.close(error);
  }

  static #overflow(stream: BaseIOStream): void {
    genLog.error(
      `Reached maximum read buffer size (${stream.maxBufferSize} bytes), closing the stream`,
    );
    stream.#flags |= FAIL_PENDING_READ;
    stream.close(new StreamBufferFullError('read', stream.maxBufferSize));
  }

  /** Reads from the transport while a read is pending or the buffer is below the read-ahead. */
  static #flow(stream: BaseIOStream): void {
    const transport = stream.#transport;
    if (has(stream.#flags, CLOSED) || transport === null) return;
    const want = stream.#readKind !== NONE || stream.#buffer.size < stream.readChunkSize;
    if (want === has(stream.#flags, PAUSED)) {
      stream.#flags = withFlag(stream.#flags, PAUSED, !want);
      if (want) transport.resume();
      else transport.pause();
    }
  }

  static #failWrites(stream: BaseIOStream, cause: unknown): void {
    stream.#flags &= ~DRAINING;
    const writes = stream.#writes;
    if (writes === null) return;
    writes.ends.drain();
    writes.indexes.drain();
    for (const future of writes.futures.drain()) {
      failQuietly(future, new StreamClosedError({ cause }));
    }
  }

  static #signalClosed(stream: BaseIOStream): void {
    const cause = stream.error ?? undefined;
    const read = stream.#readFuture;
    const receiver = stream.#readReceiver;
    if (read !== null) {
      BaseIOStream.#clearRead(stream);
      failQuietly(read, new StreamClosedError({ cause }));
    } else if (receiver !== null) {
      BaseIOStream.#clearRead(stream);
      // Later, as a Future's callbacks would run: not from inside close().
      const error = new StreamClosedError({ cause });
      queueMicrotask(() => {
        try {
          receiver.chunkReadFailed(error);
        } catch (thrown) {
          appLog.error('Uncaught exception in a ChunkReceiver', thrown);
        }
      });
    }
    if (!has(stream.#flags, DRAINING)) BaseIOStream.#failWrites(stream, cause);
    stream.onClosed();
    const callback = stream.#closeCallback;
    if (callback !== null) {
      stream.#closeCallback = null;
      if (typeof callback === 'function') stream.ioLoop.addCallback(callback);
      else stream.ioLoop.addCallback(tellClosed, callback);
    }
  }
}
