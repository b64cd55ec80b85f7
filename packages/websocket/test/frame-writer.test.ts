import { describe, expect, it } from 'vitest';
import {
  closeFrame,
  encodeClosePayload,
  frame,
  frameHeader,
  Opcode,
  pingFrame,
  pongFrame,
  WebSocketUsageError,
  websocketMask,
} from '../src/index.js';
import { fixedKey, KEY, parseAll } from './helpers.js';

describe('frame', () => {
  it('writes an unmasked text frame as in RFC 6455 §5.7', () => {
    expect(frame(Buffer.from('Hello'), { opcode: Opcode.TEXT })).toEqual(
      Buffer.from([0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f]),
    );
  });

  it('writes a masked text frame as in RFC 6455 §5.7 with an injected key', () => {
    const key = Uint8Array.from([0x37, 0xfa, 0x21, 0x3d]);
    expect(
      frame(Buffer.from('Hello'), { opcode: Opcode.TEXT, mask: true, maskKey: () => key }),
    ).toEqual(Buffer.from([0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58]));
  });

  it('writes a fragmented message as in RFC 6455 §5.7', () => {
    expect(frame(Buffer.from('Hel'), { opcode: Opcode.TEXT, fin: false })).toEqual(
      Buffer.from([0x01, 0x03, 0x48, 0x65, 0x6c]),
    );
    expect(frame(Buffer.from('lo'), { opcode: Opcode.CONTINUATION })).toEqual(
      Buffer.from([0x80, 0x02, 0x6c, 0x6f]),
    );
  });

  it.each([
    [0, 2],
    [125, 2],
    [126, 4],
    [65535, 4],
    [65536, 10],
  ])('uses the shortest length form for %i bytes (%i header bytes)', (length, headerBytes) => {
    const out = frame(Buffer.alloc(length, 7), { opcode: Opcode.BINARY });
    expect(out.length).toBe(length + headerBytes);
    const [message, ...rest] = parseAll(out, { isServer: false }).messages;
    expect(rest).toEqual([]);
    expect(message?.binary).toBe(true);
    expect(message?.data.equals(Buffer.alloc(length, 7))).toBe(true);
  });

  it('writes the 64-bit length big-endian', () => {
    const out = frameHeader(0x1_0000_0001, { opcode: Opcode.BINARY });
    expect(out).toEqual(Buffer.from([0x82, 0x7f, 0, 0, 0, 1, 0, 0, 0, 1]));
  });

  it('sets RSV1 when asked and leaves the payload untouched when masking', () => {
    const payload = Buffer.from('abc');
    const out = frame(payload, { opcode: Opcode.TEXT, rsv1: true, mask: true, maskKey: fixedKey });
    expect(out[0]).toBe(0xc1);
    expect(payload.toString()).toBe('abc');
    expect(out.subarray(6)).toEqual(websocketMask(KEY, payload));
  });

  it('draws a fresh random key per masked frame by default', () => {
    const a = frame(Buffer.from('x'), { opcode: Opcode.TEXT, mask: true });
    const b = frame(Buffer.from('x'), { opcode: Opcode.TEXT, mask: true });
    expect(a[1]).toBe(0x81);
    expect(a.subarray(2, 6)).not.toEqual(b.subarray(2, 6));
  });

  it('refuses control frames over 125 bytes, fragmented control frames and reserved opcodes', () => {
    expect(() => frame(Buffer.alloc(126), { opcode: Opcode.PING })).toThrow(WebSocketUsageError);
    expect(() => frame(Buffer.alloc(1), { opcode: Opcode.PONG, fin: false })).toThrow(
      /cannot be fragmented/,
    );
    expect(() => frame(Buffer.alloc(1), { opcode: 0x3 as never })).toThrow(/reserved/);
    expect(frame(Buffer.alloc(125), { opcode: Opcode.PING }).length).toBe(127);
  });

  it('refuses a mask source that does not return 4 bytes', () => {
    expect(() =>
      frame(Buffer.alloc(1), { opcode: Opcode.TEXT, mask: true, maskKey: () => new Uint8Array(3) }),
    ).toThrow(/4 bytes/);
  });
});

describe('frameHeader', () => {
  it('produces the same bytes as frame() minus the payload', () => {
    const payload = Buffer.alloc(70000, 1);
    const whole = frame(payload, { opcode: Opcode.BINARY, fin: false });
    const joined = Buffer.concat([
      frameHeader(payload.length, { opcode: Opcode.BINARY, fin: false }),
      payload,
    ]);
    expect(joined.equals(whole)).toBe(true);
  });

  it('rejects negative or fractional lengths', () => {
    expect(() => frameHeader(-1, { opcode: Opcode.BINARY })).toThrow(WebSocketUsageError);
    expect(() => frameHeader(1.5, { opcode: Opcode.BINARY })).toThrow(WebSocketUsageError);
  });
});

describe('close, ping and pong frames', () => {
  it('encodes the close code big-endian followed by the UTF-8 reason', () => {
    expect(encodeClosePayload(1001, 'bye ✓')).toEqual(
      Buffer.concat([Buffer.from([0x03, 0xe9]), Buffer.from('bye ✓')]),
    );
  });

  it('sends an empty close payload without code or reason, and 1000 for a reason alone', () => {
    expect(encodeClosePayload()).toEqual(Buffer.alloc(0));
    expect(encodeClosePayload(undefined, 'done').readUInt16BE(0)).toBe(1000);
  });

  it.each([1004, 1005, 1006, 1015, 999, 2000, 5000])('refuses to send close code %i', (code) => {
    expect(() => encodeClosePayload(code)).toThrow(WebSocketUsageError);
  });

  it('refuses a close reason over 123 bytes of UTF-8', () => {
    expect(encodeClosePayload(1000, 'x'.repeat(123)).length).toBe(125);
    expect(() => encodeClosePayload(1000, 'é'.repeat(62))).toThrow(/123 bytes/);
  });

  it('round-trips close, ping and pong frames through the parser', () => {
    const sink = parseAll(
      [
        pingFrame(Buffer.from('p'), { mask: true, maskKey: fixedKey }),
        pongFrame(Buffer.from('q'), { mask: true, maskKey: fixedKey }),
        pingFrame(undefined, { mask: true }),
        closeFrame(4000, 'app reason', { mask: true, maskKey: fixedKey }),
      ],
      { isServer: true },
    );
    expect(sink.events).toEqual([
      { kind: 'ping', data: Buffer.from('p') },
      { kind: 'pong', data: Buffer.from('q') },
      { kind: 'ping', data: Buffer.alloc(0) },
      { kind: 'close', code: 4000, reason: 'app reason' },
    ]);
  });
});
