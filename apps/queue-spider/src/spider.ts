/**
 * The spider of Tornado's guide ("Queue example - a concurrent web spider"): a `Queue` of URLs,
 * `concurrency` workers taking URLs from it, and `queue.join()` to learn when every URL put in
 * has been dealt with. A URL is fetched once (the `fetching` set); only links beneath the base
 * URL are followed; pages that fail (a 404, a refused connection) are counted as dead.
 */
import { multi, Queue } from '@tronada/gen';
import { AsyncHTTPClient } from '@tronada/httpclient';
import { IOLoop } from '@tronada/ioloop';
import { linksFromPage } from './links.js';

/** Workers when the caller names no number (as in Tornado's example). */
export const DEFAULT_CONCURRENCY = 10;

/** Seconds the whole crawl may take by default (Tornado's example: five minutes). */
export const DEFAULT_TIMEOUT = 300;

/** Options of {@link crawl}. */
export interface CrawlOptions {
  /** How many workers fetch at once; default {@link DEFAULT_CONCURRENCY}. */
  concurrency?: number;
  /** Seconds before the crawl fails with `TimeoutError`; default {@link DEFAULT_TIMEOUT}. */
  timeout?: number;
  /**
   * The client to fetch with. By default a client of the crawl's own, with `maxClients` set to
   * `concurrency`, closed when the crawl ends.
   */
  client?: AsyncHTTPClient;
  /** Told each URL as its fetch starts. */
  onFetching?: (url: string) => void;
  /** Told each URL that could not be fetched, and why. */
  onError?: (url: string, error: unknown) => void;
}

/** What a crawl found. */
export interface CrawlResult {
  /** URLs fetched and read. */
  readonly fetched: ReadonlySet<string>;
  /** URLs whose fetch failed (an error status, or no answer). */
  readonly dead: ReadonlySet<string>;
  /** Seconds the crawl took, on the loop's clock. */
  readonly seconds: number;
}

async function linksOf(client: AsyncHTTPClient, url: string): Promise<string[]> {
  const response = await client.fetch(url);
  return linksFromPage(url, response.body.toString('utf8'));
}

/**
 * Crawls every page reachable from `baseUrl` through links that start with `baseUrl`, with at
 * most `concurrency` fetches at a time. Each URL is fetched once. Resolves when all are done;
 * fails with `TimeoutError` after `timeout` seconds (the crawl is stopped first).
 *
 * @see Tornado guide, `demos/webspider/webspider.py`
 */
export async function crawl(baseUrl: string, options: CrawlOptions = {}): Promise<CrawlResult> {
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new RangeError(`concurrency must be a whole number of at least 1, got ${concurrency}`);
  }
  const ownClient = options.client === undefined;
  const client =
    options.client ?? new AsyncHTTPClient({ forceInstance: true, maxClients: concurrency });
  const start = IOLoop.current().time();
  // `null` tells a worker to stop, after the crawl is over.
  const queue = new Queue<string | null>();
  const fetching = new Set<string>();
  const fetched = new Set<string>();
  const dead = new Set<string>();

  async function fetchUrl(url: string): Promise<void> {
    if (fetching.has(url)) return;
    options.onFetching?.(url);
    fetching.add(url);
    const urls = await linksOf(client, url);
    fetched.add(url);
    for (const next of urls) {
      if (next.startsWith(baseUrl)) await queue.put(next);
    }
  }

  async function worker(): Promise<void> {
    for await (const url of queue) {
      if (url === null) return;
      try {
        await fetchUrl(url);
      } catch (error) {
        options.onError?.(url, error);
        dead.add(url);
      } finally {
        queue.taskDone();
      }
    }
  }

  await queue.put(baseUrl);
  const workers = multi(Array.from({ length: concurrency }, () => worker()));
  let failure: unknown = null;
  try {
    await queue.join(options.timeout ?? DEFAULT_TIMEOUT);
  } catch (error) {
    failure = error;
    // Fail what is in flight (and what is queued) fast, so that the workers reach the stop marks.
    client.close();
  }
  for (let i = 0; i < concurrency; i++) await queue.put(null);
  await workers;
  if (ownClient) client.close();
  if (failure !== null) throw failure;
  return { fetched, dead, seconds: IOLoop.current().time() - start };
}
