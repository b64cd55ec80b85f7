/**
 * Compression, size limits and pings over real connections: Tornado's compression test mixins,
 * ServerPeriodicPingTest, ClientPeriodicPingTest, ManualPingTest and MaxMessageSizeTest.
 */
import { useTestLoop } from '@tronada/testing';
import { Application } from '@tronada/web';
import { useAsyncHTTPTestCase } from '@tronada/web/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  closeFrame,
  type PerMessageDeflateOptions,
  type WebSocketClientConnection,
  type WebSocketConnectOptions,
  WebSocketHandler,
  WebSocketUsageError,
} from '../src/index.js';
import { websocketTestConnect } from '../src/testing/index.js';
import { rawClient } from './raw-peer.js';

useTestLoop({ beforeEach, afterEach }, { clock: false });

async function closeAndDrain(ws: WebSocketClientConnection): Promise<void> {
  ws.close();
  while ((await ws.readMessage()) !== null) {
    // Drop what is still in flight.
  }
}

class CompressingHandler extends WebSocketHandler {
  compression: PerMessageDeflateOptions | null = null;
  override initialize(kwargs: { compression?: PerMessageDeflateOptions | null }): void {
    this.compression = kwargs.compression ?? null;
  }
  override getCompressionOptions(): PerMessageDeflateOptions | null {
    return this.compression;
  }
}

class EchoHandler extends CompressingHandler {
  override onMessage(message: string | Buffer) {
    return this.writeMessage(message);
  }
}

class LimitedHandler extends CompressingHandler {
  override get maxMessageSize(): number {
    return 1024;
  }
  override onMessage(message: string | Buffer): void {
    void this.writeMessage(String(message.length));
  }
}

const MESSAGE = 'Hello world. Testing 123 123';

const compressionCases: Array<{
  name: string;
  server: PerMessageDeflateOptions | null;
  client: PerMessageDeflateOptions | null;
  compressed: boolean;
}> = [
  { name: 'NoCompressionTest', server: null, client: null, compressed: false },
  { name: 'ServerOnlyCompressionTest', server: {}, client: null, compressed: false },
  { name: 'ClientOnlyCompressionTest', server: null, client: {}, compressed: false },
  { name: 'DefaultCompressionTest', server: {}, client: {}, compressed: true },
];

describe.each(compressionCases)('$name', ({ name, server: serverOptions, client, compressed }) => {
  const server = useAsyncHTTPTestCase(
    { beforeEach, afterEach },
    () =>
      new Application([
        ['/echo', EchoHandler, { compression: serverOptions }],
        ['/limited', LimitedHandler, { compression: serverOptions }],
      ]),
  );
  const connect = (path: string) =>
    websocketTestConnect(server.current, path, { compressionOptions: client });

  it(`counts message and wire bytes, compressed only when both sides ask (${name}.test_message_sizes)`, async () => {
    const ws = await connect('/echo');
    for (let i = 0; i < 3; i++) {
      void ws.writeMessage(MESSAGE);
      expect(await ws.readMessage()).toBe(MESSAGE);
    }
    const protocol = ws.protocol;
    expect(protocol.messageBytesOut).toBe(MESSAGE.length * 3);
    expect(protocol.messageBytesIn).toBe(MESSAGE.length * 3);
    expect(protocol.permessageDeflate !== undefined).toBe(compressed);
    if (compressed) {
      expect(protocol.wireBytesOut).toBeLessThan(3 * (MESSAGE.length + 6));
      expect(protocol.wireBytesIn).toBeLessThan(3 * (MESSAGE.length + 2));
      // The client adds a 4-byte masking key per message.
      expect(protocol.wireBytesOut).toBe(protocol.wireBytesIn + 12);
    } else {
      expect(protocol.wireBytesOut).toBe(3 * (MESSAGE.length + 6));
      expect(protocol.wireBytesIn).toBe(3 * (MESSAGE.length + 2));
    }
    await closeAndDrain(ws);
  });

  it(`closes with 1009 a message over the limit, after decompression too (${name}.test_size_limit)`, async () => {
    const ws = await connect('/limited');
    void ws.writeMessage('a'.repeat(128));
    expect(await ws.readMessage()).toBe('128');
    void ws.writeMessage('a'.repeat(2048));
    expect(await ws.readMessage()).toBeNull();
    expect(ws.closeCode).toBe(1009);
  });
});

describe('MaxMessageSizeTest', () => {
  const server = useAsyncHTTPTestCase(
    { beforeEach, afterEach },
    () => new Application([['/', EchoHandler]], { websocketMaxMessageSize: 1024 }),
  );

  it('echoes a message at the limit and closes with 1009 "message too big" past it (test_large_message)', async () => {
    const ws = await websocketTestConnect(server.current, '/');
    const message = 'a'.repeat(1024);
    void ws.writeMessage(message);
    expect(await ws.readMessage()).toBe(message);
    void ws.writeMessage(`${message}b`);
    expect(await ws.readMessage()).toBeNull();
    expect(ws.closeCode).toBe(1009);
    expect(ws.closeReason).toBe('message too big');
  });
});

describe('ServerPeriodicPingTest', () => {
  class PingHandler extends WebSocketHandler {
    override onPong(): void {
      void this.writeMessage('got pong');
    }
  }
  const server = useAsyncHTTPTestCase(
    { beforeEach, afterEach },
    () => new Application([['/', PingHandler]], { websocketPingInterval: 0.01 }),
  );

  it('pings the client every websocketPingInterval and hears its pongs (test_server_ping)', async () => {
    const ws = await websocketTestConnect(server.current, '/');
    for (let i = 0; i < 3; i++) expect(await ws.readMessage()).toBe('got pong');
    await closeAndDrain(ws);
  });
});

describe('ClientPeriodicPingTest', () => {
  class PingHandler extends WebSocketHandler {
    override onPing(): void {
      void this.writeMessage('got ping');
    }
  }
  const server = useAsyncHTTPTestCase(
    { beforeEach, afterEach },
    () => new Application([['/', PingHandler]]),
  );

  it('pings the server every pingInterval (test_client_ping)', async () => {
    const ws = await websocketTestConnect(server.current, '/', { pingInterval: 0.01 });
    for (let i = 0; i < 3; i++) expect(await ws.readMessage()).toBe('got ping');
    await closeAndDrain(ws);
  });
});

describe('ManualPingTest', () => {
  class PingHandler extends WebSocketHandler {
    override onPing(data: Buffer): void {
      void this.writeMessage(data, { binary: true });
    }
  }
  const server = useAsyncHTTPTestCase(
    { beforeEach, afterEach },
    () => new Application([['/', PingHandler]]),
  );

  it('sends pings of up to 125 bytes, seen by onPing as bytes (test_manual_ping)', async () => {
    const pongs: Buffer[] = [];
    const options: WebSocketConnectOptions = { onPong: (data) => pongs.push(data) };
    const ws = await websocketTestConnect(server.current, '/', options);
    expect(() => ws.ping('a'.repeat(126))).toThrow(WebSocketUsageError);
    ws.ping('hello');
    expect(await ws.readMessage()).toEqual(Buffer.from('hello'));
    ws.ping(Buffer.from('binary hello'));
    expect(await ws.readMessage()).toEqual(Buffer.from('binary hello'));
    // The server's pongs carried the same payloads.
    expect(pongs.map(String)).toEqual(['hello', 'binary hello']);
    await closeAndDrain(ws);
  });
});

describe('ping timeout', () => {
  const server = useAsyncHTTPTestCase(
    { beforeEach, afterEach },
    () =>
      new Application([['/', EchoHandler]], {
        websocketPingInterval: 0.01,
        websocketPingTimeout: 0.05,
      }),
  );

  it('closes with 1001 a client that stops answering pings', async () => {
    const peer = await rawClient(server.current.getHttpPort(), '/');
    peer.onCloseFrame = () => peer.send(closeFrame(1001, undefined, { mask: true }));
    const events = await peer.closed;
    // Pings went unanswered (the raw peer sends no pongs), then the close.
    expect(events.filter((e) => e === 'ping:').length).toBeGreaterThanOrEqual(2);
    expect(events.at(-1)).toBe('close:1001');
  });
});
