/**
 * Headless Chromium against our server: two pages of the chat exchange messages, and the
 * browser's own `WebSocket` talks to a WebSocketHandler with and without permessage-deflate.
 * Skipped, saying why, when /usr/bin/chromium is missing. Screenshots go to test-artifacts/.
 */
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { useTestLoop } from '@tronada/testing';
import { Application, RequestHandler } from '@tronada/web';
import { useAsyncHTTPTestCase } from '@tronada/web/testing';
import { type PerMessageDeflateOptions, WebSocketHandler } from '@tronada/websocket';
import {
  browserSuiteTitle,
  browserTestsRun,
  launchChromium,
} from '@tronada-apps/sample-cli/testing';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { makeApp } from '../src/chat-app.js';
import { ChatRoom } from '../src/chat-room.js';

const ARTIFACTS = fileURLToPath(new URL('../test-artifacts/', import.meta.url));

useTestLoop({ beforeEach, afterEach }, { clock: false });

let browser: Browser;

beforeAll(async () => {
  if (!browserTestsRun) return;
  mkdirSync(ARTIFACTS, { recursive: true });
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

async function openChat(url: string): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(url);
  await page.waitForSelector('body[data-socket="open"]', { state: 'attached' });
  return page;
}

async function post(page: Page, text: string): Promise<void> {
  await page.fill('#message', text);
  await page.press('#message', 'Enter');
}

describe.skipIf(!browserTestsRun)(browserSuiteTitle('the chat in Chromium'), () => {
  let room = new ChatRoom();
  const server = useAsyncHTTPTestCase({ beforeEach, afterEach }, () => {
    room = new ChatRoom();
    return makeApp({ cookieSecret: 'browser test', room });
  });

  /** Waits until the server has seen every page's websocket close (a closed page's goes late). */
  async function allSocketsClosed(): Promise<void> {
    for (let i = 0; i < 500 && room.waiterCount > 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(room.waiterCount).toBe(0);
    // The close's own loop callbacks run after the handler heard it.
    for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));
  }

  it('shows a message typed in one page in the other, and back', async () => {
    const url = server.current.getUrl('/');
    const alice = await openChat(url);
    const bob = await openChat(url);
    try {
      await post(alice, 'Hello from Alice <b>not bold</b> http://example.com');
      const got = bob.locator('#inbox .message');
      await got.first().waitFor();
      expect(await got.first().textContent()).toBe(
        'Hello from Alice <b>not bold</b> http://example.com',
      );
      expect(await got.first().locator('a').getAttribute('href')).toBe('http://example.com');
      expect(await bob.locator('#inbox b').count()).toBe(0);
      await post(bob, 'Hi Alice');
      await alice.locator('#inbox .message').nth(1).waitFor();
      expect(await alice.locator('#inbox .message').allTextContents()).toEqual([
        'Hello from Alice <b>not bold</b> http://example.com',
        'Hi Alice',
      ]);
      await alice.screenshot({ path: `${ARTIFACTS}chat-alice.png` });
      await bob.screenshot({ path: `${ARTIFACTS}chat-bob.png` });

      // A page opened later gets the history in its HTML.
      const carol = await openChat(url);
      expect(await carol.locator('#inbox .message').allTextContents()).toEqual([
        'Hello from Alice <b>not bold</b> http://example.com',
        'Hi Alice',
      ]);
      await carol.screenshot({ path: `${ARTIFACTS}chat-carol.png` });
      await carol.close();
    } finally {
      await alice.close();
      await bob.close();
    }
    await allSocketsClosed();
  }, 30_000);
});

class EchoHandler extends WebSocketHandler {
  compression: PerMessageDeflateOptions | null = null;

  override initialize(kwargs: { compression: PerMessageDeflateOptions | null }): void {
    this.compression = kwargs.compression;
  }

  override getCompressionOptions(): PerMessageDeflateOptions | null {
    return this.compression;
  }

  override onMessage(message: string | Buffer): unknown {
    return this.writeMessage(message, { binary: typeof message !== 'string' });
  }
}

class BlankPage extends RequestHandler {
  override get(): void {
    this.write('<!DOCTYPE html><html><head><title>interop</title></head><body></body></html>');
  }
}

/** What the page's WebSocket saw: the negotiated extensions and each echo, described. */
interface InteropResult {
  extensions: string;
  echoes: string[];
  closeCode: number;
}

describe.skipIf(!browserTestsRun)(
  browserSuiteTitle("Chromium's WebSocket against WebSocketHandler"),
  () => {
    const server = useAsyncHTTPTestCase(
      { beforeEach, afterEach },
      () =>
        new Application([
          ['/', BlankPage],
          ['/plain', EchoHandler, { compression: null }],
          ['/deflate', EchoHandler, { compression: {} }],
          [
            '/deflate-small',
            EchoHandler,
            { compression: { serverMaxWindowBits: 9, serverNoContextTakeover: true } },
          ],
        ]),
    );

    it.each([
      { path: '/plain', extensions: '' },
      { path: '/deflate', extensions: 'permessage-deflate' },
      { path: '/deflate-small', extensions: 'permessage-deflate' },
    ])(
      'echoes text and binary of every length class on $path',
      async ({ path, extensions }) => {
        const page = await browser.newPage();
        try {
          await page.goto(server.current.getUrl('/'));
          const result = await page.evaluate(
            async (target): Promise<InteropResult> => {
              const ws = new WebSocket(target);
              ws.binaryType = 'arraybuffer';
              const inbox: Array<string | ArrayBuffer> = [];
              let wake: (() => void) | null = null;
              ws.onmessage = (event) => {
                inbox.push(event.data as string | ArrayBuffer);
                wake?.();
              };
              await new Promise((resolve, reject) => {
                ws.onopen = resolve;
                ws.onerror = reject;
              });
              const next = async (): Promise<string | ArrayBuffer> => {
                while (inbox.length === 0) await new Promise<void>((r) => (wake = r));
                return inbox.shift()!;
              };
              const describe = (data: string | ArrayBuffer): string => {
                if (typeof data === 'string') return `text ${data.length} ${data.slice(0, 8)}`;
                const bytes = new Uint8Array(data);
                let sum = 0;
                for (const b of bytes) sum = (sum + b) % 65521;
                return `binary ${bytes.length} ${sum}`;
              };
              const outgoing: Array<string | Uint8Array> = [
                '',
                'héllo 👋',
                'x'.repeat(125),
                'y'.repeat(126),
                'z'.repeat(70_000),
                Uint8Array.of(0, 1, 2, 255),
                new Uint8Array(65_536).map((_, i) => i % 251),
                new Uint8Array(300_000).map((_, i) => (i * 7) % 256),
              ];
              const echoes: string[] = [];
              for (const message of outgoing) {
                ws.send(message);
                echoes.push(describe(await next()));
              }
              const closed = new Promise<number>((resolve) => {
                ws.onclose = (event) => resolve(event.code);
              });
              ws.close(1000, 'done');
              return { extensions: ws.extensions, echoes, closeCode: await closed };
            },
            server.current.getUrl(path).replace('http:', 'ws:'),
          );
          const expected = [
            'text 0 ',
            'text 8 héllo 👋',
            `text 125 ${'x'.repeat(8)}`,
            `text 126 ${'y'.repeat(8)}`,
            `text 70000 ${'z'.repeat(8)}`,
            `binary 4 258`,
            `binary 65536 ${checksum(65_536, (i) => i % 251)}`,
            `binary 300000 ${checksum(300_000, (i) => (i * 7) % 256)}`,
          ];
          expect(result.echoes).toEqual(expected);
          if (extensions === '') expect(result.extensions).toBe('');
          else expect(result.extensions).toMatch(/^permessage-deflate/);
          expect(result.closeCode).toBe(1000);
        } finally {
          await page.close();
        }
      },
      30_000,
    );
  },
);

function checksum(length: number, byte: (i: number) => number): number {
  let sum = 0;
  for (let i = 0; i < length; i++) sum = (sum + byte(i)) % 65521;
  return sum;
}
