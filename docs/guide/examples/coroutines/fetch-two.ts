import { coroutine, multi } from '@tronada/gen';
import { AsyncHTTPClient } from '@tronada/httpclient';

// Both fetches run at once; multi (or yielding the array itself) waits for both.
export const getTwo = coroutine(function* (url1: string, url2: string) {
  const client = new AsyncHTTPClient();
  const [first, second] = yield* multi([client.fetch(url1), client.fetch(url2)]);
  return [first.text, second.text];
});

// A record works the same and keeps its keys.
export const getNamed = coroutine(function* (urls: Record<string, string>) {
  const client = new AsyncHTTPClient();
  const pending = Object.fromEntries(
    Object.entries(urls).map(([name, url]) => [name, client.fetch(url)]),
  );
  const responses = yield* multi(pending);
  return Object.fromEntries(Object.entries(responses).map(([name, r]) => [name, r.code]));
});
