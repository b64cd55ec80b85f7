/**
 * A client stream talking to a small HTTP/1.0-style server (Tornado's TestIOStreamWebMixin,
 * whose server was a Tornado web app answering "Hello"). Run for plain TCP and for TLS.
 */
import type * as net from 'node:net';
import type { Duplex } from 'node:stream';
import { WaitIterator } from '@tronada/gen';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { StreamClosedError } from '../src/errors.js';
import type { IOStream } from '../src/iostream.js';
import { closeAll, listen, stop } from './stream-helpers.js';

/** How to make the server (given its connection handler) and a fresh, unconnected client. */
export interface WebContractSetup {
  makeServer(onConnection: (socket: Duplex) => void): net.Server;
  makeClient(): IOStream;
}

/** Answers every request with a fixed HTTP/1.1 response, then ends the connection. */
function hello(socket: Duplex): void {
  let seen = '';
  socket.on('data', (chunk: Buffer) => {
    seen += chunk.toString('latin1');
    if (!seen.includes('\r\n\r\n')) return;
    socket.end('HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Type: text/plain\r\n\r\nHello');
  });
  socket.on('error', () => {});
}

/** Registers the web tests for one kind of client stream. */
export function webContract(name: string, setup: WebContractSetup): void {
  describe(`${name}: talking to an HTTP server`, () => {
    let server: net.Server;
    let port: number;
    beforeEach(async () => {
      server = setup.makeServer(hello);
      port = await listen(server);
    });
    afterEach(() => stop(server));

    const connect = (): Promise<IOStream> =>
      Promise.resolve(setup.makeClient().connect({ host: '127.0.0.1', port }));

    test('readUntilClose gets the whole response', async () => {
      const stream = await connect();
      void stream.write('GET / HTTP/1.0\r\n\r\n');
      const data = (await stream.readUntilClose()).toString();
      expect(data.startsWith('HTTP/1.1 200')).toBe(true);
      expect(data.endsWith('Hello')).toBe(true);
      await closeAll(stream);
    });

    test('readBytes(0) between two reads gives an empty Buffer', async () => {
      const stream = await connect();
      void stream.write('GET / HTTP/1.0\r\n\r\n');
      expect((await stream.readBytes(9)).toString()).toBe('HTTP/1.1 ');
      expect((await stream.readBytes(0)).length).toBe(0);
      expect((await stream.readBytes(3)).toString()).toBe('200');
      await closeAll(stream);
    });

    test('a write made while connecting is sent after the connect, whose Future resolves first', async () => {
      const stream = setup.makeClient();
      const connected = stream.connect({ host: '127.0.0.1', port });
      const written = stream.write('GET / HTTP/1.0\r\nConnection: close\r\n\r\n');
      expect(connected.done()).toBe(false);
      const order: unknown[] = [];
      const it = new WaitIterator<unknown>(connected, written);
      while (!it.done()) {
        await it.next();
        order.push(it.currentFuture);
      }
      expect(order).toEqual([connected, written]);
      expect((await stream.readUntilClose()).toString().endsWith('Hello')).toBe(true);
      await closeAll(stream);
    });

    test('connect resolves with the stream itself, and the reads parse a response', async () => {
      const stream = setup.makeClient();
      expect(await stream.connect({ host: '127.0.0.1', port })).toBe(stream);
      await stream.write('GET / HTTP/1.0\r\n\r\n');
      expect((await stream.readUntil('\r\n')).toString()).toBe('HTTP/1.1 200 OK\r\n');
      const header = (await stream.readUntil('\r\n\r\n')).toString();
      const length = Number(/Content-Length: (\d+)/.exec(header)?.[1]);
      expect((await stream.readBytes(length)).toString()).toBe('Hello');
      await closeAll(stream);
    });

    test('a read for more than the response fails with StreamClosedError when the server closes', async () => {
      const stream = await connect();
      await stream.write('GET / HTTP/1.0\r\n\r\n');
      await expect(stream.readBytes(1024 * 1024)).rejects.toBeInstanceOf(StreamClosedError);
      await closeAll(stream);
    });

    test('the data comes before the close, and a read after it throws at once', async () => {
      const stream = await connect();
      await stream.write('GET / HTTP/1.0\r\nConnection: close\r\n\r\n');
      await stream.readUntil('\r\n\r\n');
      expect((await stream.readUntilClose()).toString()).toBe('Hello');
      expect(() => stream.readBytes(1)).toThrow(StreamClosedError);
      await closeAll(stream);
    });
  });
}
