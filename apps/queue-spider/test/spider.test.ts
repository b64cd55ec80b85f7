import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { sleep } from '@tronada/gen';
import { useTestLoop } from '@tronada/testing';
import { Application, HTTPError, RequestHandler } from '@tronada/web';
import { useAsyncHTTPTestCase } from '@tronada/web/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getLinks, linksFromPage, removeFragment } from '../src/links.js';
import { DEFAULT_BASE, parseOptions } from '../src/options.js';
import { crawl, DEFAULT_CONCURRENCY } from '../src/spider.js';

/** What the test site saw: requests per path, and the most it was serving at once. */
interface SiteLog {
  readonly hits: Map<string, number>;
  inFlight: number;
  maxInFlight: number;
}

const LEAVES = 24;

/**
 * The site under /site/: an index linking to a chain with cycles, a page missing (404), a page
 * outside /site/ (must not be followed) and an external site (must not be followed), plus
 * LEAVES leaf pages so that the workers always have more work than slots.
 */
function sitePages(externalUrl: string): Record<string, string[]> {
  const leaves = Array.from({ length: LEAVES }, (_, i) => `leaf/${i}`);
  return {
    '/site/': ['a', 'b#top', '/site/missing', '/outside', externalUrl, 'mailto:x@example.com'],
    '/site/a': ['b', '/site/', 'c?x=1&amp;y=2', 'a#self'],
    '/site/b': ['a', 'c?x=1&y=2', 'leaves'],
    '/site/c': ['/site/b', 'https://127.0.0.1:1/site/'],
    '/site/leaves': [...leaves, 'a'],
    ...Object.fromEntries(leaves.map((leaf) => [`/site/${leaf}`, ['../leaves', '../']])),
  };
}

function siteApp(pages: Record<string, string[]>, log: SiteLog, delay: number): Application {
  class PageHandler extends RequestHandler {
    override async get(): Promise<void> {
      const key = this.request.uri ?? '';
      log.hits.set(key, (log.hits.get(key) ?? 0) + 1);
      log.inFlight += 1;
      log.maxInFlight = Math.max(log.maxInFlight, log.inFlight);
      try {
        // Hold every page a moment, so that fetches overlap as much as the spider allows.
        await sleep(delay);
      } finally {
        log.inFlight -= 1;
      }
      const links = pages[this.request.path];
      if (links === undefined) throw new HTTPError(404);
      this.write(
        `<html><body>${links.map((href) => `<a class="l" href="${href}">${href}</a>`).join('\n')}</body></html>`,
      );
    }
  }
  return new Application([['/.*', PageHandler]]);
}

function newLog(): SiteLog {
  return { hits: new Map(), inFlight: 0, maxInFlight: 0 };
}

describe('links', () => {
  it('finds the href of every anchor, quoted or not, with entities decoded', () => {
    const html = `<p><a href="one">1</a> <A class=x HREF='two'>2</A> <a href=three>3</a>
      <a name="nolink">n</a> <a href="f?a=1&amp;b=2">f</a> <link href="style.css"></p>`;
    expect(getLinks(html)).toEqual(['one', 'two', 'three', 'f?a=1&b=2']);
  });

  it('drops fragments and resolves links against the page, skipping non-http ones', () => {
    expect(removeFragment('http://h/a#b')).toBe('http://h/a');
    expect(removeFragment('http://h/a')).toBe('http://h/a');
    const html =
      '<a href="../x#y">x</a><a href="javascript:void(0)">j</a><a href="http://[">bad</a>';
    expect(linksFromPage('http://h/dir/page', html)).toEqual(['http://h/x']);
  });
});

describe('options', () => {
  it('defaults to the helloworld address and 10 workers, as Tornado does', () => {
    expect(parseOptions([])).toEqual({ base: DEFAULT_BASE, concurrency: DEFAULT_CONCURRENCY });
    expect(DEFAULT_CONCURRENCY).toBe(10);
    expect(parseOptions(['--base', 'http://h/x/', '--concurrency', '3'])).toEqual({
      base: 'http://h/x/',
      concurrency: 3,
    });
  });

  it('refuses a base that is not an http URL and a concurrency below 1', () => {
    expect(() => parseOptions(['--base', 'ftp://h/'])).toThrow(/--base must be/);
    expect(() => parseOptions(['--concurrency', '0'])).toThrow(/at least 1/);
    expect(() => parseOptions(['--concurrency', 'many'])).toThrow(/whole number/);
  });
});

describe('crawl', () => {
  useTestLoop({ beforeEach, afterEach }, { clock: false });
  const log = { site: newLog(), external: newLog() };
  const external = useAsyncHTTPTestCase({ beforeEach, afterEach }, () => {
    log.external = newLog();
    return siteApp({}, log.external, 0);
  });
  const server = useAsyncHTTPTestCase({ beforeEach, afterEach }, () => {
    log.site = newLog();
    return siteApp(sitePages(external.current.getUrl('/site/')), log.site, 0.02);
  });

  function expectedPages(base: string): string[] {
    const pages = Object.keys(sitePages('')).map((path) => new URL(path, base).href);
    return [...pages, `${base}c?x=1&y=2`].filter((url) => !url.endsWith('/site/c'));
  }

  for (const concurrency of [1, 3, DEFAULT_CONCURRENCY]) {
    it(`fetches every page beneath the base exactly once, at most ${concurrency} at a time`, async () => {
      const base = server.current.getUrl('/site/');
      const seen: string[] = [];
      const result = await crawl(base, { concurrency, onFetching: (url) => seen.push(url) });

      expect([...result.fetched].sort()).toEqual(expectedPages(base).sort());
      expect([...result.dead]).toEqual([`${base}missing`]);
      expect(seen.sort()).toEqual([...result.fetched, ...result.dead].sort());
      // The server saw each page once: cycles, fragments and repeated links cost nothing.
      for (const [path, count] of log.site.hits)
        expect({ path, count }).toEqual({ path, count: 1 });
      expect(log.site.hits.size).toBe(expectedPages(base).length + 1);
      expect(log.site.hits.has('/outside')).toBe(false);
      expect(log.external.hits.size).toBe(0);
      // The limit holds, and with more pages than workers it is reached.
      expect(log.site.maxInFlight).toBe(concurrency);
    });
  }

  it('fails with TimeoutError when the crawl outlives its timeout, and stops its workers', async () => {
    const base = server.current.getUrl('/site/');
    await expect(crawl(base, { concurrency: 2, timeout: 0.05 })).rejects.toThrow(/Queue\.join/);
    expect(log.site.hits.size).toBeLessThan(expectedPages(base).length);
    // Let the pages the server was still holding finish before the test's loop closes.
    while (log.site.inFlight > 0) await sleep(0.01);
  });

  it('refuses a concurrency below 1', async () => {
    await expect(crawl('http://127.0.0.1:1/', { concurrency: 0 })).rejects.toThrow(RangeError);
  });

  it('runs as a program (the built dist/main.js) that prints what it fetched', async () => {
    const main = fileURLToPath(new URL('../dist/main.js', import.meta.url));
    const base = server.current.getUrl('/site/');
    const child = spawn(process.execPath, [main, '--base', base, '--concurrency', '2'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(0);
    expect(out).toMatch(new RegExp(`fetched ${expectedPages(base).length} URLs\\.`));
    expect(out).toContain('Unable to fetch 1 URLs.');
    expect(out).toContain(`fetching ${base}leaves`);
    expect(out).toMatch(/Exception: .*404.* http:.*\/site\/missing/);
    expect(log.site.maxInFlight).toBeLessThanOrEqual(2);
  }, 20_000);
});
