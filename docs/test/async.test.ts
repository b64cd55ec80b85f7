import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { HTTPClientError } from '@tronada/httpclient';
import { Future } from '@tronada/ioloop';
import { useTestLoop } from '@tronada/testing';
import { Application, RequestHandler } from '@tronada/web';
import { useAsyncHTTPTestCase } from '@tronada/web/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { synchronousFetch } from '../guide/examples/async/blocking-fetch.js';
import { asynchronousFetch } from '../guide/examples/async/callback-fetch.js';
import { fetchAsync, fetchCoroutine } from '../guide/examples/async/coroutine-fetch.js';
import { asyncFetchFuture } from '../guide/examples/async/future-fetch.js';
import { closeHttpClient } from './http-client.js';

class Page extends RequestHandler {
  override get() {
    this.write('a page');
  }
}

useTestLoop({ beforeEach, afterEach }, { clock: false });
closeHttpClient({ afterEach });
const server = useAsyncHTTPTestCase(
  { beforeEach, afterEach },
  () => new Application([['/', Page]]),
);

describe('the four fetches of async.md', () => {
  it('blocking: curl reads a file URL while the process waits', () => {
    const file = join(tmpdir(), `tronada-docs-${process.pid}.txt`);
    writeFileSync(file, 'from disk');
    expect(synchronousFetch(pathToFileURL(file).href)).toBe('from disk');
  });

  it('callback: the callback gets the body, or the failure', async () => {
    const body = new Future<string>();
    asynchronousFetch(server.current.getUrl('/'), (text) => body.setResult(text));
    expect(await body).toBe('a page');
    const missing = new Future<string>();
    asynchronousFetch(server.current.getUrl('/missing'), (text) => missing.setResult(text));
    expect(await missing).toMatch(/^failed: HTTP 404/);
  });

  it('Future: resolves with the body and fails with the client error', async () => {
    expect(await asyncFetchFuture(server.current.getUrl('/'))).toBe('a page');
    await expect(asyncFetchFuture(server.current.getUrl('/missing'))).rejects.toBeInstanceOf(
      HTTPClientError,
    );
  });

  it('coroutine and async function give the same body', async () => {
    expect(await fetchCoroutine(server.current.getUrl('/'))).toBe('a page');
    expect(await fetchAsync(server.current.getUrl('/'))).toBe('a page');
  });
});
