/**
 * Interop over real connections with the `ws` package, an independent implementation: its
 * client against our WebSocketHandler and our websocketConnect against its server, with and
 * without permessage-deflate.
 */
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { useTestLoop } from '@tronada/testing';
import { Application } from '@tronada/web';
import { useAsyncHTTPTestCase } from '@tronada/web/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { type PerMessageDeflateOptions, WebSocketHandler, websocketConnect } from '../src/index.js';

useTestLoop({ beforeEach, afterEach }, { clock: false });

class EchoHandler extends WebSocketHandler {
  compression: PerMessageDeflateOptions | null = null;
  override initialize(kwargs: { compression?: PerMessageDeflateOptions | null }): void {
    this.compression = kwargs.compression ?? null;
  }
  override getCompressionOptions(): PerMessageDeflateOptions | null {
    return this.compression;
  }
  override onMessage(message: string | Buffer) {
    if (message === 'close please') {
      this.close(4000, 'as asked');
      return undefined;
    }
    return this.writeMessage(message);
  }
}

/** Messages of every size class: empty, 7-bit, 16-bit and 64-bit lengths, text and binary. */
const samples: Array<string | Buffer> = [
  '',
  'hello',
  'h\u00e9llo \u{1f600}',
  'x'.repeat(200),
  Buffer.from([0, 1, 2, 254, 255]),
  Buffer.alloc(70_000, 7),
  'repeat '.repeat(20_000),
];

/** A message as `text:<sha1>` or `binary:<sha1>`, cheap to compare (deep equality of big Buffers is slow). */
function digest(message: string | Buffer): string {
  const kind = typeof message === 'string' ? 'text' : 'binary';
  return `${kind}:${message.length}:${createHash('sha1').update(message).digest('hex')}`;
}

/** A ws client's messages, in order, as strings or Buffers. */
function collect(client: WebSocket): Array<string | Buffer> {
  const received: Array<string | Buffer> = [];
  client.on('message', (data, isBinary) => {
    const buffer = Buffer.isBuffer(data) ? data : Buffer.concat(data as Buffer[]);
    received.push(isBinary ? buffer : buffer.toString('utf8'));
  });
  return received;
}

describe.each([
  { name: 'without compression', server: null, client: false },
  { name: 'with permessage-deflate', server: {}, client: true },
  {
    name: 'with permessage-deflate, no context takeover, small windows',
    server: { serverNoContextTakeover: true, serverMaxWindowBits: 9 },
    client: { clientNoContextTakeover: true, clientMaxWindowBits: 10 },
  },
] as const)('the ws client against WebSocketHandler $name', ({ server: compression, client }) => {
  const server = useAsyncHTTPTestCase(
    { beforeEach, afterEach },
    () => new Application([['/echo', EchoHandler, { compression }]]),
  );

  it('gets every message back intact, then the server close code', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.current.getHttpPort()}/echo`, {
      perMessageDeflate: client,
    });
    const received = collect(ws);
    await once(ws, 'open');
    expect(ws.extensions !== '').toBe(compression !== null);
    for (const sample of samples) ws.send(sample, { binary: typeof sample !== 'string' });
    while (received.length < samples.length) await once(ws, 'message');
    expect(received.map(digest)).toEqual(samples.map(digest));
    ws.send('close please');
    const [code, reason] = (await once(ws, 'close')) as [number, Buffer];
    expect(code).toBe(4000);
    expect(reason.toString()).toBe('as asked');
  });

  it('hears the close code and reason the ws client sends', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.current.getHttpPort()}/echo`, {
      perMessageDeflate: client,
    });
    await once(ws, 'open');
    ws.close(4001, 'bye');
    const [code, reason] = (await once(ws, 'close')) as [number, Buffer];
    // The server echoes the client's code.
    expect(code).toBe(4001);
    expect(reason.toString()).toBe('');
  });
});

describe.each([
  { name: 'without compression', server: false, client: null },
  { name: 'with permessage-deflate', server: true, client: {} },
  {
    name: 'with permessage-deflate, no context takeover, small windows',
    server: {
      serverNoContextTakeover: true,
      clientNoContextTakeover: true,
      serverMaxWindowBits: 10,
    },
    client: { clientMaxWindowBits: 9 },
  },
] as const)(
  'websocketConnect against a ws server $name',
  ({ server: perMessageDeflate, client }) => {
    let wss: WebSocketServer;
    beforeEach(async () => {
      wss = new WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate });
      wss.on('connection', (socket) => {
        socket.on('message', (data, isBinary) => {
          if (!isBinary && data.toString() === 'close please') socket.close(4002, 'done');
          else socket.send(data, { binary: isBinary });
        });
      });
      await once(wss, 'listening');
    });
    afterEach(async () => {
      for (const socket of wss.clients) socket.terminate();
      await new Promise((resolve) => wss.close(resolve));
    });

    it('gets every message back intact, then the server close code', async () => {
      const port = (wss.address() as AddressInfo).port;
      const ws = await websocketConnect(`ws://127.0.0.1:${port}/`, { compressionOptions: client });
      expect(ws.protocol.permessageDeflate !== undefined).toBe(client !== null);
      for (const sample of samples) void ws.writeMessage(sample);
      const received: Array<string | Buffer> = [];
      for (let i = 0; i < samples.length; i++) received.push((await ws.readMessage())!);
      expect(received.map(digest)).toEqual(samples.map(digest));
      void ws.writeMessage('close please');
      expect(await ws.readMessage()).toBeNull();
      expect(ws.closeCode).toBe(4002);
      expect(ws.closeReason).toBe('done');
    });

    it('closes with its own code, which the ws server sees', async () => {
      const port = (wss.address() as AddressInfo).port;
      const closed = new Promise<[number, string]>((resolve) => {
        wss.once('connection', (socket) =>
          socket.once('close', (code, reason) => resolve([code, reason.toString()])),
        );
      });
      const ws = await websocketConnect(`ws://127.0.0.1:${port}/`, { compressionOptions: client });
      ws.close(4003, 'client done');
      expect(await ws.readMessage()).toBeNull();
      expect(await closed).toEqual([4003, 'client done']);
      expect(ws.closeCode).toBe(4003);
    });
  },
);
