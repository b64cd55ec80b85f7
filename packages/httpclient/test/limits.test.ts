// Responses the client refuses or cannot complete: huge heads, bodies over maxBodySize,
// servers that close mid-body, and malformed responses; each is a 599 HTTPClientError.
import { genLog } from '@tronada/ioloop';
import { useTestLoop } from '@tronada/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type HTTPClientError, HTTPStreamClosedError } from '../src/index.js';
import { cleanup, newClient, nodeServe, rawServe } from './helpers.js';

useTestLoop({ beforeEach, afterEach }, { clock: false });
afterEach(cleanup);

function failure(future: PromiseLike<unknown>): Promise<HTTPClientError> {
  return Promise.resolve(future).then(
    () => {
      throw new Error('expected the fetch to fail');
    },
    (e: unknown) => e as HTTPClientError,
  );
}

/** A server writing `wire` to every request, then closing. */
function answering(wire: string | Buffer) {
  return rawServe((_head, socket) => socket.end(wire));
}

describe('limits and broken responses', () => {
  it('rejects a response head over maxHeaderSize', async () => {
    const { url } = await nodeServe((_req, res) =>
      res.writeHead(200, { 'X-Big': 'a'.repeat(2000) }).end(),
    );
    const error = await failure(newClient({ maxHeaderSize: 1024 }).fetch(url));
    expect(error.status).toBe(599);
    expect(error.message).toContain('Malformed response');
    expect(error.cause).toMatchObject({ code: 'ERR_HTTP_INPUT', status: 431 });
    // The default limit takes it.
    expect((await newClient().fetch(url)).code).toBe(200);
  });

  it('rejects a body over maxBodySize, sized or chunked', async () => {
    const { url } = await nodeServe((req, res) => {
      if (req.url === '/sized') res.writeHead(200, { 'Content-Length': '2048' });
      res.end(Buffer.alloc(2048));
    });
    const client = newClient({ maxBodySize: 1024 });
    for (const path of ['/sized', '/chunked']) {
      const error = await failure(client.fetch(`${url}${path}`));
      expect([path, error.status, (error.cause as { status: number }).status]).toEqual([
        path,
        599,
        413,
      ]);
    }
  });

  it('reads a body until close when the response has no length', async () => {
    const { url } = await answering('HTTP/1.1 200 OK\r\n\r\nuntil the end');
    expect((await newClient().fetch(url)).text).toBe('until the end');
  });

  it('fails with HTTPStreamClosedError when the server closes mid-body', async () => {
    const { url } = await answering('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly this');
    const error = await failure(newClient().fetch(url));
    expect(error).toBeInstanceOf(HTTPStreamClosedError);
    expect([error.status, error.code]).toEqual([599, 'ERR_HTTP_STREAM_CLOSED']);
  });

  it('fails with HTTPStreamClosedError when the server closes without answering', async () => {
    const { url } = await rawServe((_head, socket) => socket.destroy());
    const error = await failure(newClient().fetch(url));
    expect(error).toBeInstanceOf(HTTPStreamClosedError);
  });

  it('fails with a 599 naming the rule for malformed responses', async () => {
    for (const wire of [
      'HTTP/1.1 abc OK\r\n\r\n',
      'HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello',
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n',
      'HTTP/1.1 200 OK\r\nBad Header\r\n\r\n',
      'SSH-2.0-OpenSSH\r\n\r\n',
    ]) {
      const { url } = await answering(wire);
      const error = await failure(newClient().fetch(url));
      expect([
        wire,
        error.status,
        error.message.startsWith('HTTP 599: Malformed response'),
      ]).toEqual([wire, 599, true]);
    }
  });

  it('logs a malformed response at info level only', async () => {
    const { url } = await answering('HTTP/1.1 200 OK\r\nBad Header\r\n\r\n');
    const levels: string[] = [];
    const remove = genLog.addHandler((record) => {
      levels.push(record.level);
      return true;
    });
    try {
      await failure(newClient().fetch(url));
    } finally {
      remove();
    }
    expect(levels).toEqual(['info']);
  });
});
