import { AsyncHTTPClient } from '@tronada/httpclient';
import { genLog } from '@tronada/ioloop';
import { expectLog, useTestLoop } from '@tronada/testing';
import { useAsyncHTTPTestCase } from '@tronada/web/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeApp } from '../src/app.js';
import { FetchStyle } from '../src/fetch-handler.js';

useTestLoop({ beforeEach, afterEach }, { clock: false });
const server = useAsyncHTTPTestCase({ beforeEach, afterEach }, makeApp);
// Registered last, so it runs first: the loop's shared client lets its pooled connections go
// before the server and the loop close.
afterEach(() => new AsyncHTTPClient().close());

const STYLES = Object.values(FetchStyle);

/** The `<dl id="summary">` of a result page: what the styles must agree on. */
function summaryOf(html: string): string {
  const found = /<dl id="summary">[\s\S]*?<\/dl>/.exec(html);
  if (found === null) throw new Error(`no summary in ${html}`);
  return found[0];
}

async function fetchAll(query = ''): Promise<{ codes: number[]; pages: string[] }> {
  const responses = await Promise.all(
    STYLES.map((style) => server.current.fetch(`/fetch/${style}${query}`)),
  );
  return { codes: responses.map((r) => r.code), pages: responses.map((r) => r.text) };
}

describe('one fetch written four ways', () => {
  it('shows the lessons on the index page', async () => {
    const page = await server.current.fetch('/');
    expect(page.code).toBe(200);
    for (const style of STYLES) expect(page.text).toContain(`href="/fetch/${style}"`);
  });

  it('gives the same result in every style, for the app’s own /page by default', async () => {
    const { codes, pages } = await fetchAll();
    expect(codes).toEqual([200, 200, 200, 200]);
    const summaries = pages.map(summaryOf);
    expect(new Set(summaries).size).toBe(1);
    const own = await server.current.fetch('/page');
    expect(summaries[0]).toContain(`<dd>${server.current.getUrl('/page')}</dd>`);
    expect(summaries[0]).toContain('<dd>A page to fetch</dd>');
    expect(summaries[0]).toContain(`<dd>${own.body.length}</dd>`);
    STYLES.forEach((style, i) => {
      expect(pages[i]).toContain(`<h1>Fetched by the ${style} handler</h1>`);
    });
  });

  it('fetches ?url= instead, and reports its status even when it is not 200', async () => {
    const home = encodeURIComponent(server.current.getUrl('/'));
    const found = await fetchAll(`?url=${home}`);
    expect(new Set(found.pages.map(summaryOf)).size).toBe(1);
    expect(summaryOf(found.pages[0]!)).toContain('<dd>Non-blocking lessons</dd>');

    const missing = encodeURIComponent(server.current.getUrl('/nothing'));
    const notFound = await fetchAll(`?url=${missing}`);
    expect(notFound.codes).toEqual([200, 200, 200, 200]);
    expect(new Set(notFound.pages.map(summaryOf)).size).toBe(1);
    expect(summaryOf(notFound.pages[0]!)).toContain('<dt>Status</dt><dd>404</dd>');
  });

  it('answers 502 in every style when no response arrives (the callback style included)', async () => {
    const { codes } = await expectLog(genLog, /502 GET \/fetch\/.*ECONNREFUSED/, () =>
      fetchAll(`?url=${encodeURIComponent('http://127.0.0.1:1/')}`),
    );
    expect(codes).toEqual([502, 502, 502, 502]);
  });

  it('refuses a url that is not http(s) (400)', async () => {
    const { codes } = await expectLog(genLog, /400 GET \/fetch\/.*must be http/, () =>
      fetchAll('?url=file%3A%2F%2F%2Fetc%2Fpasswd'),
    );
    expect(codes).toEqual([400, 400, 400, 400]);
  });
});
