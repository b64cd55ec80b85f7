/**
 * IOStream over real TCP sockets on 127.0.0.1 (Tornado's TestIOStream, TestIOStreamMixin and
 * TestIOStreamWebHTTP): the read/write contract, connecting, errors, and a client talking to a
 * small HTTP/1.0-style server made with node:net.
 */
import { rmSync } from 'node:fs';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { genLog } from '@tronada/ioloop';
import { expectLog } from '@tronada/testing';
import { describe, expect, test } from 'vitest';
import { StreamClosedError } from '../src/errors.js';
import { IOStream } from '../src/iostream.js';
import { streamContract } from './stream.contract.js';
import {
  closeAll,
  closeEvent,
  listen,
  socketPair,
  stop,
  turns,
  useStreamTestLoop,
} from './stream-helpers.js';
import { webContract } from './stream-web.contract.js';

useStreamTestLoop();

streamContract('IOStream', socketPair);

webContract('IOStream (Tornado TestIOStreamWebHTTP)', {
  makeServer: (onConnection) => net.createServer(onConnection),
  makeClient: () => new IOStream(new net.Socket()),
});

describe('IOStream connecting and errors (Tornado TestIOStreamMixin)', () => {
  test('a refused connection fails the connect with StreamClosedError and sets error', async () => {
    const server = net.createServer();
    const port = await listen(server);
    await stop(server);
    const stream = new IOStream(new net.Socket());
    const closed = closeEvent(stream);
    await expect(stream.connect({ host: '127.0.0.1', port })).rejects.toBeInstanceOf(
      StreamClosedError,
    );
    expect((stream.error as NodeJS.ErrnoException).code).toBe('ECONNREFUSED');
    await closed.wait();
  });

  test('a connect that throws at once closes the stream with that error', async () => {
    const stream = new IOStream(new net.Socket());
    const closed = closeEvent(stream);
    await expect(stream.connect({ host: '127.0.0.1', port: 70000 })).rejects.toBeInstanceOf(
      StreamClosedError,
    );
    expect(stream.error).toBeInstanceOf(RangeError);
    await closed.wait();
  });

  test('the legacy connect callback runs on the loop once connected', async () => {
    const server = net.createServer((socket) => socket.end());
    const port = await listen(server);
    const stream = new IOStream(new net.Socket());
    let called = false;
    await stream.connect({ host: '127.0.0.1', port }, {}, () => {
      called = true;
    });
    expect(called).toBe(false);
    await turns(2);
    expect(called).toBe(true);
    await closeAll(stream);
    await stop(server);
  });

  test('connect to a Unix socket path', async () => {
    const path = join(tmpdir(), `tronada-iostream-${process.pid}.sock`);
    rmSync(path, { force: true });
    const server = net.createServer((socket) => socket.end('unix!'));
    await new Promise<void>((resolve) => server.listen(path, resolve));
    try {
      const stream = await IOStream.connect(path);
      expect((await stream.readUntilClose()).toString()).toBe('unix!');
      await closeAll(stream);
    } finally {
      await stop(server);
    }
  });

  test('a socket error during an asynchronous read is logged once and fails the read', async () => {
    const [server, client] = await socketPair();
    const closed = closeEvent(server);
    const read = server.readBytes(1);
    await expectLog(genLog, /Error on stream.*boom/, async () => {
      (server as IOStream).socket.destroy(new Error('boom'));
      await closed.wait();
    });
    const error = read.exception() as StreamClosedError;
    expect(error).toBeInstanceOf(StreamClosedError);
    expect((error.realError as Error).message).toBe('boom');
    await closeAll(server, client);
  });

  test('an error while idle closes the stream, and the next read throws with the cause', async () => {
    const [server, client] = await socketPair();
    const closed = closeEvent(server);
    const reset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    (server as IOStream).socket.destroy(reset);
    await closed.wait();
    let thrown: unknown;
    try {
      void server.readBytes(1);
    } catch (error) {
      thrown = error;
    }
    expect((thrown as StreamClosedError).realError).toBe(reset);
    await closeAll(server, client);
  });

  test('concurrent writers: no write Future is left pending', async () => {
    const m = 5000;
    const n = 100;
    const producers = 10;
    const total = m * n * producers;
    const [server, client] = await socketPair({ maxBufferSize: total });
    const produce = async (): Promise<void> => {
      const data = Buffer.alloc(m, 'x');
      for (let i = 0; i < n; i++) await server.write(data);
    };
    const consume = async (): Promise<void> => {
      for (let read = 0; read < total; ) read += (await client.readBytes(m)).length;
    };
    await Promise.all([...Array.from({ length: producers }, produce), consume()]);
    expect(server.writing()).toBe(false);
    await closeAll(server, client);
  });

  test('small writes of one loop round count as sent at once and go out together after it', async () => {
    const [server, client] = await socketPair();
    const socket = (client as IOStream).socket;
    const sent: number[] = [];
    const write = socket.write.bind(socket);
    socket.write = ((data: Uint8Array, ...rest: never[]) => {
      sent.push(data.length);
      return write(data, ...rest);
    }) as typeof socket.write;
    const first = client.write('one,');
    const second = client.write('two');
    expect(first.done()).toBe(true);
    expect(second.done()).toBe(true);
    expect(client.writing()).toBe(false);
    expect(sent).toEqual([]);
    expect((await server.readBytes(7)).toString()).toBe('one,two');
    expect(sent).toEqual([7]);
    await closeAll(server, client);
  });

  test('a large write goes out inside the call, after the small ones of the round', async () => {
    const [server, client] = await socketPair();
    const large = Buffer.alloc(20 * 1024, 'L');
    client.write('s');
    const written = client.write(large);
    expect(written.done()).toBe(true);
    const received = await server.readBytes(1 + large.length);
    expect(received.subarray(0, 1).toString()).toBe('s');
    expect(received.subarray(1).equals(large)).toBe(true);
    await closeAll(server, client);
  });

  test('close() sends the writes held back before closing', async () => {
    const [server, client] = await socketPair();
    const written = client.write('last words');
    client.close();
    await written;
    expect((await server.readUntilClose()).toString()).toBe('last words');
    await closeAll(server, client);
  });

  test('fileno and socket give the net.Socket; setNodelay sets TCP_NODELAY without error', async () => {
    const [server, client] = await socketPair();
    const stream = client as IOStream;
    expect(stream.fileno()).toBe(stream.socket);
    stream.setNodelay(true);
    stream.setNodelay(false);
    await closeAll(server, client);
    stream.setNodelay(true);
    await turns(1);
  });
});
