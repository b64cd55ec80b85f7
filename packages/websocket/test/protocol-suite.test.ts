/**
 * A protocol suite modeled on the Autobahn testsuite's case categories (1 framing, 2 pings and
 * pongs, 3 reserved bits, 4 opcodes, 5 fragmentation, 6 UTF-8, 7 close handling, 9 limits,
 * 12/13 compression), run by a raw socket peer against our WebSocketHandler (an echo server)
 * and against our websocketConnect (an echo client). Each case lists every frame the endpoint
 * must send, ending with the close code it sends before the TCP connection closes.
 */
import { useTestLoop } from '@tronada/testing';
import { Application } from '@tronada/web';
import { useAsyncHTTPTestCase } from '@tronada/web/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  Opcode,
  type PerMessageDeflateOptions,
  WebSocketHandler,
  websocketConnect,
} from '../src/index.js';
import { type RawFrame, rawFrame } from './helpers.js';
import { describeMessage, type RawPeer, RawServer, rawClient } from './raw-peer.js';

useTestLoop({ beforeEach, afterEach }, { clock: false });

const LIMIT = 256 * 1024;

/** Builds what a case sends, masked when the peer is the client. */
class Builder {
  readonly peer: RawPeer;
  constructor(peer: RawPeer) {
    this.peer = peer;
  }
  frame(f: Omit<RawFrame, 'mask'>): Buffer {
    return rawFrame({ ...f, mask: this.peer.isClient });
  }
  text(s: string | Buffer, fin = true): Buffer {
    return this.frame({ opcode: Opcode.TEXT, payload: Buffer.from(s), fin });
  }
  binary(b: Uint8Array, fin = true): Buffer {
    return this.frame({ opcode: Opcode.BINARY, payload: b, fin });
  }
  cont(s: string | Uint8Array, fin = true): Buffer {
    return this.frame({ opcode: Opcode.CONTINUATION, payload: Buffer.from(s), fin });
  }
  ping(s: string | Uint8Array = ''): Buffer {
    return this.frame({ opcode: Opcode.PING, payload: Buffer.from(s) });
  }
  pong(s: string | Uint8Array = ''): Buffer {
    return this.frame({ opcode: Opcode.PONG, payload: Buffer.from(s) });
  }
  close(code?: number, reason?: string | Buffer): Buffer {
    if (code === undefined) return this.frame({ opcode: Opcode.CLOSE });
    const payload = Buffer.alloc(2);
    payload.writeUInt16BE(code);
    return this.frame({
      opcode: Opcode.CLOSE,
      payload: Buffer.concat([payload, Buffer.from(reason ?? '')]),
    });
  }
  /** A compressed message (needs negotiated permessage-deflate). */
  compressed(data: string | Uint8Array, binary = false): Buffer {
    const payload = this.peer.deflate!.compress(Buffer.from(data));
    return this.frame({ opcode: binary ? Opcode.BINARY : Opcode.TEXT, payload, rsv: 4 });
  }
}

const text = (s: string | Buffer) => describeMessage(Buffer.from(s), false);
const binary = (b: Uint8Array) => describeMessage(b, true);
const pong = (s: string | Uint8Array = '') => `pong:${Buffer.from(s).toString('hex')}`;
const close = (code: number) => `close:${code}`;

interface Case {
  name: string;
  /** Needs permessage-deflate negotiated (with these options on the peer's side). */
  deflate?: PerMessageDeflateOptions;
  /** Only for one endpoint. */
  only?: 'server' | 'client';
  /** Write each frame separately, and each in pieces of this many bytes. */
  chop?: number;
  run(b: Builder): { send: Buffer[]; expect: string[] };
}

const bytes = (n: number, fill = 0x2a) => Buffer.alloc(n, fill);
const ok = (send: Buffer[], expected: string[], b: Builder) => ({
  send: [...send, b.close(1000)],
  expect: [...expected, close(1000)],
});

const cases: Record<string, Case[]> = {
  '1 framing': [
    ...[0, 125, 126, 127, 128, 65535, 65536].map(
      (n): Case => ({
        name: `echoes a text message of ${n} bytes`,
        run: (b) => ok([b.text(bytes(n))], [text(bytes(n))], b),
      }),
    ),
    ...[0, 125, 126, 65535, 65536].map(
      (n): Case => ({
        name: `echoes a binary message of ${n} bytes`,
        run: (b) => ok([b.binary(bytes(n, 0xfe))], [binary(bytes(n, 0xfe))], b),
      }),
    ),
    {
      name: 'echoes a 65536-byte message written in 997-byte pieces',
      chop: 997,
      run: (b) => ok([b.text(bytes(65536))], [text(bytes(65536))], b),
    },
    {
      name: 'echoes a message whose length uses a longer form than needed',
      run: (b) =>
        ok(
          [b.frame({ opcode: Opcode.TEXT, payload: Buffer.from('hi'), lengthForm: 64 })],
          [text('hi')],
          b,
        ),
    },
  ],
  '2 pings and pongs': [
    { name: 'answers an empty ping', run: (b) => ok([b.ping()], [pong()], b) },
    {
      name: 'answers a ping with the same text payload',
      run: (b) => ok([b.ping('Hello, world!')], [pong('Hello, world!')], b),
    },
    {
      name: 'answers a ping with 125 bytes of binary payload',
      run: (b) => ok([b.ping(bytes(125, 0xfe))], [pong(bytes(125, 0xfe))], b),
    },
    {
      name: 'answers a ping written byte by byte',
      chop: 1,
      run: (b) => ok([b.ping('Hello, world!')], [pong('Hello, world!')], b),
    },
    {
      name: 'fails a ping of 126 bytes with 1002',
      run: (b) => ({ send: [b.ping(bytes(126))], expect: [close(1002)] }),
    },
    {
      name: 'ignores an unsolicited pong',
      run: (b) => ok([b.pong('unsolicited')], [], b),
    },
    {
      name: 'ignores an unsolicited pong and answers the ping after it',
      run: (b) => ok([b.pong('unsolicited'), b.ping('solicited')], [pong('solicited')], b),
    },
    {
      name: 'answers ten pings in order',
      run: (b) => {
        const payloads = Array.from({ length: 10 }, (_, i) => `ping ${i}`);
        return ok(
          payloads.map((p) => b.ping(p)),
          payloads.map((p) => pong(p)),
          b,
        );
      },
    },
  ],
  '3 reserved bits': [
    ...[1, 2, 3, 4, 5, 6, 7].map(
      (rsv): Case => ({
        name: `fails a text frame with RSV ${rsv} (no extension) with 1002, after echoing the message before it`,
        run: (b) => ({
          send: [
            b.text('before'),
            b.frame({ opcode: Opcode.TEXT, payload: Buffer.from('bad'), rsv }),
            b.ping('after'),
          ],
          expect: [text('before'), close(1002)],
        }),
      }),
    ),
    {
      name: 'fails a ping with RSV bits with 1002',
      run: (b) => ({
        send: [b.frame({ opcode: Opcode.PING, payload: Buffer.from('x'), rsv: 6 })],
        expect: [close(1002)],
      }),
    },
    {
      name: 'fails a close frame with RSV bits with 1002',
      run: (b) => ({
        send: [b.frame({ opcode: Opcode.CLOSE, rsv: 7 })],
        expect: [close(1002)],
      }),
    },
  ],
  '4 opcodes': [
    ...[3, 4, 5, 6, 7, 0xb, 0xc, 0xd, 0xe, 0xf].map(
      (opcode): Case => ({
        name: `fails reserved opcode 0x${opcode.toString(16)} with 1002`,
        run: (b) => ({
          send: [b.text('before'), b.frame({ opcode, payload: Buffer.from('x') }), b.ping()],
          expect: [text('before'), close(1002)],
        }),
      }),
    ),
  ],
  '5 fragmentation': [
    {
      name: 'fails a fragmented ping with 1002',
      run: (b) => ({
        send: [
          b.frame({ opcode: Opcode.PING, payload: Buffer.from('frag'), fin: false }),
          b.cont('ment'),
        ],
        expect: [close(1002)],
      }),
    },
    {
      name: 'fails a fragmented pong with 1002',
      run: (b) => ({
        send: [
          b.frame({ opcode: Opcode.PONG, payload: Buffer.from('frag'), fin: false }),
          b.cont('ment'),
        ],
        expect: [close(1002)],
      }),
    },
    {
      name: 'joins a text message in two fragments',
      run: (b) => ok([b.text('frag', false), b.cont('ment')], [text('fragment')], b),
    },
    {
      name: 'joins a binary message in three fragments written byte by byte',
      chop: 1,
      run: (b) =>
        ok(
          [
            b.binary(Buffer.from([1]), false),
            b.cont(Buffer.from([2]), false),
            b.cont(Buffer.from([3])),
          ],
          [binary(Buffer.from([1, 2, 3]))],
          b,
        ),
    },
    {
      name: 'answers a ping between fragments before delivering the message',
      run: (b) =>
        ok(
          [b.text('frag', false), b.ping('in between'), b.cont('ment')],
          [pong('in between'), text('fragment')],
          b,
        ),
    },
    {
      name: 'joins empty fragments',
      run: (b) => ok([b.text('', false), b.cont('', false), b.cont('')], [text('')], b),
    },
    {
      name: 'fails a continuation without a message with 1002',
      run: (b) => ({ send: [b.cont('lonely')], expect: [close(1002)] }),
    },
    {
      name: 'fails an unfinished continuation without a message with 1002',
      run: (b) => ({ send: [b.cont('lonely', false), b.cont('end')], expect: [close(1002)] }),
    },
    {
      name: 'fails a continuation after a finished message with 1002',
      run: (b) => ({
        send: [b.text('done'), b.cont('more')],
        expect: [text('done'), close(1002)],
      }),
    },
    {
      name: 'fails a new message inside a fragmented one with 1002',
      run: (b) => ({
        send: [b.text('frag', false), b.text('ment')],
        expect: [close(1002)],
      }),
    },
    {
      name: 'joins a message in five fragments with pings between them',
      run: (b) =>
        ok(
          [
            b.text('a', false),
            b.ping('1'),
            b.cont('b', false),
            b.ping('2'),
            b.cont('c', false),
            b.cont('d', false),
            b.cont('e'),
          ],
          [pong('1'), pong('2'), text('abcde')],
          b,
        ),
    },
  ],
  '6 UTF-8': [
    {
      name: 'echoes valid UTF-8 text',
      run: (b) => ok([b.text('Hello-µ@ßöäüàá-UTF-8!!')], [text('Hello-µ@ßöäüàá-UTF-8!!')], b),
    },
    {
      name: 'echoes valid UTF-8 text fragmented inside code points',
      run: (b) => {
        const data = Buffer.from('κόσμε \u{1f600}');
        const frames = [...data].map((byte, i) =>
          i === 0
            ? b.frame({ opcode: Opcode.TEXT, payload: Buffer.from([byte]), fin: false })
            : b.cont(Buffer.from([byte]), i === data.length - 1),
        );
        return ok(frames, [text(data)], b);
      },
    },
    ...[
      ['a UTF-16 surrogate', [0xce, 0xba, 0xe1, 0xbd, 0xb9, 0xed, 0xa0, 0x80, 0x65]],
      ['an overlong encoding', [0x61, 0xc0, 0xaf]],
      ['a code point above U+10FFFF', [0xf4, 0x90, 0x80, 0x80]],
      ['a lone continuation byte', [0x80]],
      ['a truncated sequence at the end', [0x61, 0xe2, 0x82]],
      ['a 0xFF byte', [0xff]],
    ].map(
      ([label, seq]): Case => ({
        name: `fails text with ${label} with 1007`,
        run: (b) => ({ send: [b.text(Buffer.from(seq as number[]))], expect: [close(1007)] }),
      }),
    ),
    {
      name: 'fails at the first invalid fragment, without waiting for the rest of the message',
      run: (b) => ({
        send: [b.text(Buffer.from([0x61, 0xed, 0xa0, 0x80]), false)],
        expect: [close(1007)],
      }),
    },
    {
      name: 'fails invalid UTF-8 in a later fragment with 1007',
      run: (b) => ({
        send: [b.text('valid', false), b.cont(Buffer.from([0xc0, 0x80]))],
        expect: [close(1007)],
      }),
    },
  ],
  '7 close handling': [
    {
      name: 'echoes a message, then the close',
      run: (b) => ok([b.text('Hello')], [text('Hello')], b),
    },
    {
      name: 'answers only the first of two close frames',
      run: (b) => ({ send: [b.close(1000), b.close(1000)], expect: [close(1000)] }),
    },
    {
      name: 'ignores a ping after the close',
      run: (b) => ({ send: [b.close(1000), b.ping('late')], expect: [close(1000)] }),
    },
    {
      name: 'ignores a message after the close',
      run: (b) => ({ send: [b.close(1000), b.text('late')], expect: [close(1000)] }),
    },
    {
      name: 'drops an unfinished message at the close',
      run: (b) => ({
        send: [b.text('frag', false), b.close(1000), b.cont('ment')],
        expect: [close(1000)],
      }),
    },
    {
      name: 'answers an empty close with an empty close',
      run: (b) => ({ send: [b.close()], expect: [close(1005)] }),
    },
    {
      name: 'fails a close with a 1-byte payload with 1002',
      run: (b) => ({
        send: [b.frame({ opcode: Opcode.CLOSE, payload: Buffer.from([0x03]) })],
        expect: [close(1002)],
      }),
    },
    {
      name: 'echoes a close with a reason',
      run: (b) => ({ send: [b.close(1000, 'Hello World!')], expect: [close(1000)] }),
    },
    {
      name: 'echoes a close with a 123-byte reason',
      run: (b) => ({ send: [b.close(1000, 'r'.repeat(123))], expect: [close(1000)] }),
    },
    {
      name: 'fails a close with a 124-byte reason (payload over 125) with 1002',
      run: (b) => ({ send: [b.close(1000, 'r'.repeat(124))], expect: [close(1002)] }),
    },
    {
      name: 'fails a close whose reason is not UTF-8 with 1007',
      run: (b) => ({
        send: [b.close(1000, Buffer.from([0xce, 0xba, 0xed, 0xa0, 0x80]))],
        expect: [close(1007)],
      }),
    },
    ...[1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 3999, 4000, 4999].map(
      (code): Case => ({
        name: `echoes close code ${code}`,
        run: (b) => ({ send: [b.close(code)], expect: [close(code)] }),
      }),
    ),
    ...[0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535].map(
      (code): Case => ({
        name: `fails close code ${code} with 1002`,
        run: (b) => ({ send: [b.close(code)], expect: [close(1002)] }),
      }),
    ),
  ],
  '9 limits': [
    {
      name: 'echoes a message at the limit',
      run: (b) => ok([b.binary(bytes(LIMIT))], [binary(bytes(LIMIT))], b),
    },
    {
      name: 'echoes a message at the limit in 64 fragments',
      run: (b) => {
        const piece = bytes(LIMIT / 64);
        const frames = Array.from({ length: 64 }, (_, i) =>
          i === 0 ? b.binary(piece, false) : b.cont(piece, i === 63),
        );
        return ok(frames, [binary(bytes(LIMIT))], b);
      },
    },
    {
      name: 'fails a message one byte over the limit with 1009',
      run: (b) => ({ send: [b.binary(bytes(LIMIT + 1))], expect: [close(1009)] }),
    },
    {
      name: 'fails fragments adding up to more than the limit with 1009',
      run: (b) => ({
        send: [b.binary(bytes(LIMIT), false), b.cont(bytes(1))],
        expect: [close(1009)],
      }),
    },
    {
      name: 'fails a claimed 2^62-byte frame with 1009 before its payload arrives',
      run: (b) => ({
        send: [b.frame({ opcode: Opcode.BINARY, claimedLength: 2n ** 62n, lengthForm: 64 })],
        expect: [close(1009)],
      }),
    },
    {
      name: 'fails a 64-bit length with its top bit set with 1002',
      run: (b) => ({
        send: [b.frame({ opcode: Opcode.BINARY, claimedLength: 2n ** 63n, lengthForm: 64 })],
        expect: [close(1002)],
      }),
    },
  ],
  masking: [
    {
      name: 'fails an unmasked frame from the client with 1002',
      only: 'server',
      run: () => ({
        send: [rawFrame({ opcode: Opcode.TEXT, payload: Buffer.from('plain') })],
        expect: [close(1002)],
      }),
    },
    {
      name: 'fails a masked frame from the server with 1002',
      only: 'client',
      run: () => ({
        send: [rawFrame({ opcode: Opcode.TEXT, payload: Buffer.from('masked'), mask: true })],
        expect: [close(1002)],
      }),
    },
  ],
  '12/13 compression': [
    {
      name: 'echoes compressed text and binary messages',
      deflate: {},
      run: (b) =>
        ok(
          [b.compressed('Hello, compressed world'), b.compressed(bytes(5000, 1), true)],
          [text('Hello, compressed world'), binary(bytes(5000, 1))],
          b,
        ),
    },
    {
      name: 'echoes compressed and uncompressed messages mixed',
      deflate: {},
      run: (b) =>
        ok(
          [b.compressed('one'), b.text('two'), b.compressed('three'), b.binary(bytes(3))],
          [text('one'), text('two'), text('three'), binary(bytes(3))],
          b,
        ),
    },
    {
      name: 'echoes repeated messages with context takeover',
      deflate: {},
      run: (b) => {
        const m = 'context takeover '.repeat(50);
        return ok(
          [b.compressed(m), b.compressed(m), b.compressed(m)],
          [text(m), text(m), text(m)],
          b,
        );
      },
    },
    {
      name: 'echoes messages without context takeover, small windows',
      deflate: {
        serverNoContextTakeover: true,
        clientNoContextTakeover: true,
        serverMaxWindowBits: 9,
        clientMaxWindowBits: 9,
      },
      run: (b) => {
        const m = 'no takeover '.repeat(100);
        return ok([b.compressed(m), b.compressed(m)], [text(m), text(m)], b);
      },
    },
    {
      name: 'echoes a compressed message split into fragments',
      deflate: {},
      run: (b) => {
        const payload = b.peer.deflate!.compress(Buffer.from('fragmented and compressed'));
        const half = payload.length >> 1;
        return ok(
          [
            b.frame({
              opcode: Opcode.TEXT,
              payload: payload.subarray(0, half),
              fin: false,
              rsv: 4,
            }),
            b.cont(payload.subarray(half)),
          ],
          [text('fragmented and compressed')],
          b,
        );
      },
    },
    {
      name: 'fails RSV1 on a continuation frame with 1002',
      deflate: {},
      run: (b) => ({
        send: [
          b.text('a', false),
          b.frame({ opcode: Opcode.CONTINUATION, payload: Buffer.from('b'), rsv: 4 }),
        ],
        expect: [close(1002)],
      }),
    },
    {
      name: 'fails RSV1 on a ping with 1002',
      deflate: {},
      run: (b) => ({
        send: [b.frame({ opcode: Opcode.PING, payload: Buffer.from('p'), rsv: 4 })],
        expect: [close(1002)],
      }),
    },
    {
      name: 'fails data that is not DEFLATE with 1007',
      deflate: {},
      run: (b) => ({
        send: [
          b.frame({ opcode: Opcode.TEXT, payload: Buffer.from([0xff, 0xff, 0xff, 0xff]), rsv: 4 }),
        ],
        expect: [close(1007)],
      }),
    },
    {
      name: 'stops a decompression bomb at the limit with 1009',
      deflate: {},
      run: (b) => ({ send: [b.compressed(bytes(4 * LIMIT, 0), true)], expect: [close(1009)] }),
    },
    {
      name: 'fails compressed text that inflates to invalid UTF-8 with 1007',
      deflate: {},
      run: (b) => ({ send: [b.compressed(Buffer.from([0x61, 0xff]))], expect: [close(1007)] }),
    },
  ],
};

/** Writes a case's frames (chopped if asked) and returns what the endpoint sent. */
async function play(peer: RawPeer, c: Case): Promise<{ got: string[]; expected: string[] }> {
  const { send, expect: expected } = c.run(new Builder(peer));
  for (const piece of send) {
    if (c.chop === undefined) peer.send(piece);
    else for (let i = 0; i < piece.length; i += c.chop) peer.send(piece.subarray(i, i + c.chop));
  }
  return { got: await peer.closed, expected };
}

class EchoHandler extends WebSocketHandler {
  override getCompressionOptions(): PerMessageDeflateOptions {
    return {};
  }
  override onMessage(message: string | Buffer) {
    return this.writeMessage(message);
  }
}

describe('against WebSocketHandler (the raw peer is the client)', () => {
  const server = useAsyncHTTPTestCase(
    { beforeEach, afterEach },
    () => new Application([['/echo', EchoHandler]], { websocketMaxMessageSize: LIMIT }),
  );
  for (const [category, list] of Object.entries(cases)) {
    describe(category, () => {
      for (const c of list.filter((x) => x.only !== 'client')) {
        it(c.name, async () => {
          const peer = await rawClient(server.current.getHttpPort(), '/echo', c.deflate);
          expect(peer.deflate !== undefined).toBe(c.deflate !== undefined);
          const { got, expected } = await play(peer, c);
          expect(got).toEqual(expected);
        });
      }
    });
  }
});

describe('against websocketConnect (the raw peer is the server)', () => {
  for (const [category, list] of Object.entries(cases)) {
    describe(category, () => {
      for (const c of list.filter((x) => x.only !== 'server')) {
        it(c.name, async () => {
          const raw = new RawServer(c.deflate);
          const port = await raw.listen();
          try {
            const ws = await websocketConnect(`ws://127.0.0.1:${port}/`, {
              maxMessageSize: LIMIT,
              compressionOptions: c.deflate === undefined ? null : {},
            });
            const echo = (async () => {
              for await (const message of ws) {
                try {
                  await ws.writeMessage(message);
                } catch {
                  // The close raced the echo.
                }
              }
            })();
            const peer = await raw.accept();
            expect(peer.deflate !== undefined).toBe(c.deflate !== undefined);
            const { got, expected } = await play(peer, c);
            expect(got).toEqual(expected);
            await echo;
          } finally {
            await raw.close();
          }
        });
      }
    });
  }
});
