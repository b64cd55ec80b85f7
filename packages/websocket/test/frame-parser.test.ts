import { constants, deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  acceptDeflateOffer,
  closeFrame,
  FrameParser,
  frame,
  Opcode,
  PerMessageDeflate,
  parseExtensionHeader,
  pingFrame,
  WebSocketProtocolError,
  WebSocketUsageError,
} from '../src/index.js';
import { fixedKey, parseAll, parser, RecordingSink, rawFrame } from './helpers.js';

const server = { isServer: true } as const;
const client = { isServer: false } as const;
const text = (s: string, fin = true, opcode: number = Opcode.TEXT) =>
  rawFrame({ opcode, fin, payload: Buffer.from(s), mask: true });

function deflatePair(): { server: PerMessageDeflate; client: PerMessageDeflate } {
  const accepted = acceptDeflateOffer(parseExtensionHeader('permessage-deflate'))!;
  return {
    server: new PerMessageDeflate({ isServer: true, parameters: accepted.parameters }),
    client: new PerMessageDeflate({ isServer: false, parameters: accepted.parameters }),
  };
}

/** Expects exactly one error event, with this close code and rule, after `before` events. */
function expectError(sink: RecordingSink, closeCode: number, rule: string, before = 0): void {
  expect(sink.events.length).toBe(before + 1);
  const last = sink.events.at(-1)!;
  expect(last.kind).toBe('error');
  const error = (last as { error: WebSocketProtocolError }).error;
  expect(error).toBeInstanceOf(WebSocketProtocolError);
  expect(error.closeCode).toBe(closeCode);
  expect(error.rule).toBe(rule);
  expect(error.code).toBe('ERR_WEBSOCKET_PROTOCOL');
}

describe('FrameParser: messages', () => {
  it('delivers text and binary messages', () => {
    const sink = parseAll(
      [
        text('héllo'),
        rawFrame({ opcode: Opcode.BINARY, payload: Buffer.from([0, 255]), mask: true }),
      ],
      server,
    );
    expect(sink.messages).toEqual([
      { data: Buffer.from('héllo'), binary: false },
      { data: Buffer.from([0, 255]), binary: true },
    ]);
  });

  it('joins fragments and delivers control frames interleaved between them first', () => {
    const sink = parseAll(
      [
        text('Hel', false),
        rawFrame({ opcode: Opcode.PING, payload: Buffer.from('x'), mask: true }),
        text('l', false, Opcode.CONTINUATION),
        rawFrame({ opcode: Opcode.PONG, mask: true }),
        text('o', true, Opcode.CONTINUATION),
      ],
      server,
    );
    expect(sink.events).toEqual([
      { kind: 'ping', data: Buffer.from('x') },
      { kind: 'pong', data: Buffer.alloc(0) },
      { kind: 'message', data: Buffer.from('Hello'), binary: false },
    ]);
  });

  it('accepts empty messages and empty fragments', () => {
    const sink = parseAll([text(''), text('', false), text('', true, Opcode.CONTINUATION)], server);
    expect(sink.messages).toEqual([
      { data: Buffer.alloc(0), binary: false },
      { data: Buffer.alloc(0), binary: false },
    ]);
  });

  it('parses the same events when the input arrives one byte at a time', () => {
    const wire = Buffer.concat([
      text('one', false),
      pingFrame(Buffer.from('p'), { mask: true }),
      text('two', true, 0),
    ]);
    const { parser: p, sink } = parser(server);
    for (const byte of wire) p.push(Uint8Array.of(byte));
    expect(sink.events).toEqual([
      { kind: 'ping', data: Buffer.from('p') },
      { kind: 'message', data: Buffer.from('onetwo'), binary: false },
    ]);
    expect(p.bufferedAmount).toBe(0);
  });

  it('accepts a length in the 16- or 64-bit form even when shorter would do', () => {
    const a = rawFrame({ opcode: Opcode.TEXT, payload: Buffer.from('hi'), lengthForm: 16 });
    const b = rawFrame({ opcode: Opcode.TEXT, payload: Buffer.from('yo'), lengthForm: 64 });
    expect(parseAll([a, b], client).messages.map((m) => m.data.toString())).toEqual(['hi', 'yo']);
  });

  it('accepts a message of exactly maxMessageSize', () => {
    const sink = parseAll(frame(Buffer.alloc(1024, 97), { opcode: Opcode.TEXT }), {
      ...client,
      maxMessageSize: 1024,
    });
    expect(sink.messages).toHaveLength(1);
  });

  it('decompresses RSV1 messages when permessage-deflate is negotiated, mixed with plain ones', () => {
    const { server: s, client: c } = deflatePair();
    const compressed = c.compress(Buffer.from('compressed hello'));
    const sink = parseAll(
      [
        frame(compressed, { opcode: Opcode.TEXT, rsv1: true, mask: true, maskKey: fixedKey }),
        frame(Buffer.from('plain'), { opcode: Opcode.TEXT, mask: true, maskKey: fixedKey }),
        frame(c.compress(Buffer.from([1, 2, 3])), {
          opcode: Opcode.BINARY,
          rsv1: true,
          mask: true,
        }),
      ],
      { ...server, permessageDeflate: s },
    );
    expect(sink.messages).toEqual([
      { data: Buffer.from('compressed hello'), binary: false },
      { data: Buffer.from('plain'), binary: false },
      { data: Buffer.from([1, 2, 3]), binary: true },
    ]);
  });

  it('decompresses a compressed message split over fragments', () => {
    const { server: s, client: c } = deflatePair();
    const z = c.compress(Buffer.from('abc'.repeat(100)));
    const sink = parseAll(
      [
        frame(z.subarray(0, 3), { opcode: Opcode.TEXT, fin: false, rsv1: true, mask: true }),
        frame(z.subarray(3), { opcode: Opcode.CONTINUATION, mask: true }),
      ],
      { ...server, permessageDeflate: s },
    );
    expect(sink.messages).toEqual([{ data: Buffer.from('abc'.repeat(100)), binary: false }]);
  });
});

describe('FrameParser: close frames', () => {
  it('reports code 1005 for an empty close frame and stops parsing', () => {
    const { parser: p, sink } = parser(server);
    p.push(Buffer.concat([rawFrame({ opcode: Opcode.CLOSE, mask: true }), text('after')]));
    p.push(text('later'));
    expect(sink.events).toEqual([{ kind: 'close', code: 1005, reason: '' }]);
    expect(p.state).toBe('closed');
  });

  it('reports the code and UTF-8 reason', () => {
    const sink = parseAll(closeFrame(1000, 'ça va', { mask: true }), server);
    expect(sink.events).toEqual([{ kind: 'close', code: 1000, reason: 'ça va' }]);
  });

  it.each([
    1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 3999, 4000, 4999,
  ])('accepts close code %i', (code) => {
    const payload = Buffer.alloc(2);
    payload.writeUInt16BE(code);
    expect(
      parseAll(rawFrame({ opcode: Opcode.CLOSE, payload, mask: true }), server).events,
    ).toEqual([{ kind: 'close', code, reason: '' }]);
  });

  it.each([0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535])(
    'answers close code %i with 1002',
    (code) => {
      const payload = Buffer.alloc(2);
      payload.writeUInt16BE(code);
      expectError(
        parseAll(rawFrame({ opcode: Opcode.CLOSE, payload, mask: true }), server),
        1002,
        'close-code',
      );
    },
  );

  it('answers a 1-byte close payload with 1002', () => {
    expectError(
      parseAll(rawFrame({ opcode: Opcode.CLOSE, payload: Buffer.from([3]), mask: true }), server),
      1002,
      'close-payload',
    );
  });

  it('answers a close reason that is not UTF-8 with 1007', () => {
    const payload = Buffer.from([
      0x03, 0xe8, 0xce, 0xba, 0xe1, 0xbd, 0xb9, 0xcf, 0x83, 0xce, 0xbc, 0xce, 0xb5, 0xed, 0xa0,
      0x80,
    ]);
    expectError(
      parseAll(rawFrame({ opcode: Opcode.CLOSE, payload, mask: true }), server),
      1007,
      'close-reason-utf8',
    );
  });
});

describe('FrameParser: protocol errors', () => {
  it.each([1, 2, 3, 4, 5, 6, 7])('answers RSV bits %i without an extension with 1002', (rsv) => {
    expectError(
      parseAll(
        rawFrame({ opcode: Opcode.TEXT, rsv, payload: Buffer.from('x'), mask: true }),
        server,
      ),
      1002,
      'rsv-bits',
    );
  });

  it('answers RSV2 or RSV3 with 1002 even with permessage-deflate', () => {
    const { server: s } = deflatePair();
    for (const rsv of [2, 1, 6]) {
      expectError(
        parseAll(rawFrame({ opcode: Opcode.TEXT, rsv, mask: true }), {
          ...server,
          permessageDeflate: s,
        }),
        1002,
        'rsv-bits',
      );
    }
  });

  it('answers RSV1 on a continuation or control frame with 1002', () => {
    const { server: s } = deflatePair();
    const options = { ...server, permessageDeflate: s };
    expectError(
      parseAll(
        [text('a', false), rawFrame({ opcode: 0, rsv: 4, payload: Buffer.from('b'), mask: true })],
        options,
      ),
      1002,
      'rsv1-placement',
    );
    expectError(
      parseAll(rawFrame({ opcode: Opcode.PING, rsv: 4, mask: true }), options),
      1002,
      'rsv1-placement',
    );
  });

  it.each([3, 4, 5, 6, 7, 0xb, 0xc, 0xd, 0xe, 0xf])(
    'answers reserved opcode 0x%s with 1002',
    (opcode) => {
      expectError(parseAll(rawFrame({ opcode, mask: true }), server), 1002, 'unknown-opcode');
    },
  );

  it('fails a reserved opcode between fragments after delivering what came before', () => {
    const sink = parseAll(
      [text('ok'), text('a', false), rawFrame({ opcode: 0xb, mask: true })],
      server,
    );
    expectError(sink, 1002, 'unknown-opcode', 1);
  });

  it('answers a control frame over 125 bytes with 1002 before its payload arrives', () => {
    expectError(
      parseAll(
        rawFrame({ opcode: Opcode.PING, claimedLength: 126, mask: true }).subarray(0, 2),
        server,
      ),
      1002,
      'control-too-long',
    );
  });

  it('answers a fragmented control frame with 1002', () => {
    expectError(
      parseAll(rawFrame({ opcode: Opcode.PING, fin: false, mask: true }), server),
      1002,
      'fragmented-control',
    );
    expectError(
      parseAll(rawFrame({ opcode: Opcode.CLOSE, fin: false, mask: true }), server),
      1002,
      'fragmented-control',
    );
  });

  it('answers a continuation frame with no message started with 1002', () => {
    expectError(
      parseAll(text('x', true, Opcode.CONTINUATION), server),
      1002,
      'unexpected-continuation',
    );
    expectError(
      parseAll([text('done'), text('x', false, Opcode.CONTINUATION)], server),
      1002,
      'unexpected-continuation',
      1,
    );
  });

  it('answers a new data frame inside a fragmented message with 1002', () => {
    expectError(parseAll([text('a', false), text('b')], server), 1002, 'expected-continuation');
    expectError(
      parseAll([text('a', false), rawFrame({ opcode: Opcode.BINARY, mask: true })], server),
      1002,
      'expected-continuation',
    );
  });

  it('answers an unmasked client frame with 1002 on the server', () => {
    expectError(
      parseAll(rawFrame({ opcode: Opcode.TEXT, payload: Buffer.from('x') }), server),
      1002,
      'unmasked-frame',
    );
  });

  it('answers a masked server frame with 1002 on the client', () => {
    expectError(parseAll(text('x'), client), 1002, 'masked-frame');
  });

  it('answers a 64-bit length with the most significant bit set with 1002', () => {
    expectError(
      parseAll(rawFrame({ opcode: Opcode.BINARY, claimedLength: 2n ** 63n }), client),
      1002,
      'length-msb',
    );
  });

  it('answers a frame longer than maxMessageSize with 1009 before reading its payload', () => {
    const header = rawFrame({ opcode: Opcode.BINARY, claimedLength: 2n ** 53n }).subarray(0, 10);
    expectError(parseAll(header, client), 1009, 'message-too-big');
    const small = rawFrame({ opcode: Opcode.BINARY, claimedLength: 1025, mask: true }).subarray(
      0,
      8,
    );
    expectError(parseAll(small, { ...server, maxMessageSize: 1024 }), 1009, 'message-too-big');
  });

  it('answers fragments that add up to more than maxMessageSize with 1009', () => {
    // Tornado's MaxMessageSizeTest: 1024 bytes pass, 1025 do not.
    const options = { ...server, maxMessageSize: 1024 };
    expect(
      parseAll([text('a'.repeat(1000), false), text('a'.repeat(24), true, 0)], options).messages,
    ).toHaveLength(1);
    const sink = parseAll([text('a'.repeat(1000), false), text('a'.repeat(25), true, 0)], options);
    expectError(sink, 1009, 'message-too-big');
    expect(sink.errors[0]!.reason).toBe('message too big');
  });

  it('answers text that is not UTF-8 with 1007 at the first bad byte, before the frame ends', () => {
    const bad = rawFrame({
      opcode: Opcode.TEXT,
      payload: Buffer.concat([Buffer.from('ok'), Buffer.from([0xff]), Buffer.alloc(20, 97)]),
      mask: true,
    });
    // Header (6) + "ok" + the bad byte: the rest of the frame has not arrived.
    expectError(parseAll(bad.subarray(0, 9), server), 1007, 'text-utf8');
  });

  it('validates UTF-8 across fragment boundaries', () => {
    const euro = Buffer.from('€');
    const good = parseAll(
      [
        rawFrame({ opcode: Opcode.TEXT, fin: false, payload: euro.subarray(0, 1), mask: true }),
        rawFrame({ opcode: 0, payload: euro.subarray(1), mask: true }),
      ],
      server,
    );
    expect(good.messages).toEqual([{ data: euro, binary: false }]);
    const truncated = parseAll(
      [
        rawFrame({ opcode: Opcode.TEXT, fin: false, payload: Buffer.from('a'), mask: true }),
        rawFrame({ opcode: 0, payload: euro.subarray(0, 2), mask: true }),
      ],
      server,
    );
    expectError(truncated, 1007, 'text-utf8');
  });

  it('does not check binary messages for UTF-8', () => {
    expect(
      parseAll(
        rawFrame({ opcode: Opcode.BINARY, payload: Buffer.from([0xff, 0xc0]), mask: true }),
        server,
      ).messages,
    ).toHaveLength(1);
  });

  it('answers compressed text that inflates to invalid UTF-8 with 1007', () => {
    const { server: s, client: c } = deflatePair();
    const z = c.compress(Buffer.from([0x61, 0xed, 0xa0, 0x80]));
    expectError(
      parseAll(frame(z, { opcode: Opcode.TEXT, rsv1: true, mask: true }), {
        ...server,
        permessageDeflate: s,
      }),
      1007,
      'text-utf8',
    );
  });

  it('answers data that is not DEFLATE with 1007', () => {
    const { server: s } = deflatePair();
    expectError(
      parseAll(
        frame(Buffer.from([0xff, 0xff, 0xff]), { opcode: Opcode.BINARY, rsv1: true, mask: true }),
        { ...server, permessageDeflate: s },
      ),
      1007,
      'deflate-data',
    );
  });

  it('answers a message too big after decompression with 1009 (Tornado test_size_limit)', () => {
    const { server: s, client: c } = deflatePair();
    const options = { ...server, permessageDeflate: s, maxMessageSize: 1024 };
    const sink = parseAll(
      [
        frame(c.compress(Buffer.from('a'.repeat(128))), {
          opcode: Opcode.TEXT,
          rsv1: true,
          mask: true,
        }),
        frame(c.compress(Buffer.from('a'.repeat(2048))), {
          opcode: Opcode.TEXT,
          rsv1: true,
          mask: true,
        }),
      ],
      options,
    );
    expect(sink.messages).toEqual([{ data: Buffer.from('a'.repeat(128)), binary: false }]);
    expectError(sink, 1009, 'message-too-big', 1);
  });

  it('stops a decompression bomb without inflating it in full', () => {
    const { server: s } = deflatePair();
    // Sync-flushed DEFLATE runs can be concatenated: 512 copies of 16 MiB of zeros make about
    // 8 MiB that would inflate to 8 GiB, more than a Buffer can hold. Inflating in full would
    // take many seconds and then fail; the bounded inflate stops after 8 MiB of output.
    const run = deflateRawSync(Buffer.alloc(16 * 1024 * 1024), {
      finishFlush: constants.Z_SYNC_FLUSH,
    });
    const copies = Buffer.concat(Array.from({ length: 512 }, () => run));
    const bomb = frame(copies.subarray(0, copies.length - 4), {
      opcode: Opcode.BINARY,
      rsv1: true,
    });
    const started = performance.now();
    const sink = parseAll(bomb, {
      ...client,
      permessageDeflate: s,
      maxMessageSize: 8 * 1024 * 1024,
    });
    expectError(sink, 1009, 'message-too-big');
    expect(performance.now() - started).toBeLessThan(1500);
  });

  it('drops input after an error and reports only the first error', () => {
    const { parser: p, sink } = parser(server);
    p.push(
      Buffer.concat([rawFrame({ opcode: 0x3, mask: true }), rawFrame({ opcode: 0x4, mask: true })]),
    );
    p.push(text('late'));
    expectError(sink, 1002, 'unknown-opcode');
    expect(p.state).toBe('failed');
    expect(p.bufferedAmount).toBe(0);
  });
});

describe('FrameParser: flow control', () => {
  it('stops delivering after pause() and resumes with what was buffered', () => {
    const received: string[] = [];
    let p!: FrameParser;
    const sink = new (class extends RecordingSink {
      override onMessage(data: Buffer, binary: boolean): void {
        super.onMessage(data, binary);
        received.push(data.toString());
        p.pause();
      }
    })();
    p = new FrameParser(sink, server);
    p.push(Buffer.concat([text('a'), text('b'), text('c')]));
    expect(received).toEqual(['a']);
    expect(p.paused).toBe(true);
    expect(p.bufferedAmount).toBeGreaterThan(0);
    p.resume();
    expect(received).toEqual(['a', 'b']);
    p.resume();
    p.resume();
    expect(received).toEqual(['a', 'b', 'c']);
    expect(p.bufferedAmount).toBe(0);
  });

  it('handles a push made from inside a sink callback after the current events', () => {
    const order: string[] = [];
    let p!: FrameParser;
    const sink = new (class extends RecordingSink {
      override onMessage(data: Buffer, binary: boolean): void {
        order.push(data.toString());
        if (data.toString() === 'first') p.push(text('pushed inside'));
        super.onMessage(data, binary);
      }
    })();
    p = new FrameParser(sink, server);
    p.push(Buffer.concat([text('first'), text('second')]));
    expect(order).toEqual(['first', 'second', 'pushed inside']);
  });

  it('rejects a maxMessageSize that is not a non-negative integer', () => {
    expect(
      () => new FrameParser(new RecordingSink(), { isServer: true, maxMessageSize: -1 }),
    ).toThrow(WebSocketUsageError);
    expect(
      () =>
        new FrameParser(new RecordingSink(), {
          isServer: true,
          maxMessageSize: Number.POSITIVE_INFINITY,
        }),
    ).toThrow(WebSocketUsageError);
  });
});
