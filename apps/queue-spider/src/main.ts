/**
 * The spider as a program: `npm start -w apps/queue-spider -- --base http://127.0.0.1:8888/
 * --concurrency 10` crawls the site beneath `--base`, printing each URL as it is fetched, then
 * how many pages it fetched and how many it could not.
 */
import { IOLoop } from '@tronada/ioloop';
import { parseOptions } from './options.js';
import { crawl } from './spider.js';

const options = parseOptions(process.argv.slice(2));
const result = await IOLoop.current().runSync(() =>
  crawl(options.base, {
    concurrency: options.concurrency,
    onFetching: (url) => console.log(`fetching ${url}`),
    onError: (url, error) =>
      console.log(`Exception: ${error instanceof Error ? error.message : String(error)} ${url}`),
  }),
);
console.log(`Done in ${result.seconds.toFixed(2)} seconds, fetched ${result.fetched.size} URLs.`);
console.log(`Unable to fetch ${result.dead.size} URLs.`);
