import { useTestLoop } from '@tronada/testing';
import { Application, RequestHandler } from '@tronada/web';
import { useAsyncHTTPTestCase } from '@tronada/web/testing';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { producerConsumer } from '../guide/examples/queues/producer-consumer.js';
import { getLinks, spider } from '../guide/examples/queues/spider.js';
import { closeHttpClient } from './http-client.js';

/** A small site: page n links to pages 2n and 2n+1 up to 20, to itself, and off-site. */
class SitePage extends RequestHandler {
  static active = 0;
  static mostActive = 0;

  override *get(n: string) {
    SitePage.active++;
    SitePage.mostActive = Math.max(SitePage.mostActive, SitePage.active);
    try {
      yield new Promise((resolve) => setTimeout(resolve, 5));
      const page = Number(n); // the index, /site/, is page 0 and links to page 1
      const links = [2 * page, 2 * page + 1, page]
        .filter((k) => k >= 1 && k <= 20)
        .map((k) => `<a href="/site/${k}#top">page ${k}</a>`);
      this.write(`${links.join('')}<a href="https://example.com/">away</a>`);
      if (page === 5) this.write('<a href="/site/broken">broken</a>');
    } finally {
      SitePage.active--;
    }
  }
}

describe('queues/producer-consumer.ts', () => {
  const t = useTestLoop({ beforeEach, afterEach });

  it('puts five items through a queue of two', async () => {
    const lines: string[] = [];
    const done = producerConsumer((line) => lines.push(line));
    for (let i = 0; i < 6; i++) await t.testLoop.advance(0.01);
    await done;
    expect(lines).toEqual([
      'Put 0',
      'Put 1',
      'Doing work on 0',
      'Put 2',
      'Doing work on 1',
      'Put 3',
      'Doing work on 2',
      'Put 4',
      'Doing work on 3',
      'Doing work on 4',
      'Done',
    ]);
  });
});

describe('queues/spider.ts', () => {
  useTestLoop({ beforeEach, afterEach }, { clock: false });
  closeHttpClient({ afterEach });
  const server = useAsyncHTTPTestCase({ beforeEach, afterEach }, () => {
    return new Application([['/site/([0-9]*)', SitePage]]);
  });

  it('keeps only links under the base URL, without fragments', () => {
    const html = '<a href="b#x">b</a><a class="c" href="/other">o</a><a href="/docs/c">c</a>';
    expect(getLinks(html, 'http://h/docs/a', 'http://h/docs/')).toEqual([
      'http://h/docs/b',
      'http://h/docs/c',
    ]);
  });

  it('crawls every page once, at most `concurrency` at a time', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    SitePage.mostActive = 0;
    const base = server.current.getUrl('/site/');
    const fetched = await spider(base, 3);
    const pages = Array.from({ length: 20 }, (_, i) => `${base}${i + 1}`);
    expect([...fetched].sort()).toEqual([base, ...pages, `${base}broken`].sort());
    expect(SitePage.mostActive).toBeLessThanOrEqual(3);
    expect(log).toHaveBeenCalledWith(
      expect.stringMatching(/^Exception: .*404.* .*\/site\/broken$/),
    );
  });
});
