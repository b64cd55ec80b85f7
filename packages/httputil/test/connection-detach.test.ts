// HTTP1Connection.detach(): the stream is handed over with every byte the connection had read
// ahead, and the connection no longer reads, writes or closes it (client after 101, and a
// server connection whose application takes the stream, as RequestHandler.detach() does).
import type { BaseIOStream } from '@tronada/iostream';
import { memoryStreamPair } from '@tronada/iostream';
import { useTestLoop } from '@tronada/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type {
  HTTPConnection,
  HTTPMessageDelegate,
  HTTPServerConnectionDelegate,
} from '../src/index.js';
import { HTTP1ServerConnection, HTTPOutputError, RequestStartLine } from '../src/index.js';
import {
  clientPair,
  headers,
  readRequestHead,
  recordingDelegate,
  turns,
} from './client-connection-helpers.js';

useTestLoop({ beforeEach, afterEach }, { clock: false });
// Close callbacks run a turn after a close; let them run before the loop's leak check.
afterEach(() => turns());

describe('HTTP1Connection.detach() on a client', () => {
  it('hands over the bytes that arrived with the 101 response, in order', async () => {
    const { conn, server } = clientPair();
    conn.writeHeaders(
      new RequestStartLine('GET', '/chat', 'HTTP/1.1'),
      headers({ Host: 'x', Connection: 'Upgrade', Upgrade: 'chat' }),
    );
    conn.finish();
    await readRequestHead(server);
    server.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: chat\r\n\r\nhello ');
    const { delegate } = recordingDelegate();
    await conn.readResponse(delegate);
    const stream = conn.detach();
    server.write('world');
    expect((await stream.readBytes(11)).toString()).toBe('hello world');
    stream.write('back');
    expect((await server.readBytes(4)).toString()).toBe('back');
    stream.close();
    server.close();
  });

  it('refuses writes and a second detach, and close() leaves the stream open', () => {
    const { conn, server } = clientPair();
    const stream = conn.detach();
    conn.close();
    expect(stream.closed()).toBe(false);
    expect(conn.detached).toBe(true);
    expect(() => conn.write(Buffer.from('x'))).toThrow(HTTPOutputError);
    expect(() =>
      conn.writeHeaders(new RequestStartLine('GET', '/', 'HTTP/1.1'), headers({ Host: 'x' })),
    ).toThrow(HTTPOutputError);
    expect(() => conn.detach()).toThrow(HTTPOutputError);
    stream.close();
    server.close();
  });

  it('ends a read in progress and leaves its bytes to the new owner', async () => {
    const { conn, server } = clientPair();
    conn.writeHeaders(new RequestStartLine('GET', '/', 'HTTP/1.1'), headers({ Host: 'x' }));
    conn.finish();
    const { got, delegate } = recordingDelegate();
    const reading = conn.readResponse(delegate);
    await readRequestHead(server);
    const stream = conn.detach();
    expect(await reading).toBe(false);
    server.write('raw');
    expect((await stream.readBytes(3)).toString()).toBe('raw');
    expect(got).toMatchObject({ heads: [], finished: 0, closed: 0 });
    stream.close();
    server.close();
  });
});

describe('HTTP1Connection.detach() on a server', () => {
  /** An application that detaches in `finish` and echoes raw bytes on the stream it took. */
  function detachingApp(log: string[]): HTTPServerConnectionDelegate {
    return {
      startRequest(_server: object, requestConn: HTTPConnection): HTTPMessageDelegate {
        return {
          headersReceived() {},
          dataReceived() {},
          finish() {
            const stream = requestConn.detach!();
            stream.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: echo\r\n\r\n');
            void (async () => {
              const got = await stream.readBytes(6);
              log.push(got.toString());
              await stream.write(got);
            })();
          },
          onConnectionClose() {
            log.push('connection-close');
          },
        };
      },
      onClose() {
        log.push('on-close');
      },
    };
  }

  it('stops serving without closing the stream, and passes on bytes sent with the request', async () => {
    const [clientEnd, serverEnd]: [BaseIOStream, BaseIOStream] = memoryStreamPair();
    const log: string[] = [];
    const serving = new HTTP1ServerConnection(serverEnd);
    serving.startServing(detachingApp(log));
    // The first frame travels with the request, so the server's parser read it ahead.
    clientEnd.write(
      'GET /echo HTTP/1.1\r\nHost: x\r\nUpgrade: echo\r\nConnection: Upgrade\r\n\r\nping!\n',
    );
    expect((await clientEnd.readUntil('\r\n\r\n')).toString()).toContain('101 Switching');
    expect((await clientEnd.readBytes(6)).toString()).toBe('ping!\n');
    await turns();
    expect(log).toEqual(['on-close', 'ping!\n']);
    expect(serverEnd.closed()).toBe(false);
    // The server connection's close no longer reaches the stream.
    await serving.close();
    expect(serverEnd.closed()).toBe(false);
    serverEnd.close();
    clientEnd.close();
  });

  it('hands the stream over from a later callback too, with nothing read ahead lost', async () => {
    const [clientEnd, serverEnd] = memoryStreamPair();
    let taken: BaseIOStream | null = null;
    const app: HTTPServerConnectionDelegate = {
      startRequest(_s: object, requestConn: HTTPConnection): HTTPMessageDelegate {
        return {
          headersReceived() {},
          dataReceived() {},
          finish() {
            setImmediate(() => {
              taken = requestConn.detach!();
            });
          },
          onConnectionClose() {},
        };
      },
      onClose() {},
    };
    new HTTP1ServerConnection(serverEnd).startServing(app);
    clientEnd.write('GET / HTTP/1.1\r\nHost: x\r\n\r\nab');
    await turns(4);
    clientEnd.write('cd');
    expect(taken).not.toBeNull();
    expect((await taken!.readBytes(4)).toString()).toBe('abcd');
    taken!.close();
    clientEnd.close();
  });
});
