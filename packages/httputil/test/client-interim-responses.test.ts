// The client side of HTTP1Connection and interim (1xx) responses: they are read and dropped,
// so the delegate sees only the final response; 101 Switching Protocols ends the message and
// leaves the connection open for detach().
import { useTestLoop } from '@tronada/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RequestStartLine } from '../src/index.js';
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

function get(path = '/'): RequestStartLine {
  return new RequestStartLine('GET', path, 'HTTP/1.1');
}

describe('HTTP1Connection (client) and interim responses', () => {
  it('hides 1xx responses from the delegate and reads the final response after them', async () => {
    const { conn, server } = clientPair();
    conn.writeHeaders(get(), headers({ Host: 'x' }));
    conn.finish();
    await readRequestHead(server);
    server.write(
      'HTTP/1.1 102 Processing\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\n' +
        'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok',
    );
    const { got, delegate } = recordingDelegate();
    expect(await conn.readResponse(delegate)).toBe(true);
    expect(got).toMatchObject({ heads: ['200 OK'], body: 'ok', finished: 1, closed: 0 });
    conn.close();
    server.close();
  });

  it('skips interim responses that arrive in separate reads', async () => {
    const { conn, server } = clientPair();
    conn.writeHeaders(get(), headers({ Host: 'x' }));
    conn.finish();
    await readRequestHead(server);
    const { got, delegate } = recordingDelegate();
    const reading = conn.readResponse(delegate);
    await server.write('HTTP/1.1 100 Continue\r\n\r\n');
    await new Promise((r) => setImmediate(r));
    expect(got.heads).toEqual([]);
    await server.write('HTTP/1.1 204 No Content\r\n\r\n');
    expect(await reading).toBe(true);
    expect(got).toMatchObject({ heads: ['204 No Content'], finished: 1 });
    conn.close();
    server.close();
  });

  it('keeps the connection usable for the next request after an interim response', async () => {
    const { conn, server } = clientPair();
    for (const path of ['/one', '/two']) {
      conn.writeHeaders(get(path), headers({ Host: 'x' }));
      conn.finish();
      expect(await readRequestHead(server)).toContain(`GET ${path} `);
      server.write(
        `HTTP/1.1 102 Processing\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: ${path.length}\r\n\r\n${path}`,
      );
      const { got, delegate } = recordingDelegate();
      expect(await conn.readResponse(delegate)).toBe(true);
      expect(got.body).toBe(path);
    }
    conn.close();
    server.close();
  });

  it('ends the message at 101, reads nothing after it and leaves the stream open', async () => {
    const { conn, server } = clientPair();
    conn.writeHeaders(get('/ws'), headers({ Host: 'x', Connection: 'Upgrade', Upgrade: 'echo' }));
    conn.finish();
    await readRequestHead(server);
    server.write(
      'HTTP/1.1 101 Switching Protocols\r\nUpgrade: echo\r\nConnection: Upgrade\r\n\r\nfirst bytes',
    );
    const { got, delegate } = recordingDelegate();
    expect(await conn.readResponse(delegate)).toBe(false);
    expect(got).toMatchObject({ heads: ['101 Switching Protocols'], body: '', finished: 1 });
    expect(conn.upgraded).toBe(true);
    expect(conn.stream.closed()).toBe(false);
    // Another readResponse gets nothing: the bytes after 101 are not HTTP.
    const again = recordingDelegate();
    expect(await conn.readResponse(again.delegate)).toBe(false);
    expect(again.got.heads).toEqual([]);
    const stream = conn.detach();
    expect((await stream.readBytes(11)).toString()).toBe('first bytes');
    stream.close();
    server.close();
  });

  it('rejects an interim response that announces a body and records why', async () => {
    const { conn, server } = clientPair();
    conn.writeHeaders(get(), headers({ Host: 'x' }));
    conn.finish();
    await readRequestHead(server);
    server.write('HTTP/1.1 100 Continue\r\nContent-Length: 3\r\n\r\nabc');
    const { got, delegate } = recordingDelegate();
    expect(await conn.readResponse(delegate)).toBe(false);
    expect(got.heads).toEqual([]);
    expect(conn.readError).toMatchObject({ code: 'ERR_HTTP_INPUT', rule: 'body-forbidden' });
    expect(conn.stream.closed()).toBe(true);
    server.close();
  });
});
