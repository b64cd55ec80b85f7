import { useTestLoop } from '@tronada/testing';
import { useAsyncHTTPTestCase } from '@tronada/web/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeApp } from '../src/app.js';
import { MessageBuffer } from '../src/message-buffer.js';
import { postMessage, until, xsrfCookie } from './chat-client.js';
import { RawConnection, updatesRequest } from './raw-http.js';

useTestLoop({ beforeEach, afterEach }, { clock: false });
let buffer = new MessageBuffer();
const server = useAsyncHTTPTestCase({ beforeEach, afterEach }, () => {
  buffer = new MessageBuffer();
  return makeApp({ buffer });
});

const CLIENTS = 2_000;
// Connections are opened in batches on a port with a deep listen queue, as a server expecting
// thousands of clients would have: with Tornado's default backlog (128) the kernel drops SYNs
// from a burst, and each dropped one is retried only after a second.
const BATCH = 250;
const BACKLOG = 4096;

async function deepQueuePort(): Promise<number> {
  const httpServer = server.current.httpServer;
  const first = server.current.getHttpPort();
  await httpServer.listen(0, '127.0.0.1', { backlog: BACKLOG });
  return httpServer.addresses().find((address) => address.port !== first)!.port;
}

describe('many waiting clients', () => {
  it(`holds ${CLIENTS} long polls on keep-alive connections and delivers one message to all of them`, async () => {
    const started = performance.now();
    const port = await deepQueuePort();
    const xsrf = await xsrfCookie(server.current);
    const before = await postMessage(server.current, xsrf, 'before');
    const heapBefore = process.memoryUsage().heapUsed;

    const connections: RawConnection[] = [];
    for (let i = 0; i < CLIENTS; i += BATCH) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(BATCH, CLIENTS - i) }, () => RawConnection.connect(port)),
      );
      for (const connection of batch) connection.send(updatesRequest(port, xsrf, before.id));
      connections.push(...batch);
    }
    await until(() => buffer.waiterCount === CLIENTS, 15);
    const waiting = performance.now();
    const heapPerClient = (process.memoryUsage().heapUsed - heapBefore) / CLIENTS;

    const message = await postMessage(server.current, xsrf, 'to everyone');
    const answers = await Promise.all(connections.map((connection) => connection.nextResponse()));
    const delivered = performance.now();

    expect(buffer.waiterCount).toBe(0);
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(answer.headers.get('connection')).not.toBe('close');
    }
    const bodies = new Set(answers.map((answer) => answer.body));
    expect(bodies.size).toBe(1);
    expect(JSON.parse([...bodies][0]!)).toEqual({ messages: [message] });
    expect(connections.every((connection) => !connection.closed)).toBe(true);
    for (const connection of connections) connection.destroy();
    await until(() => server.current.httpServer.connectionCount === 0, 5);

    const total = (delivered - started) / 1000;
    console.log(
      `${CLIENTS} waiting clients: waiting after ${((waiting - started) / 1000).toFixed(2)} s, ` +
        `delivered in ${((delivered - waiting) / 1000).toFixed(2)} s, ` +
        `total ${total.toFixed(2)} s, ~${(heapPerClient / 1024).toFixed(1)} KiB heap per client ` +
        '(server and test client share this process)',
    );
    expect(total).toBeLessThan(10);
  }, 30_000);
});
