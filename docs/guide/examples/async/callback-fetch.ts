import { AsyncHTTPClient, type HTTPResponse } from '@tronada/httpclient';

// Callback style: fetch returns at once and calls the callback when the response is in.
// A failure arrives as response.error; the callback is always called.
export function asynchronousFetch(url: string, callback: (body: string) => void): void {
  const client = new AsyncHTTPClient();
  void client.fetch(url, {}, (response: HTTPResponse) => {
    callback(response.error ? `failed: ${response.error.message}` : response.text);
  });
}
