import { coroutine, multi, Queue } from '@tronada/gen';
import { AsyncHTTPClient } from '@tronada/httpclient';

/** The links of a page that stay under `baseUrl`, without their #fragments. */
export function getLinks(html: string, pageUrl: string, baseUrl: string): string[] {
  const links: string[] = [];
  for (const [, href] of html.matchAll(/<a\s[^>]*href="([^"]*)"/gi)) {
    const url = new URL(href!, pageUrl);
    url.hash = '';
    if (url.href.startsWith(baseUrl)) links.push(url.href);
  }
  return links;
}

/** Crawls every page under `baseUrl`, `concurrency` fetches at a time. */
export async function spider(baseUrl: string, concurrency = 10): Promise<Set<string>> {
  const q = new Queue<string | null>();
  const fetching = new Set<string>(); // taken by a worker
  const fetched = new Set<string>(); // answered (or failed)
  const client = new AsyncHTTPClient();

  const fetchUrl = coroutine(function* (url: string) {
    if (fetching.has(url)) return;
    fetching.add(url);
    try {
      const response = yield* client.fetch(url);
      for (const link of getLinks(response.text, response.effectiveUrl, baseUrl)) {
        yield* q.put(link);
      }
    } catch (error) {
      console.log(`Exception: ${String(error)} ${url}`);
    } finally {
      fetched.add(url);
    }
  });

  const worker = coroutine(function* () {
    for (;;) {
      const url = yield* q.get();
      try {
        if (url === null) return; // the signal to stop
        yield* fetchUrl(url);
      } finally {
        q.taskDone();
      }
    }
  });

  await q.put(baseUrl);
  const workers = Array.from({ length: concurrency }, () => worker());
  await q.join(300); // every URL put was fetched; TimeoutError after 300 s
  for (let i = 0; i < concurrency; i++) await q.put(null);
  await multi(workers);
  return fetched;
}
