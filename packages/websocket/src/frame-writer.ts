/**
 * The pure half of websocket output (RFC 6455 §5.2): bytes for one frame, with the header, the
 * optional masking key and the (masked) payload. No I/O; the connection writes what it gets.
 *
 * Header layout: byte 0 is FIN, RSV1-3 and the opcode; byte 1 is the MASK bit and a 7-bit length
 * (126 means a 16-bit length follows, 127 a 64-bit one); then the 4-byte masking key when
 * masked. The shortest length form is always used, as §5.2 requires.
 */
import { isValidCloseCode } from './close-codes.js';
import { WebSocketUsageError } from './errors.js';
import { applyMask, randomMaskKey } from './mask.js';
import { isControlOpcode, isKnownOpcode, Opcode, type OpcodeValue } from './opcode.js';

/** Options of {@link frame} and {@link frameHeader}. */
export interface FrameOptions {
  /** The frame's opcode. */
  opcode: OpcodeValue;
  /** Whether this is the last frame of its message (default true). Control frames must be final. */
  fin?: boolean;
  /** Whether to mask the payload; clients must, servers must not (default false). */
  mask?: boolean;
  /** Sets RSV1, which marks a compressed message under permessage-deflate (default false). */
  rsv1?: boolean;
  /**
   * Where masking keys come from (default: {@link randomMaskKey}, the system CSPRNG). Inject a
   * fixed key to make frames deterministic in tests; it must return 4 bytes.
   */
  maskKey?: () => Uint8Array;
}

/** Options for the control-frame helpers: only masking can be chosen. */
export type ControlFrameOptions = Pick<FrameOptions, 'mask' | 'maskKey'>;

/** The largest payload a control frame may carry (RFC 6455 §5.5). */
export const MAX_CONTROL_PAYLOAD = 125;

function checkFrame(length: number, opcode: number, fin: boolean): void {
  if (!isKnownOpcode(opcode)) {
    throw new WebSocketUsageError(`opcode 0x${opcode.toString(16)} is reserved; use one of Opcode`);
  }
  if (isControlOpcode(opcode)) {
    if (!fin)
      throw new WebSocketUsageError('control frames cannot be fragmented; send them with fin');
    if (length > MAX_CONTROL_PAYLOAD) {
      throw new WebSocketUsageError(
        `control frame payloads are limited to ${MAX_CONTROL_PAYLOAD} bytes (got ${length}); send the data as a message`,
      );
    }
  }
}

function writeHeader(
  target: Buffer,
  length: number,
  opcode: number,
  fin: boolean,
  rsv1: boolean,
  key: Uint8Array | undefined,
): number {
  target[0] = (fin ? 0x80 : 0) | (rsv1 ? 0x40 : 0) | opcode;
  const maskBit = key === undefined ? 0 : 0x80;
  let offset: number;
  if (length < 126) {
    target[1] = maskBit | length;
    offset = 2;
  } else if (length <= 0xffff) {
    target[1] = maskBit | 126;
    target.writeUInt16BE(length, 2);
    offset = 4;
  } else {
    target[1] = maskBit | 127;
    target.writeUInt32BE(Math.floor(length / 0x100000000), 2);
    target.writeUInt32BE(length >>> 0, 6);
    offset = 10;
  }
  if (key !== undefined) {
    target.set(key, offset);
    offset += 4;
  }
  return offset;
}

function headerSize(length: number, masked: boolean): number {
  return (length < 126 ? 2 : length <= 0xffff ? 4 : 10) + (masked ? 4 : 0);
}

function takeKey(options: FrameOptions): Uint8Array | undefined {
  if (options.mask !== true) return undefined;
  const key = (options.maskKey ?? randomMaskKey)();
  if (key.length !== 4)
    throw new WebSocketUsageError(`a masking key has 4 bytes; maskKey returned ${key.length}`);
  return key;
}

/**
 * Encodes one frame carrying `payload` (header, masking key when `mask`, then the payload,
 * masked when `mask`). `payload` is not modified.
 *
 * Throws {@link WebSocketUsageError} for a reserved opcode, or a control frame that is not final
 * or carries more than 125 bytes.
 *
 * @see Tornado `WebSocketProtocol13._write_frame`
 */
export function frame(payload: Uint8Array, options: FrameOptions): Buffer {
  const fin = options.fin ?? true;
  checkFrame(payload.length, options.opcode, fin);
  const key = takeKey(options);
  const out = Buffer.allocUnsafe(headerSize(payload.length, key !== undefined) + payload.length);
  const offset = writeHeader(out, payload.length, options.opcode, fin, options.rsv1 === true, key);
  if (key === undefined) out.set(payload, offset);
  else applyMask(payload, 0, out, offset, payload.length, key);
  return out;
}

/**
 * Encodes only the header of a frame whose payload is `length` bytes, for writing a large
 * unmasked payload without copying it (`writev([header, payload])`). With `mask` the payload
 * must be masked by the caller with the key at the end of the header; prefer {@link frame}.
 */
export function frameHeader(length: number, options: FrameOptions): Buffer {
  if (!Number.isSafeInteger(length) || length < 0) {
    throw new WebSocketUsageError(`a frame length is a non-negative safe integer, got ${length}`);
  }
  const fin = options.fin ?? true;
  checkFrame(length, options.opcode, fin);
  const key = takeKey(options);
  const out = Buffer.allocUnsafe(headerSize(length, key !== undefined));
  writeHeader(out, length, options.opcode, fin, options.rsv1 === true, key);
  return out;
}

/**
 * The payload of a close frame: the 2-byte code then the UTF-8 reason. No code and no reason
 * gives an empty payload; a reason without a code uses 1000, as Tornado does.
 *
 * Throws {@link WebSocketUsageError} for a code that may not be sent (see
 * {@link isValidCloseCode}) or a reason over 123 bytes of UTF-8.
 *
 * @see Tornado `WebSocketProtocol13.close`
 */
export function encodeClosePayload(code?: number, reason?: string): Buffer {
  if (code === undefined && reason === undefined) return Buffer.alloc(0);
  const status = code ?? 1000;
  if (!isValidCloseCode(status)) {
    throw new WebSocketUsageError(
      `close code ${status} cannot be sent; use 1000-1003, 1007-1014 or 3000-4999`,
    );
  }
  const text = Buffer.from(reason ?? '', 'utf8');
  if (text.length > MAX_CONTROL_PAYLOAD - 2) {
    throw new WebSocketUsageError(
      `a close reason is limited to ${MAX_CONTROL_PAYLOAD - 2} bytes of UTF-8 (got ${text.length}); shorten it`,
    );
  }
  const out = Buffer.allocUnsafe(2 + text.length);
  out.writeUInt16BE(status, 0);
  out.set(text, 2);
  return out;
}

/**
 * A close frame with `code` and `reason` (see {@link encodeClosePayload}).
 *
 * @see Tornado `WebSocketProtocol13.close`
 */
export function closeFrame(
  code?: number,
  reason?: string,
  options: ControlFrameOptions = {},
): Buffer {
  return frame(encodeClosePayload(code, reason), { ...options, opcode: Opcode.CLOSE });
}

/**
 * A ping frame carrying `data` (at most 125 bytes).
 *
 * @see Tornado `WebSocketProtocol13.write_ping`
 */
export function pingFrame(
  data: Uint8Array = Buffer.alloc(0),
  options: ControlFrameOptions = {},
): Buffer {
  return frame(data, { ...options, opcode: Opcode.PING });
}

/**
 * A pong frame carrying `data` (at most 125 bytes): the answer to a ping, with its payload.
 *
 * @see Tornado `WebSocketProtocol13._handle_message` (the pong answer)
 */
export function pongFrame(
  data: Uint8Array = Buffer.alloc(0),
  options: ControlFrameOptions = {},
): Buffer {
  return frame(data, { ...options, opcode: Opcode.PONG });
}
