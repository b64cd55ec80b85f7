/**
 * Test helpers: a sink that records what a FrameParser delivers, frame builders for malformed
 * input, and input splitting.
 */
import {
  FrameParser,
  type FrameParserOptions,
  type FrameParserSink,
  type WebSocketProtocolError,
} from '../src/index.js';

/** One delivered event, in a comparable shape. */
export type ParsedEvent =
  | { kind: 'message'; data: Buffer; binary: boolean }
  | { kind: 'ping'; data: Buffer }
  | { kind: 'pong'; data: Buffer }
  | { kind: 'close'; code: number; reason: string }
  | { kind: 'error'; error: WebSocketProtocolError };

/** A sink that records events in order. */
export class RecordingSink implements FrameParserSink {
  readonly events: ParsedEvent[] = [];
  onMessage(data: Buffer, binary: boolean): void {
    this.events.push({ kind: 'message', data: Buffer.from(data), binary });
  }
  onPing(data: Buffer): void {
    this.events.push({ kind: 'ping', data: Buffer.from(data) });
  }
  onPong(data: Buffer): void {
    this.events.push({ kind: 'pong', data: Buffer.from(data) });
  }
  onClose(code: number, reason: string): void {
    this.events.push({ kind: 'close', code, reason });
  }
  onError(error: WebSocketProtocolError): void {
    this.events.push({ kind: 'error', error });
  }

  /** The error events' close codes. */
  get errors(): WebSocketProtocolError[] {
    return this.events.flatMap((e) => (e.kind === 'error' ? [e.error] : []));
  }

  /** The messages as `[text or hex, binary]`. */
  get messages(): Array<{ data: Buffer; binary: boolean }> {
    return this.events.flatMap((e) =>
      e.kind === 'message' ? [{ data: e.data, binary: e.binary }] : [],
    );
  }
}

/** A parser with a recording sink. */
export function parser(options: FrameParserOptions): { parser: FrameParser; sink: RecordingSink } {
  const sink = new RecordingSink();
  return { parser: new FrameParser(sink, options), sink };
}

/** Parses `bytes` in one push and returns the recorded events. */
export function parseAll(
  bytes: Uint8Array | Uint8Array[],
  options: FrameParserOptions,
): RecordingSink {
  const { parser: p, sink } = parser(options);
  for (const chunk of Array.isArray(bytes) ? bytes : [bytes]) p.push(chunk);
  return sink;
}

/** The deterministic mask key used in tests. */
export const KEY = Uint8Array.from([0x37, 0xfa, 0x21, 0x3d]);
export const fixedKey = (): Uint8Array => KEY;

/** Options for a frame written by hand, including things the writer refuses to produce. */
export interface RawFrame {
  fin?: boolean;
  rsv?: number;
  opcode: number;
  payload?: Uint8Array;
  mask?: boolean;
  /** Length field to claim instead of the payload's length. */
  claimedLength?: number | bigint;
  /** Force the 16- or 64-bit length form. */
  lengthForm?: 7 | 16 | 64;
}

/** Builds a frame byte by byte, allowing every violation. */
export function rawFrame(f: RawFrame): Buffer {
  const payload = Buffer.from(f.payload ?? []);
  const length = BigInt(f.claimedLength ?? payload.length);
  const form = f.lengthForm ?? (length < 126n ? 7 : length <= 0xffffn ? 16 : 64);
  const head = [((f.fin ?? true) ? 0x80 : 0) | ((f.rsv ?? 0) << 4) | f.opcode];
  const maskBit = f.mask === true ? 0x80 : 0;
  const ext: number[] = [];
  if (form === 7) head.push(maskBit | Number(length));
  else if (form === 16) {
    head.push(maskBit | 126);
    ext.push(Number(length >> 8n) & 0xff, Number(length) & 0xff);
  } else {
    head.push(maskBit | 127);
    for (let i = 7; i >= 0; i--) ext.push(Number((length >> BigInt(8 * i)) & 0xffn));
  }
  const body = Buffer.from(payload);
  if (f.mask === true) for (let i = 0; i < body.length; i++) body[i]! ^= KEY[i % 4]!;
  return Buffer.concat([
    Buffer.from(head),
    Buffer.from(ext),
    f.mask === true ? Buffer.from(KEY) : Buffer.alloc(0),
    body,
  ]);
}

/** Splits `data` at the given cut points (any numbers; taken modulo the length, sorted). */
export function splitAt(data: Uint8Array, cuts: readonly number[]): Buffer[] {
  const buf = Buffer.from(data);
  if (buf.length === 0) return [buf];
  const points = [...new Set(cuts.map((c) => c % (buf.length + 1)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let start = 0;
  for (const p of points) {
    out.push(buf.subarray(start, p));
    start = p;
  }
  out.push(buf.subarray(start));
  return out;
}

/** A connection delegate that ignores every event. */
export const silentDelegate = {
  onMessage: () => undefined,
  onPing: () => undefined,
  onPong: () => undefined,
  onConnectionClose: () => undefined,
  logException: () => undefined,
};
