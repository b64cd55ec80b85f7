// Against Python Tornado 6 (Debian's python3-tornado, /usr/bin/python3): streaming, redirects,
// gzip, chunked, HEAD, 304, Digest auth, keep-alive reuse counted by the server, timeouts,
// huge headers, body limits, a server that closes mid-body, and TLS.
import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { genLog } from '@tronada/ioloop';
import { expectLog, useTestLoop } from '@tronada/testing';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type HTTPClientError, HTTPStreamClosedError, HTTPTimeoutError } from '../src/index.js';
import { cleanup, newClient, turns } from './helpers.js';

const PYTHON = '/usr/bin/python3';
const hasTornado = spawnSync(PYTHON, ['-c', 'import tornado']).status === 0;
const inCI = process.env.TRONADA_CI !== undefined && process.env.TRONADA_CI !== '';
const tls = fileURLToPath(new URL('../../iostream/test/fixtures/tls/', import.meta.url));
const script = fileURLToPath(new URL('fixtures/tornado_server.py', import.meta.url));

const t = useTestLoop({ beforeEach, afterEach });
afterEach(cleanup);

let python: ChildProcessWithoutNullStreams | undefined;
let base = '';
let secureBase = '';

function failure(future: PromiseLike<unknown>): Promise<HTTPClientError> {
  return Promise.resolve(future).then(
    () => {
      throw new Error('expected the fetch to fail');
    },
    (e: unknown) => e as HTTPClientError,
  );
}

const title = hasTornado
  ? 'against Python Tornado'
  : 'against Python Tornado (skipped: python3-tornado not installed)';
describe.skipIf(!hasTornado && !inCI)(title, () => {
  beforeAll(async () => {
    python = spawn(PYTHON, [script, `${tls}test.crt`, `${tls}test.key`]);
    const line = await new Promise<string>((resolve, reject) => {
      createInterface({ input: python!.stdout }).once('line', resolve);
      python!.once('exit', (code) => reject(new Error(`python exited with ${code}`)));
    });
    const [plain, secure] = line.split(' ');
    base = `http://127.0.0.1:${plain}`;
    secureBase = `https://localhost:${secure}`;
  });
  afterAll(() => {
    python?.stdin.end();
  });

  it('fetches, posts and reads a chunked body', async () => {
    const client = newClient();
    expect((await client.fetch(`${base}/hello?name=Tornado`)).text).toBe('Hello Tornado!');
    expect((await client.fetch(`${base}/hello`, { method: 'POST', body: 'data' })).text).toBe(
      'posted data',
    );
    const chunked = await client.fetch(`${base}/chunked`);
    expect(chunked.text).toBe('asdfqwer');
    expect(chunked.headers.get('Transfer-Encoding')).toBe('chunked');
  });

  it('streams a chunked body piece by piece', async () => {
    const pieces: string[] = [];
    await newClient().fetch(`${base}/chunked`, {
      streamingCallback: (chunk) => {
        pieces.push(chunk.toString());
      },
    });
    expect(pieces.join('')).toBe('asdfqwer');
  });

  it('follows redirects with the method rules', async () => {
    const client = newClient();
    const found = await client.fetch(`${base}/redirect?url=/hello`);
    expect([found.text, found.effectiveUrl]).toEqual(['Hello world!', `${base}/hello`]);
    const seeOther = await client.fetch(`${base}/redirect?status=303&url=/method`, {
      method: 'PUT',
      body: 'x',
    });
    expect(seeOther.text).toBe('GET ');
    const kept = await client.fetch(`${base}/redirect?status=307&url=/method`, {
      method: 'POST',
      body: 'x',
    });
    expect(kept.text).toBe('POST x');
  });

  it('decodes gzip and reads HEAD and 304 without bodies', async () => {
    const client = newClient();
    const big = await client.fetch(`${base}/big?size=5000`);
    expect(big.headers.get('X-Consumed-Content-Encoding')).toBe('gzip');
    expect(big.text).toBe('x'.repeat(5000));
    const head = await client.fetch(`${base}/method`, { method: 'HEAD' });
    expect([head.code, head.body.length]).toEqual([200, 0]);
    const notModified = await client.fetch(`${base}/304`, {
      ifModifiedSince: new Date(),
      raiseError: false,
    });
    expect([notModified.code, notModified.body.length]).toEqual([304, 0]);
  });

  it('answers a Digest challenge', async () => {
    const response = await newClient().fetch(`${base}/digest`, {
      authMode: 'digest',
      authUsername: 'ben',
      authPassword: 'pw',
    });
    expect(response.text).toBe('digest ok ben');
  });

  it('reuses one keep-alive connection, as the server counts', async () => {
    const client = newClient();
    const before = Number((await client.fetch(`${base}/count`)).text);
    for (let i = 0; i < 5; i++) await client.fetch(`${base}/hello`);
    expect(Number((await client.fetch(`${base}/count`)).text)).toBe(before);
  });

  it('rejects huge headers and bodies over the limit, and reports a close mid-body', async () => {
    const client = newClient({ maxBodySize: 1000 });
    const huge = await failure(client.fetch(`${base}/huge-header`));
    expect((huge.cause as { status: number }).status).toBe(431);
    const big = await failure(
      client.fetch(`${base}/big?size=100000`, { decompressResponse: false }),
    );
    expect((big.cause as { status: number }).status).toBe(413);
    const cut = await failure(client.fetch(`${base}/truncated`, { decompressResponse: false }));
    expect(cut).toBeInstanceOf(HTTPStreamClosedError);
  });

  it('times out a request the server does not answer', async () => {
    const fetching = failure(newClient().fetch(`${base}/slow`, { requestTimeout: 2 }));
    await turns(20);
    await t.testLoop.advance(2.5);
    expect(await fetching).toBeInstanceOf(HTTPTimeoutError);
  });

  it('talks TLS with the test certificate as CA and rejects it without', async () => {
    const client = newClient();
    const ok = await client.fetch(`${secureBase}/hello`, {
      caCerts: `${tls}test.crt`,
    });
    expect(ok.text).toBe('Hello world!');
    const rejected = await expectLog(genLog, /SSL Error/, () =>
      failure(client.fetch(`${secureBase}/hello`)),
    );
    expect(rejected.status).toBe(599);
  });
});
