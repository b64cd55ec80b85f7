/**
 * fast-check properties over real connections (our client against our server): any messages,
 * text or binary, of any size up to a few MB, arrive intact and in order, with or without
 * permessage-deflate; and any mutation of a valid frame stream sent by a raw client ends in a
 * close frame with a valid code (or none) and the TCP close, never a crash or a hang.
 */
import { createHash } from 'node:crypto';
import { useTestLoop } from '@tronada/testing';
import { Application } from '@tronada/web';
import { useAsyncHTTPTestCase } from '@tronada/web/testing';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { frame, Opcode, type PerMessageDeflateOptions, WebSocketHandler } from '../src/index.js';
import { websocketTestConnect } from '../src/testing/index.js';
import { rawClient } from './raw-peer.js';

useTestLoop({ beforeEach, afterEach }, { clock: false });

class EchoHandler extends WebSocketHandler {
  override getCompressionOptions(): PerMessageDeflateOptions {
    return {};
  }
  override onMessage(message: string | Buffer) {
    return this.writeMessage(message);
  }
}

/** A pseudo-random buffer of `size` bytes; `runs` makes it compressible. */
function pattern(size: number, seed: number, runs: boolean): Buffer {
  const out = Buffer.allocUnsafe(size);
  let x = seed | 1;
  for (let i = 0; i < size; i++) {
    if (!runs || i % 64 === 0) x = (Math.imul(x, 1103515245) + 12345) | 0;
    out[i] = (x >>> 16) & 0xff;
  }
  return out;
}

const arbMessage: fc.Arbitrary<string | Buffer> = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
  { weight: 3, arbitrary: fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a)) },
  {
    weight: 1,
    arbitrary: fc
      .record({
        size: fc.integer({ min: 0, max: 3 << 20 }),
        seed: fc.integer(),
        runs: fc.boolean(),
      })
      .map(({ size, seed, runs }) => pattern(size, seed, runs)),
  },
  {
    weight: 1,
    arbitrary: fc
      .record({
        size: fc.integer({ min: 0, max: 100_000 }),
        char: fc.constantFrom('a', 'é', '\u{1f600}'),
      })
      .map(({ size, char }) => char.repeat(size)),
  },
);

const digest = (m: string | Buffer) =>
  `${typeof m}:${m.length}:${createHash('sha1').update(m).digest('hex')}`;

describe('connection properties', () => {
  const server = useAsyncHTTPTestCase(
    { beforeEach, afterEach },
    () => new Application([['/echo', EchoHandler]]),
  );

  it('delivers any messages intact and in order, with or without compression', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(arbMessage, { maxLength: 6 }),
        fc.boolean(),
        async (messages, deflate) => {
          const ws = await websocketTestConnect(server.current, '/echo', {
            compressionOptions: deflate ? {} : null,
          });
          for (const m of messages) void ws.writeMessage(m);
          const echoed: Array<string | Buffer> = [];
          for (let i = 0; i < messages.length; i++) echoed.push((await ws.readMessage())!);
          ws.close();
          expect(await ws.readMessage()).toBeNull();
          expect(echoed.map(digest)).toEqual(messages.map(digest));
        },
      ),
      { numRuns: 12 },
    );
  });

  it('ends any mutated frame stream with a valid close code or none, and keeps serving', async () => {
    const valid = Buffer.concat([
      frame(Buffer.from('hello'), { opcode: Opcode.TEXT, mask: true }),
      frame(Buffer.from('ping'), { opcode: Opcode.PING, mask: true }),
      frame(Buffer.from('frag'), { opcode: Opcode.TEXT, fin: false, mask: true }),
      frame(Buffer.from('ment'), { opcode: Opcode.CONTINUATION, mask: true }),
      frame(Buffer.from([1, 2, 3]), { opcode: Opcode.BINARY, mask: true }),
    ]);
    const allowed = new Set([1000, 1002, 1005, 1007, 1009]);
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }), {
          minLength: 1,
          maxLength: 4,
        }),
        async (mutations) => {
          const bytes = Buffer.from(valid);
          for (const { at, value } of mutations) bytes[at % bytes.length] = value;
          const peer = await rawClient(server.current.getHttpPort(), '/echo');
          peer.send(bytes);
          // Then a clean close; if the mutation left a frame unfinished, the EOF ends it.
          peer.send(frame(Buffer.from([0x03, 0xe8]), { opcode: Opcode.CLOSE, mask: true }));
          peer.end();
          const events = await peer.closed;
          const closes = events.filter((e) => e.startsWith('close:'));
          expect(closes.length).toBeLessThanOrEqual(1);
          for (const c of closes) expect(allowed.has(Number(c.slice(6)))).toBe(true);
          expect(events.filter((e) => e.startsWith('peer-error'))).toEqual([]);
        },
      ),
      { numRuns: 40 },
    );
    const ws = await websocketTestConnect(server.current, '/echo');
    void ws.writeMessage('still serving');
    expect(await ws.readMessage()).toBe('still serving');
    ws.close();
    expect(await ws.readMessage()).toBeNull();
  });
});
