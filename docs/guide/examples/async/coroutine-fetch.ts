import { coroutine } from '@tronada/gen';
import { AsyncHTTPClient } from '@tronada/httpclient';

// Coroutine style: reads like the blocking version; each yield* waits without blocking.
export const fetchCoroutine = coroutine(function* (url: string) {
  const response = yield* new AsyncHTTPClient().fetch(url);
  return response.text;
});

// The same with async/await: a coroutine's Future is a thenable, so both styles mix freely.
export async function fetchAsync(url: string): Promise<string> {
  const response = await new AsyncHTTPClient().fetch(url);
  return response.text;
}
