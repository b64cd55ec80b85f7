// A response whose connection closes right after it, while a step of reading it is still in
// flight: a gzip body being decoded (node:zlib works off the main thread), or a delegate's
// promise. Everything received before the close reaches the delegate, then `finish`.
import { gzipSync } from 'node:zlib';
import type { BaseIOStream } from '@tronada/iostream';
import { memoryStreamPair } from '@tronada/iostream';
import { useTestLoop } from '@tronada/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HTTPMessageDelegate } from '../src/index.js';
import { HTTP1Connection, HTTP1ConnectionParameters, RequestStartLine } from '../src/index.js';
import { headers, readRequestHead, recordingDelegate, turns } from './client-connection-helpers.js';

useTestLoop({ beforeEach, afterEach }, { clock: false });
afterEach(() => turns());

const text = 'All of it, even though the server hung up. '.repeat(2000);

function decompressingPair() {
  const [client, server] = memoryStreamPair();
  const conn = new HTTP1Connection(
    client,
    true,
    new HTTP1ConnectionParameters({ decompress: true }),
  );
  return { conn, server };
}

/**
 * Sends a GET on `conn`, has `server` answer `response` and hang up at once; resolves with
 * what `readResponse` resolved with.
 */
async function answerAndHangUp(
  conn: HTTP1Connection,
  server: BaseIOStream,
  delegate: HTTPMessageDelegate,
  response: Buffer | string,
): Promise<boolean> {
  conn.writeHeaders(new RequestStartLine('GET', '/', 'HTTP/1.1'), headers({ Host: 'x' }));
  conn.finish();
  const reading = conn.readResponse(delegate);
  await readRequestHead(server);
  void server.write(response);
  server.close();
  return reading;
}

/** A gzip response of `text`, with `framing` head lines. */
function gzipResponse(framing: (length: number) => string): Buffer {
  const gz = gzipSync(Buffer.from(text));
  return Buffer.concat([
    Buffer.from(`HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n${framing(gz.length)}\r\n`),
    gz,
  ]);
}

describe('HTTP1Connection (client): a close right after the response', () => {
  for (const [framing, head] of [
    ['Content-Length', (n: number) => `Content-Length: ${n}\r\n`],
    ['read until the close', () => ''],
  ] as const) {
    it(`delivers a whole gzip body (${framing}) decoded after the close`, async () => {
      const { conn, server } = decompressingPair();
      const { got, delegate } = recordingDelegate();
      // The connection cannot carry another exchange: it closed.
      expect(await answerAndHangUp(conn, server, delegate, gzipResponse(head))).toBe(false);
      expect(got.body).toBe(text);
      expect(got).toMatchObject({ finished: 1, closed: 0 });
    });
  }

  it('waits for a delegate’s promise, then reads the rest the peer sent before closing', async () => {
    const [client, server] = memoryStreamPair({ chunkSize: 1000 });
    const conn = new HTTP1Connection(client, true);
    const { got, delegate } = recordingDelegate();
    const record = delegate.dataReceived.bind(delegate);
    delegate.dataReceived = (chunk) => {
      record(chunk);
      // A slow consumer: the parser holds what comes next until this settles.
      return new Promise<void>((resolve) => setTimeout(resolve, 2));
    };
    const body = 'x'.repeat(10_000);
    const response = `HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
    expect(await answerAndHangUp(conn, server, delegate, response)).toBe(false);
    expect(got.body).toBe(body);
    expect(got).toMatchObject({ finished: 1, closed: 0 });
  });

  it('still reports a body cut short by the close as a closed connection', async () => {
    const { conn, server } = decompressingPair();
    const { got, delegate } = recordingDelegate();
    // Ten bytes promised that never come.
    const response = gzipResponse((n) => `Content-Length: ${n + 10}\r\n`);
    expect(await answerAndHangUp(conn, server, delegate, response)).toBe(false);
    expect(got).toMatchObject({ finished: 0, closed: 1 });
  });
});
