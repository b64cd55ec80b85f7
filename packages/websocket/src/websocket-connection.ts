/**
 * One open websocket on an `IOStream`, for either side: reads with a {@link FrameParser},
 * writes with the frame writer, runs the close handshake and the keep-alive pings. The server's
 * {@link WebSocketHandler} and the client's `WebSocketClientConnection` are thin shells on it.
 *
 * Reading is pulled, one `readChunk` at a time, and stops while the parser is paused:
 * a delegate whose `onMessage` returns something pending (a Promise, a Future, a generator run
 * as a coroutine) pauses the parser until it settles, so the next message waits, as in Tornado,
 * and a slow consumer leaves the bytes in the kernel (TCP backpressure) instead of in memory.
 *
 * Closing (RFC 6455 §7): whoever closes first sends a close frame and waits up to
 * {@link CLOSE_TIMEOUT} seconds for the peer's; the answer to a peer's close echoes its code,
 * then the TCP connection is closed. A protocol error is answered with a close frame carrying
 * the parser's code (1002, 1007, 1009) and the TCP connection is closed at once (§7.1.7);
 * Tornado only drops the connection there. An exception in a delegate callback sends 1011.
 */
import { runGenerator } from '@tronada/gen';
import { Future, isGeneratorObject, isThenable, type TimeoutHandle } from '@tronada/ioloop';
import type { BaseIOStream, ChunkReceiver, StreamCloseListener } from '@tronada/iostream';
import { CloseCode } from './close-codes.js';
import { WebSocketClosedError, type WebSocketProtocolError } from './errors.js';
import { checkedMaxMessageSize, FrameParser, type FrameParserSink } from './frame-parser.js';
import { closeFrame, frame, frameHeader, pingFrame, pongFrame } from './frame-writer.js';
import { KeepAlivePinger } from './keep-alive-pinger.js';
import { Opcode } from './opcode.js';
import type { PerMessageDeflate } from './permessage-deflate.js';

/** Seconds to wait for the peer's close frame after sending ours, as Tornado. */
export const CLOSE_TIMEOUT = 5;

// The most bytes asked of the stream per read.
const READ_CHUNK = 64 * 1024;
/** Unmasked payloads from this size on are written after their header, not copied behind it. */
const UNCOPIED_PAYLOAD = 64 * 1024;

// The bits of WebSocketConnection's #flags (six switches that would each be a field).
const MASK = 1 << 0; // frames we write are masked (the client side)
const READING = 1 << 1; // a readChunk is pending
const STARTED = 1 << 2;
const SENT_CLOSE = 1 << 3;
const RECEIVED_CLOSE = 1 << 4;
const CLOSE_NOTIFIED = 1 << 5;

function has(flags: number, bit: number): boolean {
  return (flags & bit) !== 0;
}

/** What only a closing connection needs: the peer's close code and reason, our close timer. */
interface Closing {
  code: number | null;
  reason: string | null;
  timer: TimeoutHandle | null;
}

function closing(): Closing {
  return { code: null, reason: null, timer: null };
}

/** A message as delivered: text as a string, binary data as a Buffer. */
export type WebSocketMessage = string | Buffer;

/** What a {@link WebSocketConnection} reports to the side that owns it. */
export interface WebSocketConnectionDelegate {
  /** A whole message; returning something pending makes the next message wait for it. */
  onMessage(message: WebSocketMessage): unknown;
  /** A ping arrived (the pong is already sent). */
  onPing(data: Buffer): void;
  /** A pong arrived. */
  onPong(data: Buffer): void;
  /** The TCP connection closed; called once. */
  onConnectionClose(): void;
  /** An exception escaped a callback (it is followed by close 1011). */
  logException(error: unknown, where: string): void;
}

/** Options of {@link WebSocketConnection}. */
export interface WebSocketConnectionOptions {
  /** True on the server: frames read must be masked, frames written are not. */
  isServer: boolean;
  /** The largest message accepted, in bytes after decompression; more gets close 1009. */
  maxMessageSize?: number | undefined;
  /** The negotiated permessage-deflate, if any. */
  permessageDeflate?: PerMessageDeflate | undefined;
  /** Seconds between keep-alive pings; 0, null or undefined: none. */
  pingInterval?: number | null | undefined;
  /** Seconds without a pong before closing; default max(3 × pingInterval, 30). */
  pingTimeout?: number | null | undefined;
}

/**
 * A websocket over a stream already past its opening handshake. Nothing is read until
 * {@link start}.
 *
 * @see Tornado `WebSocketProtocol13`
 */
export class WebSocketConnection {
  /** The stream this connection owns. */
  readonly stream: BaseIOStream;
  readonly #delegate: WebSocketConnectionDelegate;
  // Made when bytes arrive and dropped whenever it is idle (between messages, nothing
  // buffered): an idle connection keeps no parser.
  #parser: FrameParser | null = null;
  readonly #maxMessageSize: number;
  readonly #deflate: PerMessageDeflate | undefined;
  // Null unless a ping interval was given.
  readonly #pinger: KeepAlivePinger | null;
  #flags = 0;
  #closing: Closing | null = null;
  #wireBytesIn = 0;
  #wireBytesOut = 0;
  #messageBytesIn = 0;
  #messageBytesOut = 0;

  constructor(
    stream: BaseIOStream,
    delegate: WebSocketConnectionDelegate,
    options: WebSocketConnectionOptions,
  ) {
    this.stream = stream;
    this.#delegate = delegate;
    this.#deflate = options.permessageDeflate;
    if (!options.isServer) this.#flags = MASK;
    const interval = options.pingInterval ?? 0;
    this.#pinger = interval > 0 ? new KeepAlivePinger(interval, options.pingTimeout) : null;
    this.#maxMessageSize = checkedMaxMessageSize(options.maxMessageSize);
    stream.setCloseCallback(this.#hooks);
  }

  /** The code of the peer's close frame (null before it, or when it carried none). */
  get closeCode(): number | null {
    return this.#closing?.code ?? null;
  }

  /** The reason of the peer's close frame (null before it, or when it carried none). */
  get closeReason(): string | null {
    return this.#closing?.reason ?? null;
  }

  /** Bytes read from the stream (frames of every kind, as on the wire). */
  get wireBytesIn(): number {
    return this.#wireBytesIn;
  }

  /** Bytes of message frames written to the stream (headers, masks and compressed payloads). */
  get wireBytesOut(): number {
    return this.#wireBytesOut;
  }

  /** Payload bytes of the messages received, after decompression. */
  get messageBytesIn(): number {
    return this.#messageBytesIn;
  }

  /** Payload bytes of the messages sent, before compression. */
  get messageBytesOut(): number {
    return this.#messageBytesOut;
  }

  /** The negotiated permessage-deflate, if any. */
  get permessageDeflate(): PerMessageDeflate | undefined {
    return this.#deflate;
  }

  /**
   * True once either side started the close handshake or the stream closed: writing is over.
   *
   * @see Tornado `WebSocketProtocol.is_closing`
   */
  isClosing(): boolean {
    return (this.#flags & (SENT_CLOSE | RECEIVED_CLOSE)) !== 0 || this.stream.closed();
  }

  /** Starts the keep-alive pings and reading (once the owner is ready for messages). */
  start(): void {
    if (has(this.#flags, STARTED)) return;
    this.#flags |= STARTED;
    this.startPinging();
    this.#hooks.readMore();
  }

  /**
   * Starts the keep-alive pings, if an interval was given (the server starts them before
   * `open`, as Tornado does).
   *
   * @see Tornado `WebSocketProtocol13.start_pinging`
   */
  startPinging(): void {
    const pinger = this.#pinger;
    if (pinger === null || pinger.running || this.isClosing()) return;
    pinger.start(this.stream.ioLoop.time(), () => this.#hooks.periodicPing());
  }

  /**
   * Sends a message: a string as text, bytes as binary (or as text with `binary: false`, which
   * must then be UTF-8). The Future resolves when the frame was handed to the kernel; it fails
   * with {@link WebSocketClosedError} if the stream closes first. On the server side, bytes of
   * 64 KiB or more are written after the frame header without a copy: leave them unchanged
   * until the Future resolves.
   *
   * @throws {@link WebSocketClosedError} when the connection is closing or closed.
   * @see Tornado `WebSocketProtocol13.write_message`
   */
  writeMessage(message: string | Uint8Array, binary: boolean): Future<void> {
    if (this.isClosing()) throw new WebSocketClosedError();
    let payload: Uint8Array = typeof message === 'string' ? Buffer.from(message, 'utf8') : message;
    const opcode = binary ? Opcode.BINARY : Opcode.TEXT;
    this.#messageBytesOut += payload.length;
    let rsv1 = false;
    if (this.#deflate !== undefined) {
      payload = this.#deflate.compress(payload);
      rsv1 = true;
    }
    let written: Future<void>;
    try {
      const mask = has(this.#flags, MASK);
      if (mask || payload.length < UNCOPIED_PAYLOAD) {
        // One write per frame: a small payload written apart from its header would wait for
        // the peer's delayed ACK under Nagle's algorithm.
        const bytes = frame(payload, { opcode, rsv1, mask });
        this.#wireBytesOut += bytes.length;
        written = this.stream.write(bytes);
      } else {
        // A large payload goes out as it is, after its header: copying it behind the header
        // would cost more than the extra write (and its full-size segments never wait).
        const header = frameHeader(payload.length, { opcode, rsv1 });
        this.#wireBytesOut += header.length + payload.length;
        this.stream.write(header);
        written = this.stream.write(payload);
      }
    } catch (error) {
      return Future.rejected(new WebSocketClosedError(undefined, { cause: error }));
    }
    if (written.done() && written.exception() == null) return written;
    const result = new Future<void>();
    written.addDoneCallback((f) => {
      const error = f.exception();
      if (error == null) result.setResult(undefined);
      else result.setException(new WebSocketClosedError(undefined, { cause: error }));
    });
    return result;
  }

  /**
   * Sends a ping carrying `data` (at most 125 bytes).
   *
   * @throws {@link WebSocketClosedError} when closing; `WebSocketUsageError` for over 125 bytes.
   * @see Tornado `WebSocketProtocol13.write_ping`
   */
  ping(data: string | Uint8Array = Buffer.alloc(0)): void {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    const ping = pingFrame(bytes, { mask: has(this.#flags, MASK) });
    if (this.isClosing()) throw new WebSocketClosedError();
    this.stream.write(ping);
  }

  /**
   * Starts (or completes) the close handshake: sends a close frame with `code` and `reason`
   * unless one was sent, then closes the stream if the peer's close frame is in, or else waits
   * up to {@link CLOSE_TIMEOUT} seconds for it. Idempotent.
   *
   * @throws `WebSocketUsageError` for a code that may not be sent or a reason over 123 bytes.
   * @see Tornado `WebSocketProtocol13.close`
   */
  close(code?: number, reason?: string): void {
    if (!has(this.#flags, SENT_CLOSE)) {
      const close = closeFrame(code, reason, { mask: has(this.#flags, MASK) });
      this.#flags |= SENT_CLOSE;
      if (!this.stream.closed()) {
        try {
          this.stream.write(close);
        } catch {
          this.abort();
          return;
        }
      }
    }
    this.#pinger?.stop();
    if (has(this.#flags, RECEIVED_CLOSE) || this.stream.closed()) {
      this.#hooks.clearCloseTimer();
      this.stream.close();
    } else {
      this.#closing ??= closing();
      this.#closing.timer ??= this.stream.ioLoop.callLater(CLOSE_TIMEOUT, () => this.abort());
    }
  }

  /**
   * Closes the stream now, without (more of) the close handshake.
   *
   * @see Tornado `WebSocketProtocol._abort`
   */
  abort(): void {
    this.#flags |= SENT_CLOSE | RECEIVED_CLOSE;
    this.#hooks.clearCloseTimer();
    this.#pinger?.stop();
    this.stream.close();
  }

  /** Turns Nagle's algorithm off (`true`) or on. @see Tornado `WebSocketProtocol13.set_nodelay` */
  setNodelay(value: boolean): void {
    this.stream.setNodelay(value);
  }

  /**
   * Fails the connection (RFC 6455 §7.1.7): sends close `code` (1002/1007/1009 for a peer's
   * error, 1011 for our own) unless a close frame went out already, and drops the TCP
   * connection without waiting for the answer.
   */
  fail(code: number, reason: string): void {
    if (!has(this.#flags, SENT_CLOSE) && !this.stream.closed()) {
      this.#flags |= SENT_CLOSE;
      try {
        this.stream.write(closeFrame(code, reason, { mask: has(this.#flags, MASK) }));
      } catch {
        // The stream closed under us: nothing more to tell the peer.
      }
    }
    this.abort();
  }

  /**
   * The parser's sink, the stream's chunk receiver and its close listener, and the connection's
   * inner steps: methods of one small object per connection (nested here so that it may reach
   * the connection's private members), not a closure per callback. The connection itself has
   * no private methods: a class with any gives each instance a slot more.
   */
  static readonly #Hooks = class Hooks
    implements FrameParserSink, ChunkReceiver, StreamCloseListener
  {
    readonly #ws: WebSocketConnection;

    constructor(ws: WebSocketConnection) {
      this.#ws = ws;
    }

    chunkRead(chunk: Buffer): void {
      const ws = this.#ws;
      ws.#flags &= ~READING;
      ws.#wireBytesIn += chunk.length;
      const parser = ws.#parser ?? this.newParser();
      ws.#parser = parser;
      parser.push(chunk);
      if (parser.idle && ws.#parser === parser) ws.#parser = null;
      this.readMore();
    }

    newParser(): FrameParser {
      const ws = this.#ws;
      return new FrameParser(this, {
        isServer: !has(ws.#flags, MASK),
        maxMessageSize: ws.#maxMessageSize,
        permessageDeflate: ws.#deflate,
      });
    }

    chunkReadFailed(): void {
      // The stream closed (its close callback reports it); nothing more to parse.
      this.#ws.#flags &= ~READING;
    }

    streamClosed(): void {
      const ws = this.#ws;
      ws.#flags |= SENT_CLOSE | RECEIVED_CLOSE;
      this.clearCloseTimer();
      ws.#pinger?.stop();
      if (has(ws.#flags, CLOSE_NOTIFIED)) return;
      ws.#flags |= CLOSE_NOTIFIED;
      ws.#delegate.onConnectionClose();
    }

    onMessage(data: Buffer, binary: boolean): void {
      const ws = this.#ws;
      ws.#messageBytesIn += data.length;
      this.deliver(binary ? data : data.toString('utf8'));
    }

    onPing(data: Buffer): void {
      const ws = this.#ws;
      if (!ws.stream.closed() && !has(ws.#flags, SENT_CLOSE)) {
        try {
          ws.stream.write(pongFrame(data, { mask: has(ws.#flags, MASK) }));
        } catch {
          // Closed while answering: the close callback reports it.
        }
      }
      this.call('onPing', () => ws.#delegate.onPing(data));
    }

    onPong(data: Buffer): void {
      const ws = this.#ws;
      if (ws.#pinger !== null) ws.#pinger.lastPong = ws.stream.ioLoop.time();
      this.call('onPong', () => ws.#delegate.onPong(data));
    }

    onClose(code: number, reason: string): void {
      const ws = this.#ws;
      if (code !== CloseCode.NO_STATUS_RECEIVED) {
        ws.#closing ??= closing();
        ws.#closing.code = code;
        if (reason !== '') ws.#closing.reason = reason;
      }
      // Echo the peer's code (§5.5.1), then close the TCP connection; one loop turn later, so
      // that a consumer already handed the last message (whose code resumes in a microtask)
      // can still answer it (§5.5.1 lets an endpoint finish its message first).
      ws.stream.ioLoop.addCallback(() => {
        ws.#flags |= RECEIVED_CLOSE;
        ws.close(code === CloseCode.NO_STATUS_RECEIVED ? undefined : code);
      });
    }

    onError(error: WebSocketProtocolError): void {
      // One loop turn later, like the close echo: a message delivered just before the bad
      // frame may still be answered.
      const ws = this.#ws;
      ws.stream.ioLoop.addCallback(() => ws.fail(error.closeCode, error.reason));
    }

    readMore(): void {
      const ws = this.#ws;
      const parser = ws.#parser;
      if (has(ws.#flags, READING)) return;
      if (parser !== null && (parser.paused || parser.state !== 'open')) return;
      if (ws.stream.closed()) return;
      ws.#flags |= READING;
      try {
        ws.stream.readChunk(READ_CHUNK, this);
      } catch {
        ws.#flags &= ~READING;
        ws.abort();
      }
    }

    deliver(message: WebSocketMessage): void {
      const ws = this.#ws;
      let result: unknown;
      try {
        result = ws.#delegate.onMessage(message);
      } catch (error) {
        this.callbackFailed(error, 'onMessage');
        return;
      }
      const pending = toPending(result, 'onMessage');
      if (pending === undefined) return;
      // A Future that already succeeded (an echo whose write reached the kernel at once) is
      // finished: go on with the next frame now rather than pausing for a microtask turn.
      if (pending instanceof Future && succeeded(pending)) return;
      const parser = ws.#parser!;
      parser.pause();
      pending.then(
        () => {
          parser.resume();
          if (parser.idle && ws.#parser === parser) ws.#parser = null;
          this.readMore();
        },
        (error: unknown) => this.callbackFailed(error, 'onMessage'),
      );
    }

    call(where: string, fn: () => void): void {
      try {
        fn();
      } catch (error) {
        this.callbackFailed(error, where);
      }
    }

    callbackFailed(error: unknown, where: string): void {
      const ws = this.#ws;
      try {
        ws.#delegate.logException(error, where);
      } finally {
        ws.fail(CloseCode.INTERNAL_ERROR, 'internal error');
      }
    }

    periodicPing(): void {
      const ws = this.#ws;
      const pinger = ws.#pinger!;
      if (ws.isClosing()) {
        pinger.stop();
        return;
      }
      const now = ws.stream.ioLoop.time();
      if (pinger.timedOut(now)) {
        ws.close(CloseCode.GOING_AWAY, 'ping timeout');
        return;
      }
      ws.stream.write(pingFrame(undefined, { mask: has(ws.#flags, MASK) }));
      pinger.lastPing = now;
    }

    clearCloseTimer(): void {
      const ws = this.#ws;
      const state = ws.#closing;
      if (state === null || state.timer === null) return;
      ws.stream.ioLoop.removeTimeout(state.timer);
      state.timer = null;
    }
  };

  readonly #hooks = new WebSocketConnection.#Hooks(this);
}

function succeeded(future: Future<unknown>): boolean {
  return future.done() && !future.cancelled() && future.exception() == null;
}

/**
 * What to wait for after calling a user callback: a generator runs as a coroutine, a thenable
 * is waited on; anything else means the callback is done.
 */
export function toPending(value: unknown, name: string): PromiseLike<unknown> | undefined {
  if (isGeneratorObject(value)) {
    return runGenerator(value as Generator<unknown, unknown, unknown>, name);
  }
  if (isThenable(value)) return value as PromiseLike<unknown>;
  return undefined;
}
