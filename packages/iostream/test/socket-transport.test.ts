/**
 * SocketTransport over real loopback sockets: when small writes are batched; the batch and the
 * peer's end of file; the socket's own 'end' listener while a transport is attached; silence
 * after destroy() or end().
 */
import { once } from 'node:events';
import * as net from 'node:net';
import { describe, expect, test } from 'vitest';
import { SocketTransport } from '../src/socket-transport.js';
import type { TransportSink } from '../src/transport.js';
import { listen, stop, useStreamTestLoop } from './stream-helpers.js';

useStreamTestLoop();

/** A sink that records the events it gets. */
function recordingSink(events: string[]): TransportSink {
  return {
    data: (chunk) => events.push(`data ${chunk.toString()}`),
    end: () => events.push('end'),
    error: (error) => events.push(`error ${error.message}`),
    close: () => events.push('close'),
    written: () => events.push('written'),
  };
}

/** A connected pair of plain sockets: [server side, client side]. */
async function connectedSockets(): Promise<[net.Socket, net.Socket, net.Server]> {
  const server = net.createServer();
  const accepted = once(server, 'connection');
  const port = await listen(server);
  const client = net.connect(port, '127.0.0.1');
  const [socket] = (await accepted) as [net.Socket];
  await once(client, 'connect').catch(() => undefined);
  return [socket, client, server];
}

/** The end of the current round of the event loop. */
function endOfRound(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Runs `body` with a connected pair of plain sockets, closed afterwards. */
async function withSockets(body: (socket: net.Socket, client: net.Socket) => Promise<void>) {
  const [socket, client, server] = await connectedSockets();
  try {
    await body(socket, client);
  } finally {
    socket.destroy();
    client.destroy();
    await stop(server);
  }
}

/**
 * Runs `body` with a transport over a connection of its own, whose peer drops what it gets.
 */
function withSpareTransport(body: (transport: SocketTransport) => Promise<void>) {
  return withSockets(async (socket, client) => {
    client.resume();
    const transport = new SocketTransport(socket);
    transport.attach(recordingSink([]));
    await body(transport);
  });
}

/** Makes the process look busy to the write batching: one round with many small writes. */
function busyRound(): Promise<void> {
  return withSpareTransport(async (transport) => {
    for (let i = 0; i < 40; i++) transport.write('x');
    await endOfRound();
    await endOfRound();
  });
}

/** Makes the process look quiet again: many rounds with one small write each. */
function quietRounds(): Promise<void> {
  return withSpareTransport(async (transport) => {
    for (let i = 0; i < 40; i++) {
      transport.write('x');
      await endOfRound();
    }
  });
}

describe('SocketTransport write batching', () => {
  test('on a quiet process a small write goes to the kernel at once', async () => {
    await quietRounds();
    await withSpareTransport(async (transport) => {
      const socket = transport.socket as net.Socket;
      expect(transport.write('ping')).toBe(true);
      expect(socket.bytesWritten).toBe(4);
    });
  });

  test('after a round with many small writes, a small write waits for the end of the round', async () => {
    await busyRound();
    await withSpareTransport(async (transport) => {
      const socket = transport.socket as net.Socket;
      expect(transport.write('ping')).toBe(true);
      expect(transport.write('pong')).toBe(true);
      expect(socket.bytesWritten).toBe(0);
      await endOfRound();
      expect(socket.bytesWritten).toBe(8);
    });
  });

  test('after rounds with one writer each, small writes go out at once again', async () => {
    await busyRound();
    await quietRounds();
    await withSpareTransport(async (transport) => {
      const socket = transport.socket as net.Socket;
      transport.write('ping');
      expect(socket.bytesWritten).toBe(4);
    });
  });
});

describe('SocketTransport', () => {
  test('a small write held back for the round goes out before the end of file is handled', () =>
    withSockets(async (socket, client) => {
      await busyRound();
      const transport = new SocketTransport(socket);
      const events: string[] = [];
      transport.attach({ ...recordingSink(events), end: () => transport.destroy() });
      const received: Buffer[] = [];
      client.on('data', (chunk: Buffer) => received.push(chunk));
      // Held back until the end of the round; the end of file is handled before that (emitted
      // here directly, as a socket does when the peer's FIN arrives in the same round).
      expect(transport.write('pong')).toBe(true);
      expect(socket.bytesWritten).toBe(0);
      socket.emit('end');
      await once(client, 'close');
      expect(Buffer.concat(received).toString()).toBe('pong');
      expect(events.filter((event) => event.startsWith('error'))).toEqual([]);
    }));

  test("keeps the socket's own 'end' listener working and gives it back on detach", () =>
    withSockets(async (socket, client) => {
      const own = socket.rawListeners('end');
      expect(own).toHaveLength(1);
      const events: string[] = [];
      const transport = new SocketTransport(socket);
      transport.attach(recordingSink(events));
      expect(socket.listenerCount('end')).toBe(1);
      transport.detach();
      expect(socket.rawListeners('end')).toEqual(own);

      transport.attach(recordingSink(events));
      client.end();
      await once(socket, 'end');
      expect(events).toEqual(['end']);
      // Node's listener ran too: a socket that does not allow half-open connections refuses
      // writes once the peer has finished.
      const refused = new Promise<Error>((resolve) => {
        socket.write('late', (error) => resolve(error!));
      });
      expect((await refused).message).toMatch(/ended by the other party/);
    }));

  test("listens ahead of other 'end' listeners a socket already has", () =>
    withSockets(async (socket, client) => {
      const order: string[] = [];
      socket.on('end', () => order.push('application'));
      const transport = new SocketTransport(socket);
      transport.attach({ ...recordingSink([]), end: () => order.push('transport') });
      expect(socket.listenerCount('end')).toBe(3);
      client.end();
      await once(socket, 'end');
      expect(order).toEqual(['transport', 'application']);
      transport.detach();
      expect(socket.listenerCount('end')).toBe(2);
    }));

  test('a socket error is ignored before attach() and reported once after a hand-over', () =>
    withSockets(async (socket) => {
      const first = new SocketTransport(socket);
      socket.emit('error', new Error('before attach'));
      first.attach(recordingSink([]));
      first.detach();
      socket.emit('error', new Error('after detach'));
      const events: string[] = [];
      const second = new SocketTransport(socket);
      second.attach(recordingSink(events));
      socket.emit('error', new Error('boom'));
      expect(events).toEqual(['error boom']);
      second.detach();
    }));

  test('after destroy() the sink hears nothing more, and a late socket error does not throw', () =>
    withSockets(async (socket) => {
      const events: string[] = [];
      const transport = new SocketTransport(socket);
      transport.attach(recordingSink(events));
      // Not events.once(): it would listen to 'error' itself.
      const closed = new Promise((resolve) => socket.on('close', resolve));
      transport.destroy();
      socket.emit('data', Buffer.from('late'));
      socket.emit('error', new Error('late failure'));
      await closed;
      expect(events).toEqual([]);
      expect(socket.destroyed).toBe(true);
    }));

  test('after end() the bytes written still go out, and the sink hears nothing more', () =>
    withSockets(async (socket, client) => {
      const events: string[] = [];
      const transport = new SocketTransport(socket);
      transport.attach(recordingSink(events));
      const received: Buffer[] = [];
      client.on('data', (chunk: Buffer) => received.push(chunk));
      const closed = once(socket, 'close');
      const ended = once(client, 'end');
      transport.write('bye');
      transport.end();
      client.write('ignored');
      await Promise.all([ended, closed]);
      expect(Buffer.concat(received).toString()).toBe('bye');
      expect(events).toEqual([]);
    }));
});
