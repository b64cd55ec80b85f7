import { coroutine } from '@tronada/gen';
import { AsyncHTTPClient } from '@tronada/httpclient';

// Start the fetch, do other work while it runs, then wait for it.
export const fetchAndCount = coroutine(function* (url: string, words: readonly string[]) {
  const fetching = new AsyncHTTPClient().fetch(url);
  const longest = words.reduce((a, b) => (b.length > a.length ? b : a), '');
  const response = yield* fetching;
  return { longest, bytes: response.body.length };
});
