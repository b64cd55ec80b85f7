import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Future } from '@tronada/ioloop';
import { useTestLoop } from '@tronada/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Application, StaticFileHandler } from '../src/index.js';
import { FileContent, STATIC_CHUNK_SIZE } from '../src/static-content.js';
import { useAsyncHTTPTestCase } from '../src/testing/index.js';

const STATIC_DIR = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'static');
const LARGE_PATH = join(STATIC_DIR, 'large.txt');
const LARGE = readFileSync(LARGE_PATH);

useTestLoop({ beforeEach, afterEach }, { clock: false });

// Buffer.equals rather than toEqual: a deep comparison of 100 KiB is slow.
function expectSameBytes(actual: Buffer, expected: Buffer): void {
  expect(actual.length).toBe(expected.length);
  expect(actual.equals(expected), 'the bytes differ').toBe(true);
}

const flushedChunks: number[] = [];

/** Records the size of every chunk it flushes. */
class CountingHandler extends StaticFileHandler {
  override write(chunk: Parameters<StaticFileHandler['write']>[0]): void {
    if (chunk instanceof Uint8Array) flushedChunks.push(chunk.length);
    super.write(chunk);
  }
}

const GATED_TAIL_CHUNKS = 40;
let gate = new Future<void>();
let gatedOutcome = new Future<string>();

/**
 * Sends one chunk, then waits for the test (which closes the connection) before producing
 * more than a socket buffer holds, so writing to the closed connection fails.
 */
class GatedHandler extends StaticFileHandler {
  static override async *getContent(): AsyncGenerator<Uint8Array> {
    yield Buffer.alloc(1000, 'a');
    await gate;
    for (let i = 0; i < GATED_TAIL_CHUNKS; i++) yield Buffer.alloc(STATIC_CHUNK_SIZE, 'b');
  }

  // The default version hashes the content, which would wait for the gate too.
  static override getContentVersion(): string {
    return 'gated';
  }

  override getContentSize(): number {
    return 1000 + GATED_TAIL_CHUNKS * STATIC_CHUNK_SIZE;
  }

  override onFinish(): void {
    if (!gatedOutcome.done()) gatedOutcome.setResult('finished');
  }
}

const server = useAsyncHTTPTestCase({ beforeEach, afterEach }, () => {
  flushedChunks.length = 0;
  gate = new Future<void>();
  gatedOutcome = new Future<string>();
  return new Application(
    [
      ['/counted/(.*)', CountingHandler, { path: STATIC_DIR }],
      ['/gated/(.*)', GatedHandler, { path: STATIC_DIR }],
    ],
    { staticPath: STATIC_DIR },
  );
});

describe('FileContent', () => {
  it('reads a file in 64 KiB chunks, synchronously and asynchronously', async () => {
    const content = new FileContent(LARGE_PATH);
    const syncChunks = [...content];
    const asyncChunks: Buffer[] = [];
    for await (const chunk of content) asyncChunks.push(chunk);
    for (const chunks of [syncChunks, asyncChunks]) {
      expect(chunks.map((chunk) => chunk.length)).toEqual([
        STATIC_CHUNK_SIZE,
        LARGE.length - STATIC_CHUNK_SIZE,
      ]);
      expectSameBytes(Buffer.concat(chunks), LARGE);
    }
  });

  it('reads only the requested bytes of a range', async () => {
    const content = new FileContent(LARGE_PATH, 65_000, 70_000);
    const chunks: Buffer[] = [];
    for await (const chunk of content) chunks.push(chunk);
    expectSameBytes(Buffer.concat(chunks), LARGE.subarray(65_000, 70_000));
    expectSameBytes(Buffer.concat([...content]), LARGE.subarray(65_000, 70_000));
  });
});

describe('StaticFileHandler streaming', () => {
  it('streams a file larger than one chunk as several flushed chunks', async () => {
    const response = await server.current.fetch('/counted/large.txt');
    expect(response.code).toBe(200);
    expectSameBytes(response.body, LARGE);
    expect(response.headers.get('Content-Length')).toBe(String(LARGE.length));
    expect(flushedChunks).toEqual([STATIC_CHUNK_SIZE, LARGE.length - STATIC_CHUNK_SIZE]);
  });

  it('serves a range that crosses a chunk boundary', async () => {
    const response = await server.current.fetch('/static/large.txt', {
      headers: { Range: 'bytes=65530-65545' },
    });
    expect(response.code).toBe(206);
    expectSameBytes(response.body, LARGE.subarray(65_530, 65_546));
    expect(response.headers.get('Content-Range')).toBe(`bytes 65530-65545/${LARGE.length}`);
  });

  it('serves a suffix range of a large file from its last chunk', async () => {
    const response = await server.current.fetch('/static/large.txt', {
      headers: { Range: 'bytes=-100' },
    });
    expect(response.code).toBe(206);
    expectSameBytes(response.body, LARGE.subarray(LARGE.length - 100));
  });

  it('ignores a request for several ranges and sends the whole file with 200', async () => {
    const response = await server.current.fetch('/static/large.txt', {
      headers: { Range: 'bytes=0-1,5-9' },
    });
    expect(response.code).toBe(200);
    expectSameBytes(response.body, LARGE);
    expect(response.headers.has('Content-Range')).toBe(false);
  });

  it('stops quietly when the client goes away in the middle of a file', async () => {
    const port = server.current.getHttpPort();
    const socket = connect(port, '127.0.0.1');
    const firstData = new Promise<Buffer>((resolve) => socket.once('data', resolve));
    socket.write(`GET /gated/robots.txt HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
    expect((await firstData).toString('latin1')).toMatch(/^HTTP\/1\.1 200 /);
    socket.resetAndDestroy();
    await new Promise((resolve) => socket.once('close', resolve));
    gate.setResult(undefined);
    // The handler returns without an error page or a logged error; its auto-finish still runs.
    expect(await gatedOutcome).toBe('finished');
  });

  it('caches versioned URLs for ten years and unversioned ones not at all', async () => {
    const versioned = await server.current.fetch('/static/robots.txt?v=abc');
    expect(versioned.headers.get('Cache-Control')).toBe(`max-age=${86400 * 365 * 10}`);
    const expires = Date.parse(versioned.headers.get('Expires') ?? '');
    const tenYears = 86400 * 365 * 10 * 1000;
    expect(Math.abs(expires - (Date.now() + tenYears))).toBeLessThan(60_000);
    const plain = await server.current.fetch('/static/robots.txt');
    expect(plain.headers.has('Cache-Control')).toBe(false);
    expect(plain.headers.has('Expires')).toBe(false);
    expect(plain.headers.get('Accept-Ranges')).toBe('bytes');
  });
});
