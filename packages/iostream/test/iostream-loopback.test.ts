/**
 * IOStream end to end over loopback TCP: echo, closes in the middle of reads and writes, a peer
 * reset, buffer limits, many small writes in order, no leaked sockets, and a large transfer with
 * flat memory measured in a child process.
 */
import { execFile } from 'node:child_process';
import * as net from 'node:net';
import { fileURLToPath } from 'node:url';
import { genLog } from '@tronada/ioloop';
import { expectLog } from '@tronada/testing';
import { describe, expect, test } from 'vitest';
import type { BaseIOStream } from '../src/base-iostream.js';
import { StreamBufferFullError, StreamClosedError } from '../src/errors.js';
import { IOStream } from '../src/iostream.js';
import {
  closeAll,
  closeEvent,
  listen,
  socketPair,
  stop,
  turns,
  useStreamTestLoop,
  waitFor,
} from './stream-helpers.js';

useStreamTestLoop();

/** Sockets (TCP handles) alive in this process right now. */
function liveSockets(): number {
  return process.getActiveResourcesInfo().filter((r) => r === 'TCPSocketWrap').length;
}

/** A server whose connections are handled by `handle` with an IOStream each. */
async function streamServer(
  handle: (stream: IOStream) => Promise<void>,
): Promise<{ server: net.Server; port: number }> {
  const server = net.createServer((socket) => {
    void handle(new IOStream(socket)).catch(() => undefined);
  });
  return { server, port: await listen(server) };
}

describe('echo', () => {
  test('an IOStream echo server answers an IOStream client line by line', async () => {
    const { server, port } = await streamServer(async (stream) => {
      for (;;) {
        const line = await stream.readUntil('\n');
        await stream.write(line);
      }
    });
    const client = await IOStream.connect({ host: '127.0.0.1', port });
    for (const word of ['hello', 'tornado', 'world'.repeat(1000)]) {
      void client.write(`${word}\n`);
      expect((await client.readUntil('\n')).toString()).toBe(`${word}\n`);
    }
    await closeAll(client);
    await stop(server);
  });

  test('a raw net echo server gets back every byte of a 4 MB stream', async () => {
    const server = net.createServer((socket) => socket.pipe(socket));
    const port = await listen(server);
    const client = await IOStream.connect({ host: '127.0.0.1', port });
    const data = Buffer.alloc(4 * 1024 * 1024);
    for (let i = 0; i < data.length; i++) data[i] = (i * 7) & 0xff;
    const written = client.write(data);
    const echoed = await client.readBytes(data.length);
    await written;
    expect(echoed.equals(data)).toBe(true);
    await closeAll(client);
    await stop(server);
  });
});

describe('closing in the middle', () => {
  test('the peer closing during a read fails it with StreamClosedError and no error', async () => {
    const [server, client] = await socketPair();
    const read = client.readBytes(1000);
    void server.write('only ten b');
    server.close();
    await expect(read).rejects.toBeInstanceOf(StreamClosedError);
    expect(client.error).toBeNull();
    expect((await client.readBytes(10)).toString()).toBe('only ten b');
    await closeAll(server, client);
  });

  test('closing our own stream during a read fails the read at once', async () => {
    const [server, client] = await socketPair();
    const read = client.readUntil('\n');
    client.close();
    expect(read.done()).toBe(true);
    expect(read.exception()).toBeInstanceOf(StreamClosedError);
    await closeAll(server, client);
  });

  test('the peer going away during a large write fails the write quietly', async () => {
    const [server, client] = await socketPair();
    const closed = closeEvent(client);
    const big = client.write(Buffer.alloc(64 * 1024 * 1024));
    await turns(2);
    expect(client.writing()).toBe(true);
    (server as IOStream).socket.resetAndDestroy();
    await expect(big).rejects.toBeInstanceOf(StreamClosedError);
    await closed.wait();
    expect((client.error as NodeJS.ErrnoException).code).toMatch(/^(ECONNRESET|EPIPE)$/);
    await closeAll(server, client);
  });

  test('close(error) during a write drops it; close() lets a small final write arrive', async () => {
    const [server, client] = await socketPair();
    const big = client.write(Buffer.alloc(64 * 1024 * 1024));
    await turns(2);
    client.close(new Error('abort'));
    await expect(big).rejects.toBeInstanceOf(StreamClosedError);
    await closeAll(server, client);

    const [server2, client2] = await socketPair();
    void client2.write('last words');
    client2.close();
    expect((await server2.readUntilClose()).toString()).toBe('last words');
    await closeAll(server2, client2);
  });

  test('a peer reset fails the pending read with ECONNRESET as its real error, without logging', async () => {
    const [server, client] = await socketPair();
    const read = client.readBytes(10);
    (server as IOStream).socket.resetAndDestroy();
    const error = await read.then(
      () => new Error('the read should have failed'),
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(StreamClosedError);
    expect(((error as StreamClosedError).realError as NodeJS.ErrnoException).code).toBe(
      'ECONNRESET',
    );
    await closeAll(server, client);
  });

  test('closed streams leave no socket behind', async () => {
    const before = liveSockets();
    const pairs: BaseIOStream[] = [];
    for (let i = 0; i < 5; i++) pairs.push(...(await socketPair()));
    expect(liveSockets()).toBe(before + 10);
    await closeAll(...pairs);
    await waitFor(() => liveSockets() === before, 'the sockets to close');
  });
});

describe('limits over sockets', () => {
  test('a line longer than maxBufferSize closes the stream with StreamBufferFullError', async () => {
    const [server, client] = await socketPair({ maxBufferSize: 64 * 1024 });
    void server.write(Buffer.alloc(1024 * 1024, 'x'));
    const read = client.readUntil('\n');
    await expectLog(genLog, /Reached maximum read buffer size/, async () => {
      await expect(read).rejects.toBeInstanceOf(StreamClosedError);
    });
    expect(client.error).toBeInstanceOf(StreamBufferFullError);
    await closeAll(server, client);
  });

  test('maxWriteBufferSize refuses a write while earlier bytes are still queued', async () => {
    const [server, client] = await socketPair({ maxWriteBufferSize: 1024 * 1024 });
    const first = client.write(Buffer.alloc(1024 * 1024));
    if (client.writing()) {
      expect(() => client.write(Buffer.alloc(1024 * 1024))).toThrow(StreamBufferFullError);
    }
    await Promise.all([first, server.readBytes(1024 * 1024)]);
    expect(() => client.write(Buffer.alloc(1024 * 1024))).not.toThrow();
    await closeAll(server, client);
  });
});

describe('many writes', () => {
  test('10,000 small writes arrive in order and all their Futures resolve', async () => {
    const [server, client] = await socketPair();
    const futures = Array.from({ length: 10_000 }, (_, i) => client.write(`${i}\n`));
    for (let i = 0; i < 10_000; i++) {
      expect((await server.readUntil('\n')).toString()).toBe(`${i}\n`);
    }
    await Promise.all(futures);
    expect(client.writing()).toBe(false);
    await closeAll(server, client);
  });
});

describe('memory', () => {
  test('a 100 MB transfer with a stalled reader keeps heap + ArrayBuffers flat (< 16 MB growth)', async () => {
    const fixtures = new URL('./fixtures/', import.meta.url);
    const total = 100 * 1024 * 1024;
    const output = await new Promise<string>((resolve, reject) => {
      execFile(
        process.execPath,
        [
          '--expose-gc',
          '--conditions=@tronada/source',
          '--import',
          fileURLToPath(new URL('stream-ts-register.mjs', fixtures)),
          fileURLToPath(new URL('stream-flat-memory.mjs', fixtures)),
          String(total),
        ],
        { timeout: 60_000 },
        (error, stdout, stderr) =>
          error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout),
      );
    });
    const result = JSON.parse(output.trim().split('\n').pop()!) as {
      received: number;
      growth: number;
      baseline: number;
    };
    expect(result.received).toBe(total);
    expect(result.baseline).toBeGreaterThan(0);
    expect(result.growth).toBeLessThan(16 * 1024 * 1024);
  }, 60_000);
});
