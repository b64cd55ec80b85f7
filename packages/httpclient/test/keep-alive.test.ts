// Connection reuse: keep-alive pooling counted on the server side, the pool's limits, and the
// retry of an idempotent request on a reused connection the server had closed.
import { useTestLoop } from '@tronada/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HTTPStreamClosedError } from '../src/index.js';
import { cleanup, newClient, nodeServe, rawServe, turns } from './helpers.js';

useTestLoop({ beforeEach, afterEach }, { clock: false });
afterEach(cleanup);

describe('keep-alive connection pooling', () => {
  it('reuses one connection for sequential requests to the same server', async () => {
    const { url, connections } = await nodeServe((_req, res) => res.end('ok'));
    const client = newClient();
    for (let i = 0; i < 5; i++) expect((await client.fetch(`${url}/${i}`)).text).toBe('ok');
    expect(connections()).toBe(1);
    expect(client.idleConnections).toBe(1);
  });

  it('opens a connection per concurrent request and keeps them for later', async () => {
    const { url, connections } = await nodeServe((_req, res) => res.end('ok'));
    const client = newClient();
    await Promise.all([1, 2, 3].map((i) => client.fetch(`${url}/${i}`)));
    expect(connections()).toBe(3);
    await Promise.all([1, 2, 3].map((i) => client.fetch(`${url}/${i}`)));
    expect(connections()).toBe(3);
  });

  it('keeps at most maxIdlePerKey idle connections per destination', async () => {
    const { url, connections } = await nodeServe((_req, res) => res.end('ok'));
    const client = newClient({ maxIdlePerKey: 1 });
    await Promise.all([1, 2, 3].map((i) => client.fetch(`${url}/${i}`)));
    expect(client.idleConnections).toBe(1);
    await client.fetch(`${url}/again`);
    expect(connections()).toBe(3);
  });

  it('does not reuse a connection the response closes, nor across destinations', async () => {
    const closing = await nodeServe((_req, res) =>
      res.writeHead(200, { Connection: 'close' }).end('x'),
    );
    const other = await nodeServe((_req, res) => res.end('y'));
    const client = newClient();
    await client.fetch(`${closing.url}/`);
    await client.fetch(`${closing.url}/`);
    expect(closing.connections()).toBe(2);
    await client.fetch(`${other.url}/`);
    expect(other.connections()).toBe(1);
  });

  it('retries an idempotent request once when a reused connection closed before answering', async () => {
    // The server answers the first request on each connection, then closes without answering.
    const { url, connections } = await rawServe((_head, socket) => {
      socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok');
      socket.removeAllListeners('data');
      socket.on('data', () => socket.destroy());
    });
    const client = newClient();
    expect((await client.fetch(url)).text).toBe('ok');
    expect((await client.fetch(url)).text).toBe('ok');
    expect(connections()).toBe(2);
  });

  it('does not retry a POST, nor a request on a fresh connection', async () => {
    const { url, connections } = await rawServe((_head, socket, index) => {
      if (index === 0) {
        socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok');
        socket.removeAllListeners('data');
        socket.on('data', () => socket.destroy());
      } else socket.destroy();
    });
    const client = newClient();
    await client.fetch(url);
    await expect(client.fetch(url, { method: 'POST', body: 'x' })).rejects.toBeInstanceOf(
      HTTPStreamClosedError,
    );
    expect(connections()).toBe(1);
    await expect(client.fetch(url)).rejects.toBeInstanceOf(HTTPStreamClosedError);
    expect(connections()).toBe(2);
  });

  it('notices a server that closed an idle connection and connects again', async () => {
    const { url, connections, server } = await nodeServe((_req, res) => res.end('ok'));
    const client = newClient();
    await client.fetch(url);
    server.closeIdleConnections();
    await turns(5);
    expect((await client.fetch(url)).text).toBe('ok');
    expect(connections()).toBe(2);
  });
});
