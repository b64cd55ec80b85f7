/**
 * The blog in a real browser: headless Chromium from Debian (never a downloaded build), driven
 * by playwright-core. Without /usr/bin/chromium these tests skip, except in CI (TRONADA_CI=1),
 * where they run and fail. Screenshots go to apps/blog/test-artifacts/.
 */
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  browserSuiteTitle,
  browserTestsRun,
  launchChromium,
} from '@tronada-apps/sample-cli/testing';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADA, useBlog } from './blog-fixture.js';

const ARTIFACTS = fileURLToPath(new URL('../test-artifacts/', import.meta.url));

const blog = useBlog();

async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: `${ARTIFACTS}${name}.png`, fullPage: true });
}

describe.skipIf(!browserTestsRun)(browserSuiteTitle('the blog in Chromium'), () => {
  let browser: Browser | null = null;

  beforeAll(async () => {
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  async function newPage(): Promise<Page> {
    const context = await browser!.newContext({ locale: 'en-US' });
    return context.newPage();
  }

  it('signs in, posts an entry through the XSRF form and sees the Entry module’s CSS and JS at work', async () => {
    await blog.db.createAuthor(ADA.name, ADA.password);
    const page = await newPage();
    await page.goto(blog.server.getUrl('/compose'));
    // Anonymous: sent to the login form, which comes back to /compose.
    expect(new URL(page.url()).pathname).toBe('/auth/login');
    await page.fill('#login-form input[name=name]', ADA.name);
    await page.fill('#login-form input[name=password]', ADA.password);
    await Promise.all([page.waitForURL('**/compose'), page.click('#login-form button')]);
    expect(await page.locator('.author-name').textContent()).toBe('ada');

    await page.fill('#compose-form input[name=title]', 'Hello from Chromium');
    await page.fill(
      '#compose-form textarea[name=text]',
      'Written in a real browser.\n\nSent with the XSRF token of the form.',
    );
    await Promise.all([
      page.waitForURL('**/entry/hello-from-chromium'),
      page.click('#compose-form button'),
    ]);
    expect(await page.locator('.entry h2').textContent()).toBe('Hello from Chromium');
    expect(await page.locator('.entry-body p').count()).toBe(2);

    // The module's embedded CSS styles the article...
    const entry = page.locator('.entry');
    expect(await entry.evaluate((el) => getComputedStyle(el).borderLeftColor)).toBe(
      'rgb(21, 101, 192)',
    );
    expect(await entry.evaluate((el) => getComputedStyle(el).borderLeftWidth)).toBe('4px');
    // ...and its embedded script counted the words and showed the count.
    const words = page.locator('.entry-words');
    await expect.poll(() => words.isVisible()).toBe(true);
    expect(await words.textContent()).toBe('13 words');
    // The page's own stylesheet (a versioned static URL) applies too.
    expect(await page.evaluate(() => getComputedStyle(document.body).maxWidth)).not.toBe('none');
    await screenshot(page, 'entry');

    // The static script marks the current page's link on the home page.
    await page.goto(blog.server.getUrl('/'));
    expect(await page.locator('#nav a[aria-current=page]').textContent()).toBe('Home');
    expect(await page.locator('.entry h2 a').textContent()).toBe('Hello from Chromium');
    await page.context().close();
  }, 60_000);

  it('switches the language from the footer, and keeps it on the next page', async () => {
    const author = await blog.db.createAuthor(ADA.name, ADA.password);
    await blog.db.createEntry(author.id, 'Bonjour', 'Un deux trois.', '<p>Un deux trois.</p>');
    const page = await newPage();
    await page.goto(blog.server.getUrl('/'));
    expect(await page.locator('#nav a[href="/archive"]').textContent()).toBe('Archive');
    await Promise.all([
      page.waitForURL('**/?lang=fr_FR'),
      page.click('#footer a[data-lang=fr_FR]'),
    ]);
    expect(await page.locator('html').getAttribute('lang')).toBe('fr-FR');
    expect(await page.locator('#nav a[href="/archive"]').textContent()).toBe('Archives');
    await expect.poll(() => page.locator('.entry-words').textContent()).toBe('3 mots');
    expect(await page.locator('.entry-meta').textContent()).toContain('Par ada le');
    await screenshot(page, 'home-fr');

    await page.click('#nav a[href="/archive"]');
    await page.waitForURL('**/archive');
    expect(await page.locator('h2').textContent()).toBe('Archives');
    await page.click('#footer a[data-lang=es_ES]');
    await page.waitForURL('**/archive?lang=es_ES');
    expect(await page.locator('h2').textContent()).toBe('Archivo');
    await screenshot(page, 'archive-es');
    await page.context().close();
  }, 60_000);
});
