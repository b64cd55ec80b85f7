// Idle connection expiry on the loop's virtual clock: the pool closes each idle connection
// idleTimeout seconds after it was put back (the loop's DeadlineQueue holds the deadlines), so a
// connection reused in between must outlive the deadline its earlier idle spell set.
import { useTestLoop } from '@tronada/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, newClient, nodeServe } from './helpers.js';

const t = useTestLoop({ beforeEach, afterEach });
afterEach(cleanup);

describe('idle connection expiry', () => {
  it('keeps a connection reused before its deadline until idleTimeout after its last use', async () => {
    const { url, connections } = await nodeServe((_req, res) => res.end('ok'));
    const client = newClient({ idleTimeout: 10 });
    await client.fetch(url);
    await t.testLoop.advance(6);
    await client.fetch(url);
    await t.testLoop.advance(5);
    expect(client.idleConnections).toBe(1);
    await client.fetch(url);
    expect(connections()).toBe(1);
    await t.testLoop.advance(9.9);
    expect(client.idleConnections).toBe(1);
    await t.testLoop.advance(0.2);
    expect(client.idleConnections).toBe(0);
  });

  it('closes each of several idle connections at its own deadline', async () => {
    const a = await nodeServe((_req, res) => res.end('a'));
    const b = await nodeServe((_req, res) => res.end('b'));
    const client = newClient({ idleTimeout: 10 });
    await client.fetch(a.url);
    await t.testLoop.advance(4);
    await client.fetch(b.url);
    await t.testLoop.advance(6.1);
    expect(client.idleConnections).toBe(1);
    expect((await client.fetch(b.url)).text).toBe('b');
    expect(b.connections()).toBe(1);
    expect((await client.fetch(a.url)).text).toBe('a');
    expect(a.connections()).toBe(2);
  });

  it('keeps idle connections until close() when idleTimeout is null', async () => {
    const { url } = await nodeServe((_req, res) => res.end('ok'));
    const client = newClient({ idleTimeout: null });
    await Promise.all([client.fetch(url), client.fetch(url)]);
    await t.testLoop.advance(3600);
    expect(client.idleConnections).toBe(2);
    client.close();
    expect(client.idleConnections).toBe(0);
  });
});
