/**
 * The websocket frame parser (RFC 6455 §5), a push parser after ws's Receiver: bytes go in
 * with `push(chunk)` in any split, events come out through a sink. No I/O, no timers.
 *
 * State machine, per frame:
 *
 * - `header`: wait for the first two bytes and check everything they decide at once (reserved
 *   bits, opcode, control-frame rules, fragmentation order, masking direction), so a bad frame
 *   fails before its length or payload arrive; then wait for the extended length and masking
 *   key and check the length (64-bit MSB, `maxMessageSize`).
 * - `payload`: a control frame (≤ 125 bytes) is taken whole, then dispatched; a data frame's
 *   payload is consumed as it arrives, unmasked piece by piece and, for uncompressed text,
 *   checked as UTF-8 incrementally, so invalid text fails at the first bad byte (§8.1) and a
 *   claimed length allocates nothing until bytes actually come.
 *
 * When the last frame of a message is in, the pieces are joined, inflated if RSV1 was set on its
 * first frame (bounded by `maxMessageSize`, RFC 7692 §8), and delivered. Control frames may sit
 * between the fragments of a message (§5.4). A close frame ends parsing (`closed`); a protocol
 * violation reports one {@link WebSocketProtocolError} with its close code and ends parsing
 * (`failed`). Nothing a peer sends makes `push` throw.
 */
import { isUtf8 } from 'node:buffer';
import { ChunkQueue } from './chunk-queue.js';
import { CloseCode, isValidCloseCode } from './close-codes.js';
import { type ProtocolCloseCode, WebSocketProtocolError, WebSocketUsageError } from './errors.js';
import { isControlOpcode, isKnownOpcode, Opcode } from './opcode.js';
import type { PerMessageDeflate } from './permessage-deflate.js';
import { Utf8Validator } from './utf8-validator.js';

/**
 * Where a {@link FrameParser} delivers what it parsed.
 *
 * @see Tornado `_WebSocketDelegate`
 */
export interface FrameParserSink {
  /** A whole message: UTF-8 bytes (already validated) when `binary` is false. */
  onMessage(data: Buffer, binary: boolean): void;
  /** A ping with its payload (answer it with a pong carrying the same bytes). */
  onPing(data: Buffer): void;
  /** A pong with its payload. */
  onPong(data: Buffer): void;
  /** The peer's close frame: its code (1005 when it carried none) and reason. Parsing stops. */
  onClose(code: number, reason: string): void;
  /** The peer broke the protocol; send `error.closeCode` and close. Parsing stops. */
  onError(error: WebSocketProtocolError): void;
}

/** Options of {@link FrameParser}. */
export interface FrameParserOptions {
  /** True on the server, which requires masked frames; a client requires unmasked ones. */
  isServer: boolean;
  /** The largest message, in bytes after decompression (default 10 MiB); more gets close 1009. */
  maxMessageSize?: number;
  /** The negotiated permessage-deflate, if any; without it RSV1 is a protocol error. */
  permessageDeflate?: PerMessageDeflate | undefined;
}

/** `open` while parsing; `closed` after a close frame; `failed` after a protocol error. */
export type FrameParserState = 'open' | 'closed' | 'failed';

/**
 * The default `maxMessageSize`: 10 MiB.
 *
 * @see Tornado `WebSocketHandler.max_message_size` (`websocket_max_message_size`)
 */
export const DEFAULT_MAX_MESSAGE_SIZE = 10 * 1024 * 1024;

const EMPTY = Buffer.alloc(0);

/**
 * `maxMessageSize` with its default, or a {@link WebSocketUsageError} when it is not a
 * non-negative integer (package-internal: a connection checks it once, up front).
 */
export function checkedMaxMessageSize(value: number | undefined): number {
  const max = value ?? DEFAULT_MAX_MESSAGE_SIZE;
  if (!Number.isSafeInteger(max) || max < 0) {
    throw new WebSocketUsageError(
      `maxMessageSize must be a non-negative integer of bytes, got ${max}`,
    );
  }
  return max;
}

// The mask key handed to the unmasking copy. Parsing is synchronous and the copy does not keep
// the key, so one shared scratch array serves every parser; each keeps its key as a number,
// which spares an idle connection a typed array and its backing store.
const scratchMask = new Uint8Array(4);

// The bits of FrameParser's #flags: its switches, its two-bit state and the small numbers of
// the frame being read, in one integer (each would be a field of every open connection).
const IS_SERVER = 1 << 0;
const PAUSED = 1 << 1;
const RUNNING = 1 << 2;
const FIN = 1 << 3;
const MASKED = 1 << 4;
const COMPRESSED = 1 << 5;
const IN_PAYLOAD = 1 << 6;
const CLOSED = 1 << 7;
const FAILED = 1 << 8;
const MASK_OFFSET_SHIFT = 9; // 2 bits: where in the mask key the next payload byte starts
const OPCODE_SHIFT = 12; // 4 bits: the opcode of the frame being read
const MESSAGE_OPCODE_SHIFT = 16; // 4 bits: the data message being assembled (0: none)

// An idle connection keeps neither a queue nor a validator: the parser takes them when bytes or
// a text message arrive and gives them back once drained or done. Parsing is synchronous, so a
// single spare of each serves a whole process, and a busy server does not allocate them either.
let spareQueue: ChunkQueue | null = null;
let spareValidator: Utf8Validator | null = null;

/**
 * Parses the frames of one websocket connection, in either direction.
 *
 * Guarantees: the events do not depend on how the input is split into chunks; `push` never
 * throws for any input (only a throwing sink can make it throw); after `onClose` or `onError`
 * nothing more is delivered and further input is dropped. `pause()` stops delivery after the
 * current event (bytes keep being buffered) until `resume()`, which is how a connection waits
 * for an async `onMessage`.
 *
 * An idle parser holds only its sink, its options and a few numbers: the input queue exists
 * while bytes are buffered, the UTF-8 state while a text message is incomplete.
 *
 * @see Tornado `WebSocketProtocol13._receive_frame` / `_handle_message`
 */
export class FrameParser {
  readonly #sink: FrameParserSink;
  readonly #maxMessageSize: number;
  readonly #deflate: PerMessageDeflate | undefined;
  #queue: ChunkQueue | null = null;
  #utf8: Utf8Validator | null = null;
  #flags = 0;

  // The frame being read.
  #maskKey = 0;
  #remaining = 0;

  // The data message being assembled.
  #pieces: Buffer[] | null = null;
  #messageLength = 0;

  constructor(sink: FrameParserSink, options: FrameParserOptions) {
    const max = checkedMaxMessageSize(options.maxMessageSize);
    this.#sink = sink;
    if (options.isServer) this.#flags = IS_SERVER;
    this.#maxMessageSize = max;
    this.#deflate = options.permessageDeflate;
  }

  #has(bit: number): boolean {
    return (this.#flags & bit) !== 0;
  }

  #set(bit: number, value: boolean): void {
    this.#flags = value ? this.#flags | bit : this.#flags & ~bit;
  }

  get #opcode(): number {
    return (this.#flags >>> OPCODE_SHIFT) & 0xf;
  }

  set #opcode(value: number) {
    this.#flags = (this.#flags & ~(0xf << OPCODE_SHIFT)) | (value << OPCODE_SHIFT);
  }

  get #messageOpcode(): number {
    return (this.#flags >>> MESSAGE_OPCODE_SHIFT) & 0xf;
  }

  set #messageOpcode(value: number) {
    this.#flags = (this.#flags & ~(0xf << MESSAGE_OPCODE_SHIFT)) | (value << MESSAGE_OPCODE_SHIFT);
  }

  get #maskOffset(): number {
    return (this.#flags >>> MASK_OFFSET_SHIFT) & 3;
  }

  set #maskOffset(value: number) {
    this.#flags = (this.#flags & ~(3 << MASK_OFFSET_SHIFT)) | ((value & 3) << MASK_OFFSET_SHIFT);
  }

  #isOpen(): boolean {
    return (this.#flags & (CLOSED | FAILED)) === 0;
  }

  /** Where parsing stands. */
  get state(): FrameParserState {
    return this.#has(FAILED) ? 'failed' : this.#has(CLOSED) ? 'closed' : 'open';
  }

  /** Bytes received but not yet parsed (grows while paused). */
  get bufferedAmount(): number {
    return this.#queue?.length ?? 0;
  }

  /**
   * True when nothing is in progress: open, not paused, no bytes buffered, and between frames
   * and between messages. An idle parser can be dropped and a new one made for the next bytes:
   * it would parse them the same way.
   */
  get idle(): boolean {
    return (
      (this.#flags & (PAUSED | RUNNING | CLOSED | FAILED | IN_PAYLOAD)) === 0 &&
      this.#messageOpcode === 0 &&
      this.#queue === null
    );
  }

  /** True between {@link pause} and {@link resume}. */
  get paused(): boolean {
    return this.#has(PAUSED);
  }

  /**
   * Feeds bytes from the peer and delivers every event they complete (unless paused). `chunk` is
   * kept by reference until parsed: do not reuse its memory.
   */
  push(chunk: Uint8Array): void {
    if (!this.#isOpen()) return;
    let queue = this.#queue;
    if (queue === null) {
      queue = spareQueue ?? new ChunkQueue();
      spareQueue = null;
      this.#queue = queue;
    }
    queue.push(chunk);
    this.#run();
  }

  /** Stops delivering events after the current one; input is buffered meanwhile. */
  pause(): void {
    this.#flags |= PAUSED;
  }

  /** Delivers what was buffered while paused and goes on parsing. */
  resume(): void {
    this.#flags &= ~PAUSED;
    this.#run();
  }

  #run(): void {
    // A sink that pushes or resumes from inside a callback must not start a second loop: the
    // running one sees the new bytes and flags.
    const queue = this.#queue;
    if (queue === null || this.#has(RUNNING)) return;
    this.#flags |= RUNNING;
    try {
      while ((this.#flags & (CLOSED | FAILED | PAUSED)) === 0) {
        const progressed = this.#has(IN_PAYLOAD)
          ? this.#readPayload(queue)
          : this.#readHeader(queue);
        if (!progressed) break;
      }
    } finally {
      this.#flags &= ~RUNNING;
      if (queue.length === 0 || !this.#isOpen()) {
        queue.clear();
        this.#queue = null;
        spareQueue = queue;
      }
    }
  }

  /** Ends the data message being assembled (delivered or dropped). */
  #endMessage(): void {
    this.#messageOpcode = 0;
    this.#flags &= ~COMPRESSED;
    this.#pieces = null;
    this.#messageLength = 0;
    const utf8 = this.#utf8;
    if (utf8 !== null) {
      this.#utf8 = null;
      spareValidator = utf8;
    }
  }

  #fail(closeCode: ProtocolCloseCode, rule: string, reason: string, cause?: unknown): false {
    this.#flags |= FAILED;
    this.#queue?.clear();
    this.#endMessage();
    const error =
      cause instanceof WebSocketProtocolError
        ? cause
        : new WebSocketProtocolError(closeCode, rule, reason);
    this.#sink.onError(error);
    return false;
  }

  #readHeader(queue: ChunkQueue): boolean {
    if (queue.length < 2) return false;
    const b0 = queue.peek(0);
    const b1 = queue.peek(1);
    const fin = (b0 & 0x80) !== 0;
    const rsv1 = (b0 & 0x40) !== 0;
    const opcode = b0 & 0x0f;
    const masked = (b1 & 0x80) !== 0;
    const len7 = b1 & 0x7f;
    const control = isControlOpcode(opcode);
    const isServer = this.#has(IS_SERVER);
    const messageOpcode = this.#messageOpcode;

    if ((b0 & 0x30) !== 0)
      return this.#fail(1002, 'rsv-bits', 'RSV2 or RSV3 set without an extension');
    if (!isKnownOpcode(opcode))
      return this.#fail(1002, 'unknown-opcode', `reserved opcode 0x${opcode.toString(16)}`);
    if (rsv1) {
      if (this.#deflate === undefined)
        return this.#fail(1002, 'rsv-bits', 'RSV1 set without permessage-deflate');
      if (opcode === Opcode.CONTINUATION || control) {
        return this.#fail(
          1002,
          'rsv1-placement',
          'RSV1 set on a frame that does not start a message',
        );
      }
    }
    if (control) {
      if (!fin) return this.#fail(1002, 'fragmented-control', 'fragmented control frame');
      if (len7 > 125) return this.#fail(1002, 'control-too-long', 'control frame over 125 bytes');
    } else if (opcode === Opcode.CONTINUATION) {
      if (messageOpcode === 0)
        return this.#fail(1002, 'unexpected-continuation', 'continuation without a message');
    } else if (messageOpcode !== 0) {
      return this.#fail(1002, 'expected-continuation', 'new message inside a fragmented message');
    }
    if (masked !== isServer) {
      return isServer
        ? this.#fail(1002, 'unmasked-frame', 'client frames must be masked')
        : this.#fail(1002, 'masked-frame', 'server frames must not be masked');
    }

    const lengthBytes = len7 === 126 ? 2 : len7 === 127 ? 8 : 0;
    const headerLength = 2 + lengthBytes + (masked ? 4 : 0);
    if (queue.length < headerLength) return false;

    let length = len7;
    if (lengthBytes === 2) {
      length = (queue.peek(2) << 8) | queue.peek(3);
    } else if (lengthBytes === 8) {
      const high =
        ((queue.peek(2) << 24) | (queue.peek(3) << 16) | (queue.peek(4) << 8) | queue.peek(5)) >>>
        0;
      if (high >= 0x80000000)
        return this.#fail(1002, 'length-msb', '64-bit length with the high bit set');
      const low =
        ((queue.peek(6) << 24) | (queue.peek(7) << 16) | (queue.peek(8) << 8) | queue.peek(9)) >>>
        0;
      length = high * 0x100000000 + low;
    }
    if (!control) {
      const compressed = opcode === Opcode.CONTINUATION ? this.#has(COMPRESSED) : rsv1;
      const total = (opcode === Opcode.CONTINUATION ? this.#messageLength : 0) + length;
      if (total > (compressed ? compressedLimit(this.#maxMessageSize) : this.#maxMessageSize)) {
        return this.#fail(1009, 'message-too-big', 'message too big');
      }
    }

    if (masked) {
      const at = 2 + lengthBytes;
      this.#maskKey =
        (queue.peek(at) << 24) |
        (queue.peek(at + 1) << 16) |
        (queue.peek(at + 2) << 8) |
        queue.peek(at + 3);
    }
    queue.skip(headerLength);
    this.#set(MASKED, masked);
    this.#maskOffset = 0;
    this.#set(FIN, fin);
    this.#opcode = opcode;
    this.#remaining = length;
    if (!control && opcode !== Opcode.CONTINUATION) {
      this.#messageOpcode = opcode;
      this.#set(COMPRESSED, rsv1);
      this.#messageLength = 0;
      this.#pieces = null;
      if (opcode === Opcode.TEXT && !rsv1) {
        // Text is checked as it arrives; compressed text is checked once inflated.
        const utf8 = spareValidator ?? new Utf8Validator();
        spareValidator = null;
        utf8.reset();
        this.#utf8 = utf8;
      }
    }
    this.#flags |= IN_PAYLOAD;
    return true;
  }

  #readPayload(queue: ChunkQueue): boolean {
    if (isControlOpcode(this.#opcode)) {
      if (queue.length < this.#remaining) return false;
      const data = this.#consume(queue, this.#remaining);
      this.#flags &= ~IN_PAYLOAD;
      this.#remaining = 0;
      this.#control(data);
      return true;
    }
    if (this.#remaining > 0) {
      if (queue.length === 0) return false;
      const data = this.#consume(queue, Math.min(this.#remaining, queue.length));
      this.#remaining -= data.length;
      this.#messageLength += data.length;
      if (this.#pieces === null) this.#pieces = [data];
      else this.#pieces.push(data);
      if (this.#utf8 !== null && this.#utf8.write(data) >= 0) {
        return this.#fail(1007, 'text-utf8', 'text message is not valid UTF-8');
      }
      if (this.#remaining > 0) return true;
    }
    this.#flags &= ~IN_PAYLOAD;
    if (this.#has(FIN)) this.#finishMessage();
    return true;
  }

  /** Takes `n` buffered payload bytes, unmasked. */
  #consume(queue: ChunkQueue, n: number): Buffer {
    if (n === 0) return EMPTY;
    if (!this.#has(MASKED)) {
      // Unmasked (a client reading a server): a view of the pushed chunk when it holds them all.
      const view = queue.takeSome(n);
      if (view.length === n) return view;
      const out = Buffer.allocUnsafe(n);
      out.set(view, 0);
      queue.consumeInto(out, view.length, n - view.length);
      return out;
    }
    // Unmask into a new buffer: the input chunks belong to the caller.
    const out = Buffer.allocUnsafe(n);
    const key = this.#maskKey;
    scratchMask[0] = key >>> 24;
    scratchMask[1] = key >>> 16;
    scratchMask[2] = key >>> 8;
    scratchMask[3] = key;
    this.#maskOffset = queue.consumeInto(out, 0, n, scratchMask, this.#maskOffset);
    return out;
  }

  #finishMessage(): void {
    const pieces = this.#pieces;
    const binary = this.#messageOpcode === Opcode.BINARY;
    let data =
      pieces === null
        ? EMPTY
        : pieces.length === 1
          ? pieces[0]!
          : Buffer.concat(pieces, this.#messageLength);
    const compressed = this.#has(COMPRESSED);
    const utf8 = this.#utf8;
    const validText = binary || compressed || utf8 === null || utf8.end();
    this.#endMessage();
    if (compressed) {
      try {
        data = this.#deflate!.decompress(data, this.#maxMessageSize);
      } catch (error) {
        // decompress throws only protocol errors: 1009 past the limit, 1007 for bad DEFLATE.
        const e = error as WebSocketProtocolError;
        this.#fail(e.closeCode, e.rule, e.reason, e);
        return;
      }
      if (!binary && !isUtf8(data)) {
        this.#fail(1007, 'text-utf8', 'text message is not valid UTF-8');
        return;
      }
    } else if (!validText) {
      this.#fail(1007, 'text-utf8', 'text message is not valid UTF-8');
      return;
    }
    this.#sink.onMessage(data, binary);
  }

  #control(data: Buffer): void {
    const opcode = this.#opcode;
    if (opcode === Opcode.PING) {
      this.#sink.onPing(data);
    } else if (opcode === Opcode.PONG) {
      this.#sink.onPong(data);
    } else {
      this.#close(data);
    }
  }

  #close(data: Buffer): void {
    if (data.length === 1) {
      this.#fail(1002, 'close-payload', 'close frame with a 1-byte payload');
      return;
    }
    let code: number = CloseCode.NO_STATUS_RECEIVED;
    let reason = '';
    if (data.length >= 2) {
      code = data.readUInt16BE(0);
      if (!isValidCloseCode(code)) {
        this.#fail(1002, 'close-code', `invalid close code ${code}`);
        return;
      }
      const text = data.subarray(2);
      if (!isUtf8(text)) {
        this.#fail(1007, 'close-reason-utf8', 'close reason is not valid UTF-8');
        return;
      }
      reason = text.toString('utf8');
    }
    this.#flags |= CLOSED;
    this.#queue?.clear();
    this.#endMessage();
    this.#sink.onClose(code, reason);
  }
}

/**
 * The most compressed bytes a message of `max` bytes can take: DEFLATE adds at most a few bytes
 * per stored block of 64 KiB to incompressible data, so 1/1024 plus a little covers any honest
 * compressor while still bounding what we buffer before inflating.
 */
function compressedLimit(max: number): number {
  return max + Math.ceil(max / 1024) + 64;
}
