/**
 * FrameParser between messages: an idle parser holds no input queue and no UTF-8 state, and
 * takes them again when bytes or a text message arrive. These tests interleave several parsers
 * (as a server with many connections does) to show that no state leaks from one to another.
 * A connection makes its parser anew after idle periods, so it checks `maxMessageSize` itself
 * when it is made: the last tests.
 */

import { memoryStreamPair } from '@tronada/iostream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Opcode, WebSocketConnection, WebSocketUsageError } from '../src/index.js';
import { parser, rawFrame, silentDelegate, splitAt } from './helpers.js';

const server = { isServer: true } as const;

function fragment(payload: number[] | string, fin: boolean, opcode: number): Buffer {
  const bytes = typeof payload === 'string' ? Buffer.from(payload) : Buffer.from(payload);
  return rawFrame({ opcode, fin, payload: bytes, mask: true });
}

describe('FrameParser: idle connections', () => {
  it('rejects invalid UTF-8 split across fragments while other parsers read text in between', () => {
    const a = parser(server);
    const b = parser(server);
    // "€" is E2 82 AC: the first fragment ends inside it.
    a.parser.push(fragment([0x61, 0xe2, 0x82], false, Opcode.TEXT));
    b.parser.push(fragment('héllo', true, Opcode.TEXT));
    b.parser.push(fragment([0xe2, 0x82], false, Opcode.TEXT));
    // 0x28 cannot continue E2 82.
    a.parser.push(fragment([0x28], true, Opcode.CONTINUATION));
    b.parser.push(fragment([0xac], true, Opcode.CONTINUATION));

    expect(a.sink.errors.map((e) => [e.closeCode, e.rule])).toEqual([[1007, 'text-utf8']]);
    expect(b.sink.messages.map((m) => m.data.toString())).toEqual(['héllo', '€']);
    expect(b.sink.errors).toEqual([]);
  });

  it('accepts a character split across fragments after an idle pause with pings in between', () => {
    const { parser: p, sink } = parser(server);
    p.push(fragment([0xf0, 0x9f], false, Opcode.TEXT));
    p.push(rawFrame({ opcode: Opcode.PING, payload: Buffer.from('x'), mask: true }));
    const other = parser(server);
    other.parser.push(fragment('a whole other message', true, Opcode.TEXT));
    p.push(fragment([0x98, 0x80], true, Opcode.CONTINUATION));
    expect(sink.messages.map((m) => m.data.toString())).toEqual(['😀']);
    expect(other.sink.messages.map((m) => m.data.toString())).toEqual(['a whole other message']);
  });

  it('reports no buffered bytes between frames, and the bytes of a partial frame', () => {
    const { parser: p } = parser(server);
    p.push(fragment('done', true, Opcode.TEXT));
    expect(p.bufferedAmount).toBe(0);
    const next = fragment('partial', true, Opcode.BINARY);
    p.push(next.subarray(0, 3));
    expect(p.bufferedAmount).toBe(3);
  });

  it('is idle only between messages with nothing buffered, open and not paused', () => {
    const { parser: p } = parser(server);
    expect(p.idle).toBe(true);
    const whole = fragment('partial', true, Opcode.BINARY);
    p.push(whole.subarray(0, 1));
    expect(p.idle).toBe(false); // a header byte buffered
    p.push(whole.subarray(1, 8));
    expect(p.idle).toBe(false); // inside the payload
    p.push(whole.subarray(8));
    expect(p.idle).toBe(true);
    p.push(fragment('first half', false, Opcode.TEXT));
    expect(p.idle).toBe(false); // a fragmented message in progress
    p.push(fragment(' second half', true, Opcode.CONTINUATION));
    expect(p.idle).toBe(true);
    p.pause();
    expect(p.idle).toBe(false);
    p.resume();
    expect(p.idle).toBe(true);
    p.push(rawFrame({ opcode: Opcode.CLOSE, payload: Buffer.alloc(0), mask: true }));
    expect(p.idle).toBe(false);
  });

  it('delivers the same events to parsers fed in any interleaving as to each alone', () => {
    const arbText = fc.string({ unit: 'grapheme', maxLength: 40 });
    const arbStream = fc
      .record({
        texts: fc.array(arbText, { minLength: 1, maxLength: 4 }),
        cuts: fc.array(fc.nat(), { maxLength: 8 }),
      })
      .map(({ texts, cuts }) => {
        const wire = Buffer.concat(
          texts.flatMap((t) => {
            // Each message in two fragments, cut inside its bytes (maybe inside a character).
            const bytes = [...Buffer.from(t)];
            const half = bytes.length >> 1;
            return [
              fragment(bytes.slice(0, half), false, Opcode.TEXT),
              fragment(bytes.slice(half), true, Opcode.CONTINUATION),
            ];
          }),
        );
        return { texts, pieces: splitAt(wire, cuts) };
      });
    fc.assert(
      fc.property(
        fc.array(arbStream, { minLength: 2, maxLength: 4 }),
        fc.array(fc.nat(), { minLength: 1, maxLength: 16 }),
        (streams, choices) => {
          const parsers = streams.map(() => parser(server));
          // An interleaving drawn from `choices`: each step feeds the next piece of one of the
          // streams that still have pieces (every step feeds one, so the loop ends).
          const queues = streams.map((s) => [...s.pieces]);
          for (let step = 0; ; step++) {
            const open = queues.flatMap((q, i) => (q.length > 0 ? [i] : []));
            if (open.length === 0) break;
            const i = open[choices[step % choices.length]! % open.length]!;
            parsers[i]!.parser.push(queues[i]!.shift()!);
          }
          streams.forEach((s, i) => {
            expect(parsers[i]!.sink.errors).toEqual([]);
            expect(parsers[i]!.sink.messages.map((m) => m.data.toString())).toEqual(s.texts);
          });
        },
      ),
      { seed: 6455, numRuns: 200 },
    );
  });
});

describe('maxMessageSize that is not a byte count', () => {
  it.each([-1, 1.5, Number.NaN])(
    '%s fails a parser and a connection when they are made',
    async (max) => {
      expect(() => parser({ ...server, maxMessageSize: max })).toThrow(WebSocketUsageError);
      const [a, b] = memoryStreamPair();
      try {
        expect(
          () => new WebSocketConnection(a, silentDelegate, { isServer: true, maxMessageSize: max }),
        ).toThrow(/maxMessageSize must be a non-negative integer of bytes/);
      } finally {
        a.close();
        b.close();
      }
    },
  );
});
