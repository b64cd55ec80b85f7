/**
 * Idle, header and body timeouts on a virtual clock over real sockets (Tornado's
 * IdleTimeoutTest and BodyLimitsTest.test_timeout).
 */
import { genLog } from '@tronada/ioloop';
import { expectLog, useTestLoop } from '@tronada/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, echo, RawClient, serve, waitFor } from './helpers.js';

const t = useTestLoop({ beforeEach, afterEach });
afterEach(cleanup);

describe('IdleTimeoutTest', () => {
  it('closes a connection that never sends a request', async () => {
    const { server, port } = await serve(echo, { idleConnectionTimeout: 10 });
    const c = await RawClient.connect(port);
    await waitFor(() => server.connectionCount === 1, 'the connection');
    await t.testLoop.advance(9);
    await new Promise((r) => setTimeout(r, 20));
    expect(c.ended).toBe(false);
    await t.testLoop.advance(2);
    expect(await c.readUntilClose()).toHaveLength(0);
  });

  it('closes a keep-alive connection idle after a request', async () => {
    const { port } = await serve(echo, { idleConnectionTimeout: 10 });
    const c = await RawClient.connect(port);
    await t.testLoop.advance(5);
    c.write('GET / HTTP/1.1\r\nHost: a\r\n\r\n');
    expect((await c.readResponse()).code).toBe(200);
    await t.testLoop.advance(9);
    await new Promise((r) => setTimeout(r, 20));
    expect(c.ended).toBe(false);
    await t.testLoop.advance(2);
    await c.readUntilClose();
  });
});

describe('header and body timeouts', () => {
  it('cuts off a client that sends its headers too slowly', async () => {
    const { port } = await serve(echo, { headerTimeout: 5 });
    const c = await RawClient.connect(port);
    c.write('GET / HTTP/1.1\r\n');
    await new Promise((r) => setTimeout(r, 20));
    await t.testLoop.advance(4);
    c.write('X-A: b\r\n');
    await new Promise((r) => setTimeout(r, 20));
    expect(c.ended).toBe(false);
    await t.testLoop.advance(2);
    expect(await c.readUntilClose()).toHaveLength(0);
  });

  it('closes a connection whose body does not arrive in time and logs it', async () => {
    const { port } = await serve(echo, { bodyTimeout: 3 });
    const c = await RawClient.connect(port);
    c.write('PUT / HTTP/1.1\r\nHost: a\r\nContent-Length: 100\r\n\r\nabc');
    await new Promise((r) => setTimeout(r, 20));
    await expectLog(genLog, /Timeout reading body from 127\.0\.0\.1/, () => t.testLoop.advance(4));
    expect(await c.readUntilClose()).toHaveLength(0);
  });
});
