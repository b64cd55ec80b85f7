/**
 * Writing large messages: a server writes an unmasked payload of 64 KiB or more after its
 * header instead of copying it into one frame buffer; the bytes on the wire are the same frame
 * either way, and the byte counters count header and payload.
 */

import { type BaseIOStream, memoryStreamPair } from '@tronada/iostream';
import { describe, expect, it } from 'vitest';
import { WebSocketConnection } from '../src/index.js';
import { parseAll, silentDelegate } from './helpers.js';

/** Reads exactly `n` bytes from `stream`. */
function readExactly(stream: BaseIOStream, n: number): Promise<Buffer> {
  return Promise.resolve(stream.readBytes(n));
}

describe('WebSocketConnection: writing large messages', () => {
  it.each([
    ['just under the threshold', 64 * 1024 - 1, 4],
    ['at the threshold', 64 * 1024, 10],
    ['a megabyte', 1024 * 1024, 10],
  ])('sends %s as one well-formed binary frame', async (_label, size, headerLength) => {
    const [serverSide, peer] = memoryStreamPair();
    try {
      const connection = new WebSocketConnection(serverSide, silentDelegate, { isServer: true });
      const payload = Buffer.alloc(size);
      for (let i = 0; i < size; i++) payload[i] = (i * 7) & 0xff;
      const written = connection.writeMessage(payload, true);
      const wire = await readExactly(peer, headerLength + size);
      await written;
      const received = parseAll(wire, { isServer: false });
      expect(received.errors).toEqual([]);
      expect(received.messages).toHaveLength(1);
      expect(received.messages[0]!.binary).toBe(true);
      expect(Buffer.compare(Buffer.from(received.messages[0]!.data), payload)).toBe(0);
      expect(connection.wireBytesOut).toBe(headerLength + size);
      expect(connection.messageBytesOut).toBe(size);
    } finally {
      serverSide.close();
      peer.close();
    }
  });

  it('sends large messages back to back in order, each whole', async () => {
    const [serverSide, peer] = memoryStreamPair();
    try {
      const connection = new WebSocketConnection(serverSide, silentDelegate, { isServer: true });
      const sizes = [200_000, 10, 70_000, 65_536];
      const payloads = sizes.map((size, n) => Buffer.alloc(size, n + 1));
      const writes = payloads.map((payload) => connection.writeMessage(payload, true));
      const total = sizes.reduce(
        (sum, size) => sum + size + (size < 126 ? 2 : size <= 0xffff ? 4 : 10),
        0,
      );
      const wire = await readExactly(peer, total);
      await Promise.all(writes);
      const received = parseAll(wire, { isServer: false });
      // Compared as buffers: a deep equality over 300 KB of elements takes seconds.
      const got = received.messages.map((m) => Buffer.from(m.data));
      expect(got.map((data, i) => Buffer.compare(data, payloads[i]!))).toEqual([0, 0, 0, 0]);
    } finally {
      serverSide.close();
      peer.close();
    }
  });
});
