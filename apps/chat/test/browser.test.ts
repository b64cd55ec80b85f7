/**
 * The chat in a real browser: two headless Chromium pages (Debian's, driven by playwright-core)
 * long-poll the same server and each sees what the other posts. Without /usr/bin/chromium the
 * test skips, except in CI (TRONADA_CI=1), where it runs and fails. Screenshots go to
 * apps/chat/test-artifacts/.
 */
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { useTestLoop } from '@tronada/testing';
import { useAsyncHTTPTestCase } from '@tronada/web/testing';
import {
  browserSuiteTitle,
  browserTestsRun,
  launchChromium,
} from '@tronada-apps/sample-cli/testing';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { makeApp } from '../src/app.js';
import { MessageBuffer } from '../src/message-buffer.js';

const ARTIFACTS = fileURLToPath(new URL('../test-artifacts/', import.meta.url));

useTestLoop({ beforeEach, afterEach }, { clock: false });
let buffer = new MessageBuffer();
const server = useAsyncHTTPTestCase({ beforeEach, afterEach }, () => {
  buffer = new MessageBuffer();
  return makeApp({ buffer });
});

async function post(page: Page, text: string): Promise<void> {
  await page.fill('#message', text);
  await page.click('#messageform input[type=submit]');
}

function inbox(page: Page, text: string) {
  return page.locator('#inbox .message', { hasText: text });
}

describe.skipIf(!browserTestsRun)(browserSuiteTitle('the chat in Chromium'), () => {
  let browser: Browser | null = null;

  beforeAll(async () => {
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('shows each page the messages the other posts, through long polling', async () => {
    const alice = await (await browser!.newContext()).newPage();
    const bob = await (await browser!.newContext()).newPage();
    await alice.goto(server.current.getUrl('/'));
    await bob.goto(server.current.getUrl('/'));
    // Both pages are waiting for updates before anyone posts.
    await expect.poll(() => buffer.waiterCount, { timeout: 10_000 }).toBe(2);

    await post(alice, 'hello from alice');
    await inbox(bob, 'hello from alice').waitFor({ timeout: 10_000 });
    await post(bob, 'hi alice, bob here');
    await inbox(alice, 'hi alice, bob here').waitFor({ timeout: 10_000 });

    // Each page shows both messages once, in order.
    for (const page of [alice, bob]) {
      const texts = await page.locator('#inbox .message').allTextContents();
      expect(texts.map((t) => t.trim())).toEqual(['hello from alice', 'hi alice, bob here']);
    }
    mkdirSync(ARTIFACTS, { recursive: true });
    await alice.screenshot({ path: `${ARTIFACTS}alice.png`, fullPage: true });
    await bob.screenshot({ path: `${ARTIFACTS}bob.png`, fullPage: true });

    // Closing the pages ends their waiting requests on the server.
    await alice.context().close();
    await bob.context().close();
    await expect.poll(() => buffer.waiterCount, { timeout: 10_000 }).toBe(0);
  }, 60_000);
});
