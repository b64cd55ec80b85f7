// HTTP1Output with large body pieces: from 64 KiB a piece goes to the stream uncopied, after the
// head or between its chunk framing; the message on the wire is the same as with small pieces,
// and Content-Length is still enforced.
import { HTTPOutputError } from '@tronada/httputil';
import { type BaseIOStream, memoryStreamPair } from '@tronada/iostream';
import { describe, expect, it } from 'vitest';
import { HTTP1Output } from '../src/http1-output.js';
import { feed } from './helpers.js';

const response = { mode: 'response' } as const;

/** Bytes whose value depends on their position, so a misplaced run shows. */
function patterned(size: number, seed: number): Buffer {
  const bytes = Buffer.alloc(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 31 + seed) & 0xff;
  return bytes;
}

/** Runs `body` with an output on one end of a memory stream; returns what the other end got. */
async function wireOf(body: (output: HTTP1Output) => void): Promise<Buffer> {
  const [ours, peer]: [BaseIOStream, BaseIOStream] = memoryStreamPair();
  const received = peer.readUntilClose();
  const output = new HTTP1Output(ours);
  body(output);
  await output.pending;
  ours.close();
  const wire = await received;
  peer.close();
  return wire;
}

describe('HTTP1Output: large body pieces', () => {
  it('writes a large first piece after the head, Content-Length framed', async () => {
    const piece = patterned(100_000, 1);
    const wire = await wireOf((output) => {
      output.writeHead(
        {
          text: 'HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n',
          chunked: false,
          expectedLength: 100_000,
        },
        piece,
      );
      output.end();
    });
    const { messages, error } = feed([wire], response);
    expect(error).toBeUndefined();
    expect(messages).toHaveLength(1);
    expect(messages[0]!.complete).toBe(true);
    expect(Buffer.compare(messages[0]!.body, piece)).toBe(0);
  });

  it('frames large and small chunked pieces alike, in order', async () => {
    const pieces = [
      patterned(70_000, 2),
      patterned(10, 3),
      patterned(65_536, 4),
      patterned(65_535, 5),
    ];
    const wire = await wireOf((output) => {
      output.writeHead(
        {
          text: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n',
          chunked: true,
          expectedLength: undefined,
        },
        pieces[0],
      );
      for (const piece of pieces.slice(1)) output.writeBody(piece);
      output.end();
    });
    expect(wire.includes(Buffer.from('\r\n11170\r\n'))).toBe(true);
    const { messages, error } = feed([wire], response);
    expect(error).toBeUndefined();
    expect(messages[0]!.complete).toBe(true);
    expect(Buffer.compare(messages[0]!.body, Buffer.concat(pieces))).toBe(0);
  });

  it('still refuses a large piece past the declared Content-Length, before writing it', async () => {
    const [ours, peer] = memoryStreamPair();
    try {
      const output = new HTTP1Output(ours);
      output.writeHead(
        {
          text: 'HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n',
          chunked: false,
          expectedLength: 10,
        },
        Buffer.from('0123456789'),
      );
      expect(() => output.writeBody(patterned(70_000, 6))).toThrow(HTTPOutputError);
      expect(ours.closed()).toBe(true);
    } finally {
      ours.close();
      peer.close();
    }
  });
});
