// fast-check over real sockets: any generated response (status, headers, a sized, chunked or
// until-close body, written in any pieces) is read back exactly, and any mutation of one ends
// in a response or an HTTPClientError, never another error and never a hang.
import type { Socket } from 'node:net';
import { useTestLoop } from '@tronada/testing';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HTTPClientError } from '../src/index.js';
import { cleanup, newClient, rawServe } from './helpers.js';

useTestLoop({ beforeEach, afterEach }, { clock: false });
afterEach(cleanup);

interface Generated {
  code: number;
  headers: [string, string][];
  body: Buffer;
  framing: 'sized' | 'chunked' | 'close';
  chunks: number[];
  cuts: number[];
}

const token = fc.stringMatching(/^X-[A-Za-z0-9-]{1,12}$/);
const value = fc.stringMatching(/^[!-~]([ -~]{0,20}[!-~])?$/);
const generated: fc.Arbitrary<Generated> = fc.record({
  code: fc.constantFrom(200, 201, 202, 203, 206, 299, 404, 500, 503),
  headers: fc.uniqueArray(fc.tuple(token, value), {
    maxLength: 6,
    selector: ([n]) => n.toLowerCase(),
  }),
  body: fc.uint8Array({ maxLength: 3000 }).map((a) => Buffer.from(a)),
  framing: fc.constantFrom('sized', 'chunked', 'close'),
  chunks: fc.array(fc.nat(3000), { maxLength: 5 }),
  cuts: fc.array(fc.nat(4000), { maxLength: 6 }),
});

function splitAt(data: Buffer, cuts: readonly number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => c % (data.length + 1)))].sort((a, b) => a - b);
  const pieces: Buffer[] = [];
  let prev = 0;
  for (const p of [...points, data.length]) {
    if (p > prev) pieces.push(data.subarray(prev, p));
    prev = p;
  }
  return pieces;
}

function wire(g: Generated): Buffer {
  let head = `HTTP/1.1 ${g.code} Reason\r\n`;
  for (const [name, v] of g.headers) head += `${name}: ${v}\r\n`;
  if (g.framing === 'sized') head += `Content-Length: ${g.body.length}\r\n`;
  if (g.framing === 'chunked') head += 'Transfer-Encoding: chunked\r\n';
  if (g.framing === 'close') head += 'Connection: close\r\n';
  const parts: Buffer[] = [Buffer.from(`${head}\r\n`, 'latin1')];
  if (g.framing === 'chunked') {
    for (const piece of splitAt(g.body, g.chunks)) {
      parts.push(Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from('\r\n'));
    }
    parts.push(Buffer.from('0\r\n\r\n'));
  } else parts.push(g.body);
  return Buffer.concat(parts);
}

/** A server that writes the pieces it is given, a turn apart, and closes when told. */
async function scriptedServer() {
  let script: { pieces: Buffer[]; close: boolean } = { pieces: [], close: true };
  const server = await rawServe((_head, socket: Socket) => {
    const { pieces, close } = script;
    const next = (i: number): void => {
      if (socket.destroyed) return;
      if (i === pieces.length) {
        if (close) socket.end();
        return;
      }
      socket.write(pieces[i]!);
      setImmediate(() => next(i + 1));
    };
    next(0);
  });
  return { ...server, play: (s: typeof script) => (script = s) };
}

describe('responses on the wire', () => {
  it('reads any generated response back exactly, however it is split', async () => {
    const server = await scriptedServer();
    const client = newClient();
    await fc.assert(
      fc.asyncProperty(generated, async (g) => {
        server.play({ pieces: splitAt(wire(g), g.cuts), close: g.framing === 'close' });
        const response = await client.fetch(server.url, {
          raiseError: false,
          decompressResponse: false,
        });
        expect(response.code).toBe(g.code);
        expect(response.body.equals(g.body)).toBe(true);
        for (const [name, v] of g.headers) expect(response.headers.get(name)).toBe(v);
      }),
      { numRuns: 40 },
    );
  });

  it('ends every mutated response in a response or an HTTPClientError', async () => {
    const server = await scriptedServer();
    const client = newClient();
    const mutation = fc.record({
      at: fc.nat(),
      kind: fc.constantFrom('flip', 'truncate', 'cr', 'lf', 'nul', 'space'),
      bits: fc.integer({ min: 1, max: 255 }),
    });
    await fc.assert(
      fc.asyncProperty(generated, mutation, async (g, m) => {
        const bytes = Buffer.from(wire(g));
        const at = m.at % bytes.length;
        let mutated: Buffer;
        if (m.kind === 'truncate') mutated = bytes.subarray(0, at);
        else if (m.kind === 'flip') {
          bytes[at] = bytes[at]! ^ m.bits;
          mutated = bytes;
        } else {
          const inject = { cr: '\r', lf: '\n', nul: '\0', space: ' ' }[m.kind];
          mutated = Buffer.concat([bytes.subarray(0, at), Buffer.from(inject), bytes.subarray(at)]);
        }
        // The server always closes after writing, so a client that waits for more must stop.
        server.play({ pieces: splitAt(mutated, g.cuts), close: true });
        const outcome = await client.fetch(server.url, { raiseError: false }).then(
          (response) => response.code,
          (error: unknown) => error,
        );
        if (typeof outcome !== 'number') expect(outcome).toBeInstanceOf(HTTPClientError);
      }),
      { numRuns: 60 },
    );
  });
});
