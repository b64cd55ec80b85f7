/**
 * Test helpers: the XSRF token a browser would get, posting and long-polling as the page's
 * script does, and waiting for the buffer to reach a state.
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { Application } from '@tronada/web';
import type { AsyncHTTPTestCase, TestResponse } from '@tronada/web/testing';

type Server = AsyncHTTPTestCase<Application>;

import type { ChatMessage } from '../src/message-buffer.js';

/** Loads the page and returns the `_xsrf` cookie it set. */
export async function xsrfCookie(server: Server): Promise<string> {
  const page = await server.fetch('/');
  const match = /_xsrf=([^;]+)/.exec(String(page.headers.get('Set-Cookie')));
  if (match === null) throw new Error('the page set no _xsrf cookie');
  return match[1]!;
}

/** POSTs form `fields` with the token in the cookie and in the `X-XSRFToken` header. */
export function postForm(
  server: Server,
  path: string,
  xsrf: string,
  fields: Record<string, string>,
): Promise<TestResponse> {
  return server.fetch(path, {
    method: 'POST',
    headers: {
      Cookie: `_xsrf=${xsrf}`,
      'X-XSRFToken': xsrf,
      'Content-Type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams(fields).toString(),
    followRedirects: false,
  });
}

/** Posts a chat message and returns it as the server answered it. */
export async function postMessage(
  server: Server,
  xsrf: string,
  body: string,
): Promise<ChatMessage> {
  const response = await postForm(server, '/a/message/new', xsrf, { body });
  if (response.code !== 200) throw new Error(`posting answered ${response.code}`);
  return response.json() as ChatMessage;
}

/** Long-polls for the messages after `cursor`. */
export async function pollUpdates(
  server: Server,
  xsrf: string,
  cursor: string | null,
): Promise<ChatMessage[]> {
  const response = await postForm(
    server,
    '/a/message/updates',
    xsrf,
    cursor === null ? {} : { cursor },
  );
  if (response.code !== 200) throw new Error(`polling answered ${response.code}`);
  return (response.json() as { messages: ChatMessage[] }).messages;
}

/** Resolves once `condition()` holds, checking every few milliseconds for up to `seconds`. */
export async function until(condition: () => boolean, seconds = 3): Promise<void> {
  const deadline = performance.now() + seconds * 1000;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`condition not met within ${seconds} s`);
    await delay(2);
  }
}
