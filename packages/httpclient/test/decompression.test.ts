// Compressed responses (gzip, deflate, raw deflate, br) against node:http, decoded through
// node:zlib unless decompressResponse is false; a corrupt body is a 599.
import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { useTestLoop } from '@tronada/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HTTPClientError } from '../src/index.js';
import { cleanup, newClient, nodeServe, rawServe } from './helpers.js';

useTestLoop({ beforeEach, afterEach }, { clock: false });
afterEach(cleanup);

const text = 'Hello, compressed world! '.repeat(500);
const encoders: Record<string, (b: Buffer) => Buffer> = {
  gzip: gzipSync,
  deflate: deflateSync,
  'raw-deflate': deflateRawSync,
  br: brotliCompressSync,
};

async function compressingServer() {
  return nodeServe((req, res) => {
    const kind = req.url!.slice(1);
    if (kind === 'corrupt') {
      res.writeHead(200, { 'Content-Encoding': 'gzip' }).end(Buffer.from('not gzip at all'));
      return;
    }
    const body = encoders[kind]!(Buffer.from(text));
    res.writeHead(200, {
      'Content-Encoding': kind === 'raw-deflate' ? 'deflate' : kind,
      'X-Accept-Encoding': req.headers['accept-encoding'] ?? '',
    });
    // In pieces, so decoding spans several reads.
    res.write(body.subarray(0, 10));
    res.end(body.subarray(10));
  });
}

describe('decompressResponse', () => {
  it('asks for gzip, deflate and br and decodes each', async () => {
    const { url } = await compressingServer();
    const client = newClient();
    for (const kind of Object.keys(encoders)) {
      const response = await client.fetch(`${url}/${kind}`);
      expect([kind, response.text]).toEqual([kind, text]);
      expect(response.headers.get('Content-Encoding')).toBeUndefined();
      expect(response.headers.get('X-Consumed-Content-Encoding')).toBe(
        kind === 'raw-deflate' ? 'deflate' : kind,
      );
      expect(response.headers.get('X-Accept-Encoding')).toBe('gzip, deflate, br');
    }
  });

  it('streams decoded pieces to streamingCallback', async () => {
    const { url } = await compressingServer();
    const chunks: Buffer[] = [];
    await newClient().fetch(`${url}/gzip`, {
      streamingCallback: (chunk) => {
        chunks.push(chunk);
      },
    });
    expect(Buffer.concat(chunks).toString()).toBe(text);
  });

  it('leaves the body encoded with decompressResponse false', async () => {
    const { url } = await compressingServer();
    const response = await newClient().fetch(`${url}/gzip`, { decompressResponse: false });
    expect(response.headers.get('Content-Encoding')).toBe('gzip');
    expect(response.body).toEqual(gzipSync(Buffer.from(text)));
  });

  it('fails with a 599 for a corrupt compressed body', async () => {
    const { url } = await compressingServer();
    const error = await newClient()
      .fetch(`${url}/corrupt`)
      .then(
        () => undefined,
        (e: unknown) => e as HTTPClientError,
      );
    expect(error).toBeInstanceOf(HTTPClientError);
    expect(error?.status).toBe(599);
  });

  it('fails when the decoded body exceeds maxBodySize', async () => {
    const { url } = await compressingServer();
    const error = await newClient({ maxBodySize: 1000 })
      .fetch(`${url}/gzip`)
      .then(
        () => undefined,
        (e: unknown) => e as HTTPClientError,
      );
    expect(error?.status).toBe(599);
    expect(error?.message).toContain('Malformed response');
  });

  // The server sends the whole response and closes at once. The body is decoded off the main
  // thread, so the close is seen while decoding: the response must still arrive whole.
  for (const [framing, head] of [
    ['Content-Length', (n: number) => `Content-Length: ${n}\r\n`],
    ['read until the close', () => 'Connection: close\r\n'],
    ['chunked', () => 'Transfer-Encoding: chunked\r\n'],
  ] as const) {
    it(`decodes a gzip body (${framing}) whose connection closes right after it`, async () => {
      const gz = gzipSync(Buffer.from(text));
      const body =
        framing === 'chunked'
          ? Buffer.concat([
              Buffer.from(`${gz.length.toString(16)}\r\n`),
              gz,
              Buffer.from('\r\n0\r\n\r\n'),
            ])
          : gz;
      const { url } = await rawServe((_head, socket) => {
        socket.end(
          Buffer.concat([
            Buffer.from(`HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n${head(gz.length)}\r\n`),
            body,
          ]),
        );
      });
      // The close and the decoding race; enough rounds that a lost body would show.
      for (let i = 0; i < 20; i++) {
        const response = await newClient({ forceInstance: true }).fetch(url);
        expect(response.text).toBe(text);
      }
    });
  }
});

describe('a connection that closes while a slow streamingCallback holds the reading', () => {
  it('still delivers every byte received before the close, then finishes', async () => {
    const body = 'x'.repeat(100_000);
    const { url } = await rawServe((_head, socket) => {
      socket.end(`HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n${body}`);
    });
    let received = 0;
    const response = await newClient().fetch(url, {
      streamingCallback: async (chunk) => {
        await new Promise((resolve) => setTimeout(resolve, 2));
        received += chunk.length;
      },
    });
    expect(response.code).toBe(200);
    expect(received).toBe(body.length);
  });
});
