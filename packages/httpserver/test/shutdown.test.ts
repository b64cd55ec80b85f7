/**
 * stop(), closeAllConnections() and the graceful shutdown({ timeout }).
 */
import { connect } from 'node:net';
import type { HTTPServerRequest } from '@tronada/httputil';
import { useTestLoop } from '@tronada/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, hello, RawClient, respond, serve, waitFor } from './helpers.js';

const t = useTestLoop({ beforeEach, afterEach });
afterEach(cleanup);

/** A server whose `/slow` requests wait until `release()` is called. */
async function slowServer() {
  const waiting: HTTPServerRequest[] = [];
  const served = await serve((request) => {
    if (request.path === '/slow') waiting.push(request);
    else respond(request, 'fast');
  });
  return {
    ...served,
    waiting,
    release: () => {
      for (const r of waiting.splice(0)) respond(r, 'slow done');
    },
  };
}

async function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(false);
    });
    s.once('error', () => resolve(true));
  });
}

describe('stop and closeAllConnections', () => {
  it('stop() refuses new connections while open ones go on', async () => {
    const { server, port } = await serve(hello);
    const c = await RawClient.connect(port);
    await waitFor(() => server.connectionCount === 1, 'the connection');
    server.stop();
    expect(await refused(port)).toBe(true);
    c.write('GET / HTTP/1.1\r\nHost: a\r\n\r\n');
    expect((await c.readResponse()).body.toString()).toBe('Hello, world');
  });

  it('closeAllConnections() closes every connection and resolves when they ended', async () => {
    const { server, port } = await slowServer();
    const a = await RawClient.connect(port);
    const b = await RawClient.connect(port);
    a.write('GET /slow HTTP/1.1\r\nHost: a\r\n\r\n');
    await waitFor(() => server.connectionCount === 2, 'two connections');
    server.stop();
    await server.closeAllConnections();
    expect(server.connectionCount).toBe(0);
    await a.readUntilClose();
    await b.readUntilClose();
  });
});

describe('shutdown', () => {
  it('refuses new connections and closes idle keep-alive ones at once', async () => {
    const { server, port } = await slowServer();
    const idle = await RawClient.connect(port);
    idle.write('GET / HTTP/1.1\r\nHost: a\r\n\r\n');
    await idle.readResponse();
    const done = server.shutdown({ timeout: 10 });
    expect(await refused(port)).toBe(true);
    await idle.readUntilClose();
    await done;
    expect(server.connectionCount).toBe(0);
  });

  it('lets a request in flight finish with Connection: close, then resolves', async () => {
    const { server, port, waiting, release } = await slowServer();
    const busy = await RawClient.connect(port);
    busy.write('GET /slow HTTP/1.1\r\nHost: a\r\n\r\n');
    await waitFor(() => waiting.length === 1, 'the request');
    let resolved = false;
    const done = server.shutdown({ timeout: 10 });
    done.addDoneCallback(() => {
      resolved = true;
    });
    await new Promise((r) => setTimeout(r, 20));
    expect(resolved).toBe(false);
    release();
    const r = await busy.readResponse();
    expect(r.body.toString()).toBe('slow done');
    expect(r.headers.get('Connection')).toBe('close');
    await busy.readUntilClose();
    await done;
  });

  it('closes what is left at the timeout', async () => {
    const { server, port, waiting } = await slowServer();
    const busy = await RawClient.connect(port);
    busy.write('GET /slow HTTP/1.1\r\nHost: a\r\n\r\n');
    await waitFor(() => waiting.length === 1, 'the request');
    const done = server.shutdown({ timeout: 5 });
    await t.testLoop.advance(4);
    expect(done.done()).toBe(false);
    await t.testLoop.advance(2);
    await busy.readUntilClose();
    await done;
    expect(server.connectionCount).toBe(0);
  });

  it('resolves at once without connections, and returns the same Future when called again', async () => {
    const { server } = await serve(hello);
    const first = server.shutdown();
    expect(server.shutdown()).toBe(first);
    await first;
  });
});
