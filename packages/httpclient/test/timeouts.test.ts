// Timeouts on the loop's virtual clock with real sockets: the clock only moves when the test
// says so, so each timeout is checked at its exact deadline without sleeping.
import type { Socket } from 'node:net';
import { Future } from '@tronada/ioloop';
import type { ResolvedAddress, Resolver } from '@tronada/iostream';
import { useTestLoop } from '@tronada/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type HTTPClientError, HTTPTimeoutError } from '../src/index.js';
import { cleanup, newClient, nodeServe, rawServe, turns } from './helpers.js';

const t = useTestLoop({ beforeEach, afterEach });
afterEach(cleanup);

/** A server that reads requests and never answers; `seen()` counts request heads. */
async function silentServer() {
  const held: Socket[] = [];
  const server = await rawServe((_head, socket) => {
    held.push(socket);
  });
  return { ...server, seen: () => held.length };
}

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await turns(1);
  expect(condition()).toBe(true);
}

function failure(future: PromiseLike<unknown>): Promise<HTTPClientError> {
  return Promise.resolve(future).then(
    () => {
      throw new Error('expected the fetch to fail');
    },
    (e: unknown) => e as HTTPClientError,
  );
}

describe('timeouts', () => {
  it('fails with "Timeout during request" at requestTimeout and not before', async () => {
    const { url, seen } = await silentServer();
    const fetching = failure(newClient().fetch(url, { requestTimeout: 5 }));
    await until(() => seen() === 1);
    await t.testLoop.advance(4.9);
    await turns();
    let settled = false;
    void fetching.then(() => {
      settled = true;
    });
    await turns();
    expect(settled).toBe(false);
    await t.testLoop.advance(0.2);
    const error = await fetching;
    expect(error).toBeInstanceOf(HTTPTimeoutError);
    expect([error.status, error.message]).toEqual([599, 'HTTP 599: Timeout during request']);
  });

  it('fails with "Timeout while connecting" when connecting takes longer than connectTimeout', async () => {
    const never: Resolver = {
      resolve: () => new Future<ResolvedAddress[]>(),
    };
    const fetching = failure(
      newClient({ resolver: never }).fetch('http://example.invalid/', { connectTimeout: 2 }),
    );
    await t.testLoop.advance(2.1);
    const error = await fetching;
    expect(error).toBeInstanceOf(HTTPTimeoutError);
    expect(error.message).toBe('HTTP 599: Timeout while connecting');
  });

  it('times out a request queued behind maxClients with "Timeout in request queue"', async () => {
    const { url, seen } = await silentServer();
    const client = newClient({ maxClients: 1 });
    const first = failure(client.fetch(url, { requestTimeout: 10 }));
    await until(() => seen() === 1);
    const queued = failure(client.fetch(url, { connectTimeout: 1, requestTimeout: 10 }));
    await t.testLoop.advance(1.1);
    const error = await queued;
    expect(error.message).toBe('HTTP 599: Timeout in request queue');
    expect(seen()).toBe(1);
    await t.testLoop.advance(10);
    expect((await first).message).toBe('HTTP 599: Timeout during request');
  });

  it('closes idle pooled connections after idleTimeout seconds', async () => {
    const { url, connections } = await nodeServe((_req, res) => res.end('ok'));
    const client = newClient({ idleTimeout: 30 });
    await client.fetch(url);
    await t.testLoop.advance(29);
    expect(client.idleConnections).toBe(1);
    await t.testLoop.advance(2);
    expect(client.idleConnections).toBe(0);
    await client.fetch(url);
    expect(connections()).toBe(2);
  });
});

describe('aborting', () => {
  it('fails a fetch in progress when its AbortSignal fires, with the reason as cause', async () => {
    const { url, seen } = await silentServer();
    const controller = new AbortController();
    const fetching = failure(newClient().fetch(url, { signal: controller.signal }));
    await until(() => seen() === 1);
    controller.abort(new Error('enough'));
    const error = await fetching;
    expect([error.status, error.message]).toEqual([599, 'HTTP 599: The request was aborted']);
    expect((error.cause as Error).message).toBe('enough');
  });

  it('fails at once with a signal that already fired, and a queued fetch when aborted', async () => {
    const { url, seen } = await silentServer();
    const client = newClient({ maxClients: 1 });
    await expect(client.fetch(url, { signal: AbortSignal.abort() })).rejects.toThrow('aborted');
    const first = failure(client.fetch(url, { requestTimeout: 3 }));
    await until(() => seen() === 1);
    const controller = new AbortController();
    const queued = failure(client.fetch(url, { signal: controller.signal }));
    controller.abort();
    expect((await queued).message).toBe('HTTP 599: The request was aborted');
    await t.testLoop.advance(3);
    await first;
  });

  it('fails fetches in progress and queued when the client closes', async () => {
    const { url, seen } = await silentServer();
    const client = newClient({ maxClients: 1 });
    const first = failure(client.fetch(url));
    await until(() => seen() === 1);
    const queued = failure(client.fetch(url));
    client.close();
    expect((await first).message).toBe('HTTP 599: The AsyncHTTPClient was closed');
    expect((await queued).message).toBe('HTTP 599: The AsyncHTTPClient was closed');
  });
});
