import { once } from 'node:events';
import type { IncomingMessage } from 'node:http';
import { fileURLToPath } from 'node:url';
import { useTestLoop } from '@tronada/testing';
import { useAsyncHTTPTestCase } from '@tronada/web/testing';
import { websocketConnect } from '@tronada/websocket';
import { websocketTestConnect, websocketTestUrl } from '@tronada/websocket/testing';
import { startProcess } from '@tronada-apps/sample-cli/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { makeApp } from '../src/echo-app.js';
import { DEFAULT_PORT, parseOptions } from '../src/options.js';

useTestLoop({ beforeEach, afterEach }, { clock: false });
const server = useAsyncHTTPTestCase({ beforeEach, afterEach }, makeApp);

/** Opens a `ws` client on /ws and waits for the handshake. */
async function wsClient(options: WebSocket.ClientOptions = {}): Promise<WebSocket> {
  const client = new WebSocket(websocketTestUrl(server.current, '/ws'), options);
  await once(client, 'open');
  return client;
}

/** The next message a `ws` client receives, with its type. */
async function nextMessage(client: WebSocket): Promise<{ data: Buffer; isBinary: boolean }> {
  const [data, isBinary] = (await once(client, 'message')) as [Buffer, boolean];
  return { data, isBinary };
}

/** Closes a `ws` client and waits for the server's close frame. */
async function closeClient(client: WebSocket): Promise<number> {
  const closed = once(client, 'close');
  client.close(1000);
  const [code] = (await closed) as [number];
  return code;
}

describe('the echo on /ws, with websocketConnect', () => {
  it('sends text back as text and binary back as binary', async () => {
    const ws = await websocketTestConnect(server.current, '/ws');
    await ws.writeMessage('héllo 👋');
    expect(await ws.readMessage()).toBe('héllo 👋');
    await ws.writeMessage(Buffer.from([0, 1, 2, 255]));
    expect(await ws.readMessage()).toEqual(Buffer.from([0, 1, 2, 255]));
    await ws.writeMessage('still text', { binary: false });
    expect(await ws.readMessage()).toBe('still text');
    ws.close(1000);
    expect(await ws.readMessage()).toBeNull();
  });

  it('negotiates permessage-deflate when the client offers it', async () => {
    const ws = await websocketTestConnect(server.current, '/ws', { compressionOptions: {} });
    expect(ws.headers.get('Sec-WebSocket-Extensions')).toMatch(/^permessage-deflate/);
    expect(ws.protocol.permessageDeflate).toBeDefined();
    const big = 'compressible '.repeat(10_000);
    await ws.writeMessage(big);
    expect(await ws.readMessage()).toBe(big);
    // The echo came back compressed: far fewer bytes on the wire than in the message.
    expect(ws.protocol.wireBytesIn).toBeLessThan(big.length / 10);
    ws.close(1000);
    expect(await ws.readMessage()).toBeNull();
  });

  it('answers a cross-origin handshake with 403', async () => {
    const url = websocketTestUrl(server.current, '/ws');
    await expect(
      websocketConnect(url, { headers: { Origin: 'http://evil.example' } }),
    ).rejects.toMatchObject({ status: 403 });
    const same = await websocketConnect(url, {
      headers: { Origin: `http://127.0.0.1:${server.current.getHttpPort()}` },
    });
    same.close(1000);
    expect(await same.readMessage()).toBeNull();
  });
});

describe('the echo on /ws, with the ws package as client', () => {
  it('keeps the type of text and binary messages', async () => {
    const client = await wsClient({ perMessageDeflate: false });
    client.send('plain text');
    expect(await nextMessage(client)).toEqual({ data: Buffer.from('plain text'), isBinary: false });
    client.send(Buffer.from([9, 8, 7]));
    expect(await nextMessage(client)).toEqual({ data: Buffer.from([9, 8, 7]), isBinary: true });
    expect(await closeClient(client)).toBe(1000);
  });

  it('negotiates permessage-deflate and echoes compressed messages of any size', async () => {
    const client = await wsClient({ perMessageDeflate: true });
    expect(client.extensions).toMatch(/^permessage-deflate/);
    for (const message of ['a', 'x'.repeat(200_000), Buffer.alloc(70_000, 3)]) {
      client.send(message);
      const echoed = await nextMessage(client);
      expect(echoed.isBinary).toBe(typeof message !== 'string');
      expect(echoed.data.equals(Buffer.from(message))).toBe(true);
    }
    expect(await closeClient(client)).toBe(1000);
  });

  it('refuses a cross-origin handshake with 403 and accepts the same origin', async () => {
    const client = new WebSocket(websocketTestUrl(server.current, '/ws'), {
      origin: 'http://evil.example',
    });
    const [, response] = (await once(client, 'unexpected-response')) as [unknown, IncomingMessage];
    expect(response.statusCode).toBe(403);
    // With an 'unexpected-response' listener, ending the attempt is ours to do; the 'error'
    // it reports ("closed before the connection was established") is the expected outcome.
    client.once('error', () => {});
    const closed = new Promise((resolve) => client.once('close', resolve));
    client.terminate();
    await closed;
    const same = await wsClient({ origin: `http://127.0.0.1:${server.current.getHttpPort()}` });
    expect(await closeClient(same)).toBe(1000);
  });

  it('closes with 1009 past the default 10 MiB message limit', async () => {
    const client = await wsClient({ perMessageDeflate: false });
    const closed = once(client, 'close');
    client.send(Buffer.alloc(10 * 1024 * 1024 + 1));
    const [code] = (await closed) as [number];
    expect(code).toBe(1009);
  });
});

describe('the sample', () => {
  it('serves a page at / that opens /ws on its own origin', async () => {
    const response = await server.current.fetch('/');
    expect(response.code).toBe(200);
    expect(response.headers.get('Content-Type')).toBe('text/html; charset=UTF-8');
    expect(response.text).toContain("new WebSocket(scheme + location.host + '/ws')");
  });

  it('listens on 8892 by default, --port or PORT otherwise', () => {
    expect(DEFAULT_PORT).toBe(8892);
    expect(parseOptions([], {}).port).toBe(8892);
    expect(parseOptions(['--port', '9000'], { PORT: '7000' }).port).toBe(9000);
    expect(parseOptions([], { PORT: '7000' }).port).toBe(7000);
    expect(() => parseOptions(['--port', 'x'], {})).toThrow(/whole number/);
  });

  it('runs as a program (the built dist/main.js) that echoes until interrupted', async () => {
    const main = fileURLToPath(new URL('../dist/main.js', import.meta.url));
    const program = await startProcess(process.execPath, [main, '--port', '0'], {
      ready: /Listening on http(:\/\/\S+)\//,
    });
    try {
      const url = `ws${program.match[1]!}/ws`;
      const client = new WebSocket(url);
      await once(client, 'open');
      client.send('over the program');
      expect((await nextMessage(client)).data.toString()).toBe('over the program');
      expect(await closeClient(client)).toBe(1000);
    } finally {
      await program.stop('SIGINT');
    }
  }, 20_000);
});
