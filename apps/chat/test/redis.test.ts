/**
 * Several chat processes, one chat: two built programs (dist/main.js) started with `--redis`
 * on one throwaway `redis-server`, and messages posted on either reach the clients of both.
 * Without /usr/bin/redis-server the test skips, except in CI (TRONADA_CI=1), where it runs and
 * fails.
 */
import { fileURLToPath } from 'node:url';
import { testFetch } from '@tronada/web/testing';
import {
  hasRedisServer,
  type RedisServer,
  type StartedProcess,
  startProcess,
  startRedisServer,
} from '@tronada-apps/sample-cli/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatMessage } from '../src/message-buffer.js';

const MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const inCI = process.env.TRONADA_CI !== undefined && process.env.TRONADA_CI !== '';
const hasRedis = hasRedisServer();

/** One chat process and the XSRF token its page gave us. */
interface Chat {
  readonly process: StartedProcess;
  readonly url: string;
  xsrf: string;
}

async function startChat(redisUrl: string): Promise<Chat> {
  const started = await startProcess(process.execPath, [MAIN, '--port', '0', '--redis', redisUrl], {
    ready: /Chat on (http:\/\/\S+)/,
  });
  const chat = { process: started, url: started.match[1]!, xsrf: '' };
  const page = await testFetch(chat.url);
  const token = /_xsrf=([^;]+)/.exec(String(page.headers.get('Set-Cookie')));
  if (token === null) throw new Error('the page set no _xsrf cookie');
  chat.xsrf = token[1]!;
  return chat;
}

function post(chat: Chat, path: string, fields: Record<string, string>) {
  return testFetch(new URL(path, chat.url).href, {
    method: 'POST',
    headers: {
      Cookie: `_xsrf=${chat.xsrf}`,
      'X-XSRFToken': chat.xsrf,
      'Content-Type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams(fields).toString(),
  });
}

async function say(chat: Chat, body: string): Promise<ChatMessage> {
  const response = await post(chat, '/a/message/new', { body });
  expect(response.code).toBe(200);
  return response.json() as ChatMessage;
}

async function poll(chat: Chat, cursor: string | null): Promise<ChatMessage[]> {
  const response = await post(chat, '/a/message/updates', cursor === null ? {} : { cursor });
  expect(response.code).toBe(200);
  return (response.json() as { messages: ChatMessage[] }).messages;
}

describe.skipIf(!hasRedis && !inCI)(
  hasRedis
    ? 'two chat processes sharing one Redis'
    : 'two chat processes sharing one Redis (skipped: redis-server not installed)',
  () => {
    let redis: RedisServer | null = null;
    let first: Chat | null = null;
    let second: Chat | null = null;

    beforeAll(async () => {
      redis = await startRedisServer();
      [first, second] = await Promise.all([startChat(redis.url), startChat(redis.url)]);
    }, 30_000);

    afterAll(async () => {
      await Promise.all([first?.process.stop('SIGINT'), second?.process.stop('SIGINT')]);
      await redis?.process.stop();
    }, 20_000);

    it('wakes a long poll on one process with a message posted on the other', async () => {
      const a = first!;
      const b = second!;
      // The poll on b waits (nothing posted yet) until a's message comes through Redis.
      const waiting = poll(b, null);
      const posted = await say(a, 'hello from the first process');
      const received = await waiting;
      expect(received).toEqual([posted]);
      expect(posted.body).toBe('hello from the first process');

      // And back: b's message reaches a poll on a that waits after the first message.
      const back = poll(a, posted.id);
      const reply = await say(b, 'hi from the second');
      expect(await back).toEqual([reply]);
    }, 20_000);

    it('gives each process the whole history, so any process can serve a newcomer', async () => {
      const a = first!;
      const b = second!;
      const late = await say(a, 'for the history <b>escaped</b>');
      // Every process has every message, in the same order (Redis orders one channel).
      const [fromA, fromB] = await Promise.all([poll(a, null), poll(b, null)]);
      expect(fromB).toEqual(fromA);
      expect(fromB.map((m) => m.body)).toEqual([
        'hello from the first process',
        'hi from the second',
        'for the history <b>escaped</b>',
      ]);
      const page = await testFetch(b.url);
      expect(page.text).toContain(`id="m${late.id}"`);
      expect(page.text).toContain('for the history &lt;b&gt;escaped&lt;/b&gt;');
    }, 20_000);
  },
);
