// The upgrade hook: after `101 Switching Protocols`, onUpgrade gets the stream (with the bytes
// that came right after the response head) and the 101 response; the websocket client builds
// on this.
import type { BaseIOStream } from '@tronada/iostream';
import { useTestLoop } from '@tronada/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HTTPClientError, type HTTPResponse } from '../src/index.js';
import { cleanup, newClient, rawServe } from './helpers.js';

useTestLoop({ beforeEach, afterEach }, { clock: false });
afterEach(cleanup);

/** Switches to an "echo" protocol: greets at once (same packet as the 101), then echoes. */
function echoProtocolServer() {
  return rawServe((head, socket) => {
    socket.removeAllListeners('data');
    if (!/upgrade: echo/i.test(head)) {
      socket.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    socket.write(
      'HTTP/1.1 101 Switching Protocols\r\nUpgrade: echo\r\nConnection: Upgrade\r\n\r\nhello:',
    );
    socket.on('data', (data) => socket.write(data));
  });
}

describe('onUpgrade', () => {
  it('hands over the stream after 101 with the bytes sent along with it', async () => {
    const { url } = await echoProtocolServer();
    let taken: { stream: BaseIOStream; response: HTTPResponse } | undefined;
    const response = await newClient().fetch(url, {
      headers: { Connection: 'Upgrade', Upgrade: 'echo' },
      onUpgrade: (stream, upgraded) => {
        taken = { stream, response: upgraded };
      },
    });
    expect(response.code).toBe(101);
    expect(response.error).toBeUndefined();
    expect(taken?.response).toBe(response);
    const stream = taken!.stream;
    expect((await stream.readBytes(6)).toString()).toBe('hello:');
    await stream.write('ping');
    expect((await stream.readBytes(4)).toString()).toBe('ping');
    stream.close();
  });

  it('treats a 101 without onUpgrade as an error and closes the connection', async () => {
    const { url } = await echoProtocolServer();
    const client = newClient();
    const error = await client
      .fetch(url, { headers: { Connection: 'Upgrade', Upgrade: 'echo' } })
      .then(
        () => undefined,
        (e: unknown) => e as HTTPClientError,
      );
    expect(error).toBeInstanceOf(HTTPClientError);
    expect(error?.status).toBe(101);
    expect(client.idleConnections).toBe(0);
  });
});
