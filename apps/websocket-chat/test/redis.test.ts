/**
 * Several websocket chat processes, one chat: two built programs (dist/main.js) started with
 * `--redis` on one throwaway `redis-server`; a message sent on a socket of one reaches the
 * sockets of the other, and both keep it in their history. Without /usr/bin/redis-server the
 * test skips, except in CI (TRONADA_CI=1), where it runs and fails.
 */
import { fileURLToPath } from 'node:url';
import { useTestLoop } from '@tronada/testing';
import { testFetch } from '@tronada/web/testing';
import { type WebSocketClientConnection, websocketConnect } from '@tronada/websocket';
import {
  hasRedisServer,
  type RedisServer,
  type StartedProcess,
  startProcess,
  startRedisServer,
} from '@tronada-apps/sample-cli/testing';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ChatMessage } from '../src/chat-room.js';

const MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const inCI = process.env.TRONADA_CI !== undefined && process.env.TRONADA_CI !== '';
const hasRedis = hasRedisServer();

useTestLoop({ beforeEach, afterEach }, { clock: false });

async function startChat(redisUrl: string): Promise<StartedProcess> {
  return startProcess(process.execPath, [MAIN, '--port', '0', '--redis', redisUrl], {
    ready: /Listening on (http:\/\/\S+)/,
  });
}

function urlOf(chat: StartedProcess | null): string {
  return chat!.match[1]!;
}

function connect(chat: StartedProcess | null): Promise<WebSocketClientConnection> {
  const page = new URL(urlOf(chat));
  return websocketConnect(`ws://${page.host}/chatsocket`, {
    headers: { Origin: page.origin },
  });
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

describe.skipIf(!hasRedis && !inCI)(
  hasRedis
    ? 'two websocket chat processes sharing one Redis'
    : 'two websocket chat processes sharing one Redis (skipped: redis-server not installed)',
  () => {
    let redis: RedisServer | null = null;
    let first: StartedProcess | null = null;
    let second: StartedProcess | null = null;

    beforeAll(async () => {
      redis = await startRedisServer();
      [first, second] = await Promise.all([startChat(redis.url), startChat(redis.url)]);
    }, 30_000);

    afterAll(async () => {
      await Promise.all([first?.stop('SIGINT'), second?.stop('SIGINT')]);
      await redis?.process.stop();
    }, 20_000);

    it('delivers a message sent on one process to the sockets of the other', async () => {
      const bob = await connect(second);
      // Bob's own message coming back proves his socket has joined the second room.
      await say(bob, 'bob is here');
      expect((await receive(bob)).body).toBe('bob is here');

      const alice = await connect(first);
      await say(alice, 'hello from the first process');
      const toBob = await receive(bob);
      expect(toBob.body).toBe('hello from the first process');
      expect(toBob.html).toBe(
        `<div class="message" id="m${toBob.id}">hello from the first process</div>\n`,
      );
      await leave(alice);
      await leave(bob);
    }, 20_000);

    it('keeps the messages of both processes in the history each page shows', async () => {
      for (const chat of [first, second]) {
        const page = await testFetch(urlOf(chat));
        expect(page.code).toBe(200);
        const bob = page.text.indexOf('bob is here');
        const alice = page.text.indexOf('hello from the first process');
        // Both messages, in the order Redis delivered them.
        expect(bob).toBeGreaterThan(-1);
        expect(alice).toBeGreaterThan(bob);
      }
    }, 20_000);
  },
);
