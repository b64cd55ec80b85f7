/**
 * `RequestHandler.detach()`: the stream leaves HTTP processing, the handler's response is over,
 * and its request stays readable for the protocol that takes over (a websocket, say).
 */
import net from 'node:net';
import type { BaseIOStream } from '@tronada/iostream';
import { useTestLoop } from '@tronada/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Application, RequestHandler } from '../src/index.js';
import { useAsyncHTTPTestCase } from '../src/testing/index.js';

useTestLoop({ beforeEach, afterEach }, { clock: false });

/** Detaches, then answers on the raw stream with what the handler and request still say. */
class DetachHandler extends RequestHandler {
  override get(): void {
    const stream = this.detach() as BaseIOStream;
    let writeError = '';
    try {
      this.write('too late');
    } catch (error) {
      writeError = (error as Error).message;
    }
    // The response headers start empty again and still work, for this handler only.
    const headersBefore = [...this.responseHeaders].length;
    this.addHeader('X-After', 'detached');
    const report = {
      finished: this.finished,
      writeError,
      headersBefore,
      after: this.getHeader('X-After'),
      header: this.request.headers.get('X-Long'),
      uri: this.request.uri,
      argument: this.getArgument('q'),
    };
    const body = JSON.stringify(report);
    void stream.write(
      Buffer.from(`HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n\r\n${body}`),
    );
    stream.close();
  }
}

/** Sets a status (with the reason phrase in `?reason=`), detaches, and reports what it keeps. */
class DetachStateHandler extends RequestHandler {
  override getCurrentUser(): unknown {
    return 'alice';
  }
  override get(): void {
    const reason = this.getArgument('reason', null);
    this.setStatus(Number(this.getArgument('status')), reason);
    this.includeHost = true;
    const stream = this.detach() as BaseIOStream;
    const report = {
      status: this.getStatus(),
      reason: this.reason,
      includeHost: this.includeHost,
      currentUser: this.currentUser,
      headersWritten: this.headersWritten,
      etag: this.computeEtag(),
    };
    const body = JSON.stringify(report);
    void stream.write(
      Buffer.from(`HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n\r\n${body}`),
    );
    stream.close();
  }
}

function rawGet(port: number, path: string, extraHeaders = ''): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = net.connect(port, '127.0.0.1', () =>
      socket.write(`GET ${path} HTTP/1.1\r\nHost: x\r\n${extraHeaders}\r\n`),
    );
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('end', () => resolve(Buffer.concat(chunks).toString('latin1')));
    socket.on('error', reject);
  });
}

describe('RequestHandler.detach', () => {
  const server = useAsyncHTTPTestCase({ beforeEach, afterEach }, () => {
    return new Application([
      ['/detach', DetachHandler],
      ['/state', DetachStateHandler],
    ]);
  });

  it('ends the response, keeps the request readable and gives a detached handler fresh headers', async () => {
    const answer = await rawGet(
      server.current.getHttpPort(),
      '/detach?q=an-argument-long-enough-to-slice',
      'X-Long: a header value longer than thirteen characters\r\n',
    );
    const body = answer.slice(answer.indexOf('\r\n\r\n') + 4);
    expect(JSON.parse(body)).toEqual({
      finished: true,
      writeError: 'Cannot write() after finish()',
      headersBefore: 0,
      after: 'detached',
      header: 'a header value longer than thirteen characters',
      uri: '/detach?q=an-argument-long-enough-to-slice',
      argument: 'an-argument-long-enough-to-slice',
    });
  });

  it.each([
    ['a standard reason phrase', '/state?status=202', 'Accepted'],
    ['a custom reason phrase', '/state?status=299&reason=Custom%20Reason', 'Custom Reason'],
  ])(
    'keeps the status and %s, the flags and the current user after detaching',
    async (_name, path, reason) => {
      const answer = await rawGet(server.current.getHttpPort(), path);
      const body = answer.slice(answer.indexOf('\r\n\r\n') + 4);
      expect(JSON.parse(body)).toEqual({
        status: path.includes('299') ? 299 : 202,
        reason,
        includeHost: true,
        currentUser: 'alice',
        headersWritten: false,
        // The output buffer is gone with the response: the ETag of an empty body.
        etag: '"da39a3ee5e6b4b0d3255bfef95601890afd80709"',
      });
    },
  );
});
