import { useTestLoop } from '@tronada/testing';
import { useAsyncHTTPTestCase } from '@tronada/web/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeApp } from '../src/app.js';
import { MessageBuffer } from '../src/message-buffer.js';
import { pollUpdates, postMessage, until, xsrfCookie } from './chat-client.js';
import { RawConnection, updatesRequest } from './raw-http.js';

useTestLoop({ beforeEach, afterEach }, { clock: false });
let buffer = new MessageBuffer();
const server = useAsyncHTTPTestCase({ beforeEach, afterEach }, () => {
  buffer = new MessageBuffer();
  return makeApp({ buffer });
});

describe('clients that go away', () => {
  it('leaves no waiter behind when a waiting client disconnects (onConnectionClose cancels the wait)', async () => {
    const port = server.current.getHttpPort();
    const xsrf = await xsrfCookie(server.current);
    const leaving = await Promise.all([1, 2, 3].map(() => RawConnection.connect(port)));
    for (const connection of leaving) connection.send(updatesRequest(port, xsrf, null));
    const staying = pollUpdates(server.current, xsrf, null);
    await until(() => buffer.waiterCount === 4);

    for (const connection of leaving) connection.destroy();
    await until(() => buffer.waiterCount === 1);

    // The client that stayed still gets the next message, and nothing was logged for the others.
    const message = await postMessage(server.current, xsrf, 'still here?');
    expect(await staying).toEqual([message]);
    expect(buffer.waiterCount).toBe(0);
    expect(leaving.every((connection) => !connection.hasResponse())).toBe(true);
  });

  it('keeps the connection open for the next poll after answering one', async () => {
    const port = server.current.getHttpPort();
    const xsrf = await xsrfCookie(server.current);
    const connection = await RawConnection.connect(port);
    connection.send(updatesRequest(port, xsrf, null));
    await until(() => buffer.waiterCount === 1);
    const first = await postMessage(server.current, xsrf, 'one');
    const answer = await connection.nextResponse();
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ messages: [first] });

    connection.send(updatesRequest(port, xsrf, first.id));
    await until(() => buffer.waiterCount === 1);
    const second = await postMessage(server.current, xsrf, 'two');
    expect(JSON.parse((await connection.nextResponse()).body)).toEqual({ messages: [second] });
    expect(connection.closed).toBe(false);
    connection.destroy();
  });
});
