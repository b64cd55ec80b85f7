import { spawn } from 'node:child_process';
import { useTestLoop } from '@tronada/testing';
import { useAsyncHTTPTestCase } from '@tronada/web/testing';
import { type WebSocketClientConnection, websocketConnect } from '@tronada/websocket';
import { websocketTestConnect, websocketTestUrl } from '@tronada/websocket/testing';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { makeApp } from '../src/chat-app.js';
import { type ChatMessage, ChatRoom } from '../src/chat-room.js';
import { DEFAULT_PORT, parseOptions } from '../src/options.js';

useTestLoop({ beforeEach, afterEach }, { clock: false });
let room = new ChatRoom();
const server = useAsyncHTTPTestCase({ beforeEach, afterEach }, () => {
  room = new ChatRoom();
  return makeApp({ room, cookieSecret: 'test secret' });
});

/** Opens a chat socket and waits until the room has counted it. */
async function join(): Promise<WebSocketClientConnection> {
  const before = room.waiterCount;
  const ws = await websocketTestConnect(server.current, '/chatsocket');
  await vi.waitFor(() => expect(room.waiterCount).toBe(before + 1));
  return ws;
}

async function say(ws: WebSocketClientConnection, body: string): Promise<void> {
  await ws.writeMessage(JSON.stringify({ body }));
}

async function receive(ws: WebSocketClientConnection): Promise<ChatMessage> {
  const message = await ws.readMessage();
  if (typeof message !== 'string') throw new Error(`expected a text message, got ${message}`);
  return JSON.parse(message) as ChatMessage;
}

async function leave(ws: WebSocketClientConnection): Promise<void> {
  ws.close(1000);
  while ((await ws.readMessage()) !== null) {
    // drain what was still on the way
  }
}

describe('the chat socket', () => {
  it('broadcasts a message to every open socket, the sender included', async () => {
    const alice = await join();
    const bob = await join();
    await say(alice, 'hello bob');
    const [toAlice, toBob] = await Promise.all([receive(alice), receive(bob)]);
    expect(toBob).toEqual(toAlice);
    expect(toBob.body).toBe('hello bob');
    expect(toBob.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(toBob.html).toBe(`<div class="message" id="m${toBob.id}">hello bob</div>\n`);
    await say(bob, 'hi alice');
    expect((await receive(alice)).body).toBe('hi alice');
    expect((await receive(bob)).body).toBe('hi alice');
    await leave(alice);
    await leave(bob);
  });

  it('renders each message with the template: escaped, links made clickable', async () => {
    const ws = await join();
    await say(ws, '<script>x</script> see http://example.com/a?b=1&c=2');
    const { html } = await receive(ws);
    expect(html).toContain('&lt;script&gt;x&lt;/script&gt;');
    expect(html).toContain('<a href="http://example.com/a?b=1&amp;c=2">');
    expect(html).not.toContain('<script>');
    await leave(ws);
  });

  it('stops sending to a socket once it closes', async () => {
    const alice = await join();
    const bob = await join();
    await leave(bob);
    await vi.waitFor(() => expect(room.waiterCount).toBe(1));
    await say(alice, 'anyone?');
    expect((await receive(alice)).body).toBe('anyone?');
    await leave(alice);
    await vi.waitFor(() => expect(room.waiterCount).toBe(0));
  });

  it('keeps the history for newcomers: the page shows the recent messages', async () => {
    const alice = await join();
    await say(alice, 'first');
    await receive(alice);
    await say(alice, 'second <b>');
    await receive(alice);
    await leave(alice);
    const page = await server.current.fetch('/');
    expect(page.code).toBe(200);
    const inbox = page.text.slice(page.text.indexOf('id="inbox"'), page.text.indexOf('id="input"'));
    expect(inbox.indexOf('>first</div>')).toBeGreaterThan(0);
    expect(inbox.indexOf('>second &lt;b&gt;</div>')).toBeGreaterThan(inbox.indexOf('>first<'));
    expect(room.cache.map((m) => m.body)).toEqual(['first', 'second <b>']);
  });

  it('needs no XSRF token but refuses another origin with 403', async () => {
    const url = websocketTestUrl(server.current, '/chatsocket');
    await expect(
      websocketConnect(url, { headers: { Origin: 'http://evil.example' } }),
    ).rejects.toMatchObject({ status: 403 });
    expect(room.waiterCount).toBe(0);
    const ws = await websocketConnect(url, {
      headers: { Origin: `http://127.0.0.1:${server.current.getHttpPort()}` },
    });
    await vi.waitFor(() => expect(room.waiterCount).toBe(1));
    await leave(ws);
  });

  it('negotiates permessage-deflate', async () => {
    const ws = await websocketTestConnect(server.current, '/chatsocket', {
      compressionOptions: {},
    });
    expect(ws.protocol.permessageDeflate).toBeDefined();
    await vi.waitFor(() => expect(room.waiterCount).toBe(1));
    await say(ws, 'squeezed');
    expect((await receive(ws)).body).toBe('squeezed');
    await leave(ws);
  });

  it('closes with 1003 on a message that is not {"body": text}', async () => {
    const ws = await join();
    await ws.writeMessage('not json');
    expect(await ws.readMessage()).toBeNull();
    expect(ws.closeCode).toBe(1003);
    expect(room.cache).toEqual([]);
  });
});

describe('the page', () => {
  it('has the form with its XSRF field, the inbox and the scripts', async () => {
    const page = await server.current.fetch('/');
    expect(page.headers.get('Content-Type')).toBe('text/html; charset=UTF-8');
    expect(page.text).toContain('<div id="inbox">');
    expect(page.text).toMatch(/<input type="hidden" name="_xsrf" value="[^"]+"/);
    expect(page.text).toMatch(/<script src="\/static\/chat\.js\?v=[0-9a-f]+"/);
    const script = await server.current.fetch('/static/chat.js');
    expect(script.code).toBe(200);
    expect(script.text).toContain('/chatsocket');
  });
});

describe('ChatRoom', () => {
  it('keeps only the most recent messages, oldest first', () => {
    const small = new ChatRoom({ cacheSize: 3 });
    for (let i = 0; i < 5; i++) small.updateCache({ id: String(i), body: `m${i}`, html: '' });
    expect(small.cache.map((m) => m.id)).toEqual(['2', '3', '4']);
    expect(new ChatRoom().cacheSize).toBe(200);
  });

  it('keeps sending to the others when one socket fails', () => {
    const small = new ChatRoom();
    const got: string[] = [];
    small.join({
      writeMessage: (m) => {
        got.push(`a:${m.body}`);
        return Promise.reject(new Error('closed meanwhile'));
      },
    });
    small.join({
      writeMessage: (m) => {
        got.push(`b:${m.body}`);
        return Promise.resolve();
      },
    });
    small.sendUpdates({ id: '1', body: 'x', html: '' });
    expect(got).toEqual(['a:x', 'b:x']);
  });
});

describe('the sample', () => {
  it('listens on 8893 by default, --port or PORT otherwise', () => {
    expect(DEFAULT_PORT).toBe(8893);
    expect(parseOptions([], {}).port).toBe(8893);
    expect(parseOptions(['--port', '9000'], { PORT: '7000' }).port).toBe(9000);
    expect(parseOptions([], { PORT: '7000' }).port).toBe(7000);
  });

  it('runs as a program (the built dist/main.js) with its templates and static files', async () => {
    const main = new URL('../dist/main.js', import.meta.url).pathname;
    const child = spawn(process.execPath, [main, '--port', '0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const base = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const found = /Listening on (http:\/\/\S+)\//.exec(out);
          if (found) resolve(found[1]!);
        });
        child.once('exit', (code) => reject(new Error(`the sample exited with ${code}: ${out}`)));
      });
      expect((await server.current.fetch(`${base}/`)).text).toContain('<div id="inbox">');
      const ws = await websocketConnect(`${base.replace('http', 'ws')}/chatsocket`);
      await say(ws, 'from the program');
      expect((await receive(ws)).body).toBe('from the program');
      await leave(ws);
    } finally {
      child.kill('SIGINT');
    }
  }, 20_000);
});
