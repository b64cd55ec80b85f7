/**
 * fast-check properties of the codec: whatever the message, its fragmentation, the wire split,
 * compression and direction, messages arrive intact; and any mutation of a valid stream ends in
 * messages, a close or one protocol error with a valid close code, never an exception.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  acceptDeflateOffer,
  closeFrame,
  type DeflateParameters,
  FrameParser,
  frame,
  Opcode,
  PerMessageDeflate,
  parseExtensionHeader,
  pingFrame,
} from '../src/index.js';
import { type ParsedEvent, RecordingSink, splitAt } from './helpers.js';

interface Message {
  data: Buffer;
  binary: boolean;
  compressed: boolean;
  cuts: number[];
  pingsBetween: number;
}

/** A buffer of `size` bytes from a cheap PRNG, with runs so that compression has work to do. */
function bulk(size: number, seed: number): Buffer {
  const out = Buffer.allocUnsafe(size);
  let x = seed | 1;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = (x & 0x300) === 0 ? 97 : x & 0xff;
  }
  return out;
}

const arbData: fc.Arbitrary<{ data: Buffer; binary: boolean }> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc
      .string({ unit: 'binary', maxLength: 200 })
      .map((s) => ({ data: Buffer.from(s), binary: false })),
  },
  {
    weight: 3,
    arbitrary: fc
      .uint8Array({ maxLength: 300 })
      .map((a) => ({ data: Buffer.from(a), binary: true })),
  },
  {
    weight: 1,
    arbitrary: fc
      .record({ size: fc.integer({ min: 0, max: 1 << 20 }), seed: fc.integer() })
      .map(({ size, seed }) => ({ data: bulk(size, seed), binary: true })),
  },
  {
    weight: 1,
    arbitrary: fc
      .record({ size: fc.integer({ min: 0, max: 300_000 }), seed: fc.integer() })
      .map(({ size, seed }) => ({
        data: Buffer.from(bulk(size, seed).toString('latin1'), 'utf8'),
        binary: false,
      })),
  },
);

const arbMessage = (compression: boolean): fc.Arbitrary<Message> =>
  fc
    .record({
      payload: arbData,
      compressed: compression ? fc.boolean() : fc.constant(false),
      cuts: fc.array(fc.nat(), { maxLength: 4 }),
      pingsBetween: fc.nat({ max: 2 }),
    })
    .map(({ payload, ...rest }) => ({ ...payload, ...rest }));

const arbParameters: fc.Arbitrary<DeflateParameters> = fc.record({
  serverNoContextTakeover: fc.boolean(),
  clientNoContextTakeover: fc.boolean(),
  serverMaxWindowBits: fc.integer({ min: 8, max: 15 }),
  clientMaxWindowBits: fc.integer({ min: 8, max: 15 }),
});

/** The frames of `m`, compressed by `deflate` when asked, fragmented at its cuts, pings between. */
function encode(m: Message, fromClient: boolean, deflate: PerMessageDeflate | undefined): Buffer[] {
  const payload = m.compressed && deflate !== undefined ? deflate.compress(m.data) : m.data;
  const pieces = splitAt(payload, m.cuts);
  const out: Buffer[] = [];
  pieces.forEach((piece, i) => {
    if (i > 0)
      for (let p = 0; p < m.pingsBetween; p++)
        out.push(pingFrame(Buffer.from([p]), { mask: fromClient }));
    out.push(
      frame(piece, {
        opcode: i === 0 ? (m.binary ? Opcode.BINARY : Opcode.TEXT) : Opcode.CONTINUATION,
        fin: i === pieces.length - 1,
        rsv1: i === 0 && m.compressed && deflate !== undefined,
        mask: fromClient,
      }),
    );
  });
  return out;
}

function run(
  wire: Buffer,
  cuts: readonly number[],
  isServer: boolean,
  maxMessageSize: number,
  deflate?: PerMessageDeflate,
): ParsedEvent[] {
  const sink = new RecordingSink();
  const parser = new FrameParser(sink, { isServer, maxMessageSize, permessageDeflate: deflate });
  for (const piece of splitAt(wire, cuts)) parser.push(piece);
  return sink.events;
}

describe('codec properties', () => {
  it('delivers any messages intact however they are fragmented, compressed, masked and split on the wire', () => {
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.option(arbParameters, { nil: undefined }),
        fc.array(arbMessage(true), { minLength: 1, maxLength: 4 }),
        fc.array(fc.nat(), { maxLength: 12 }),
        (fromClient, parameters, messages, wireCuts) => {
          const sender = parameters && new PerMessageDeflate({ isServer: !fromClient, parameters });
          const receiver =
            parameters && new PerMessageDeflate({ isServer: fromClient, parameters });
          const wire = Buffer.concat(messages.flatMap((m) => encode(m, fromClient, sender)));
          const events = run(wire, wireCuts, fromClient, 4 << 20, receiver);
          const delivered = events.filter((e) => e.kind === 'message');
          expect(events.every((e) => e.kind === 'message' || e.kind === 'ping')).toBe(true);
          expect(delivered.length).toBe(messages.length);
          delivered.forEach((e, i) => {
            expect(e.binary).toBe(messages[i]!.binary);
            expect(e.data.equals(messages[i]!.data)).toBe(true);
          });
        },
      ),
      { numRuns: 50 },
    );
  });

  it('ends any mutated stream in messages, a close or one protocol error with a valid code, independent of the split', () => {
    const mutation = fc.oneof(
      fc.record({
        kind: fc.constant('flip' as const),
        at: fc.nat(),
        bits: fc.integer({ min: 1, max: 255 }),
      }),
      fc.record({
        kind: fc.constant('insert' as const),
        at: fc.nat(),
        bytes: fc.uint8Array({ minLength: 1, maxLength: 12 }),
      }),
      fc.record({
        kind: fc.constant('delete' as const),
        at: fc.nat(),
        count: fc.integer({ min: 1, max: 12 }),
      }),
    );
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.boolean(),
        fc.array(arbMessage(true), { minLength: 1, maxLength: 3 }),
        fc.array(mutation, { minLength: 1, maxLength: 4 }),
        fc.array(fc.nat(), { maxLength: 8 }),
        (fromClient, compression, messages, mutations, wireCuts) => {
          const parameters = compression
            ? acceptDeflateOffer(parseExtensionHeader('permessage-deflate'))!.parameters
            : undefined;
          const sender = parameters && new PerMessageDeflate({ isServer: !fromClient, parameters });
          const small = messages.map((m) => ({ ...m, data: m.data.subarray(0, 2000) }));
          let wire = Buffer.concat([
            ...small.flatMap((m) => encode(m, fromClient, sender)),
            closeFrame(1000, 'bye', { mask: fromClient }),
          ]);
          for (const m of mutations) {
            const at = m.at % (wire.length + 1);
            if (m.kind === 'flip' && at < wire.length) {
              wire = Buffer.from(wire);
              wire[at]! ^= m.bits;
            } else if (m.kind === 'insert') {
              wire = Buffer.concat([wire.subarray(0, at), m.bytes, wire.subarray(at)]);
            } else if (m.kind === 'delete') {
              wire = Buffer.concat([wire.subarray(0, at), wire.subarray(at + m.count)]);
            }
          }
          const fresh = () =>
            parameters && new PerMessageDeflate({ isServer: fromClient, parameters });
          const whole = run(wire, [], fromClient, 64 * 1024, fresh());
          const split = run(wire, wireCuts, fromClient, 64 * 1024, fresh());
          expect(split).toEqual(whole);
          const terminal = whole.findIndex((e) => e.kind === 'close' || e.kind === 'error');
          if (terminal >= 0) expect(terminal).toBe(whole.length - 1);
          for (const e of whole) {
            if (e.kind === 'error') expect([1002, 1007, 1009]).toContain(e.error.closeCode);
            if (e.kind === 'message' && !e.binary)
              expect(() => new TextDecoder('utf-8', { fatal: true }).decode(e.data)).not.toThrow();
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
