/**
 * Malformed and oversized requests end to end (Tornado's HTTPServerRawTest, MaxHeaderSizeTest,
 * BodyLimitsTest, plus the RFC 9112 rejections): the right status, then close, the server and
 * its other connections undisturbed.
 */

import {
  type HTTPConnection,
  HTTPHeaders,
  type HTTPMessageDelegate,
  ResponseStartLine,
} from '@tronada/httputil';
import { genLog } from '@tronada/ioloop';
import { expectLog, useTestLoop } from '@tronada/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, echo, RawClient, respond, serve, waitFor } from './helpers.js';

useTestLoop({ beforeEach, afterEach }, { clock: false });
afterEach(cleanup);

/** Sends `request` on a fresh connection and returns everything until the server closes. */
async function reject(port: number, request: string): Promise<string> {
  const c = await RawClient.connect(port);
  c.write(request);
  return (await c.readUntilClose()).toString('latin1');
}

async function expectRejected(
  request: string,
  status: string,
  options: Parameters<typeof serve>[1] = {},
): Promise<void> {
  const { port } = await serve(echo, options);
  // A client in the middle of a keep-alive exchange is not disturbed by the bad one.
  const other = await RawClient.connect(port);
  other.write('GET /before HTTP/1.1\r\nHost: a\r\n\r\n');
  expect((await other.readResponse()).body.toString()).toBe('GET /before ');
  const answer = await expectLog(genLog, /Malformed HTTP message from 127\.0\.0\.1/, () =>
    reject(port, request),
  );
  expect(answer).toBe(`HTTP/1.1 ${status}\r\n\r\n`);
  other.write('GET /after HTTP/1.1\r\nHost: a\r\n\r\n');
  expect((await other.readResponse()).body.toString()).toBe('GET /after ');
}

describe('HTTPServerRawTest', () => {
  it('closes an empty connection quietly', async () => {
    const { server, port } = await serve(echo);
    const c = await RawClient.connect(port);
    await waitFor(() => server.connectionCount === 1, 'the connection');
    c.socket.end();
    await waitFor(() => server.connectionCount === 0, 'the connection to end');
  });

  it('answers a malformed first line with 400 and logs it', async () => {
    await expectRejected('asdf\r\n\r\n', '400 Bad Request');
  });

  it('answers a header line without a colon with 400', async () => {
    await expectRejected('GET / HTTP/1.1\r\nHost: a\r\nasdf\r\n\r\n', '400 Bad Request');
  });

  it('reads a chunked request body, Transfer-Encoding matched case-insensitively', async () => {
    const { port } = await serve(echo);
    for (const te of ['chunked', 'CHUNKED']) {
      const c = await RawClient.connect(port);
      c.write(
        `POST /c HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: ${te}\r\n\r\n4\r\nqwer\r\n5\r\ntyuio\r\n0\r\n\r\n`,
      );
      expect((await c.readResponse()).body.toString()).toBe('POST /c qwertyuio');
    }
  });

  it('answers a Content-Length that is not a number with 400', async () => {
    await expectRejected(
      'POST / HTTP/1.1\r\nHost: a\r\nContent-Length: foo\r\n\r\nbar',
      '400 Bad Request',
    );
  });
});

describe('request smuggling and RFC 9112 rejections', () => {
  const cases: Array<[string, string, string]> = [
    [
      'Content-Length together with Transfer-Encoding',
      'POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
      '400 Bad Request',
    ],
    [
      'two different Content-Lengths',
      'POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab',
      '400 Bad Request',
    ],
    [
      'a bad chunk size',
      'POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n',
      '400 Bad Request',
    ],
    ['obs-fold in a request', 'GET / HTTP/1.1\r\nHost: a\r\nX: a\r\n b\r\n\r\n', '400 Bad Request'],
    ['a bare CR', 'GET / HTTP/1.1\r\nHost: a\r\nX: a\rb\r\n\r\n', '400 Bad Request'],
    ['a NUL in a header', 'GET / HTTP/1.1\r\nHost: a\r\nX: a\0b\r\n\r\n', '400 Bad Request'],
    ['whitespace before the colon', 'GET / HTTP/1.1\r\nHost : a\r\n\r\n', '400 Bad Request'],
    ['a missing Host in HTTP/1.1', 'GET / HTTP/1.1\r\n\r\n', '400 Bad Request'],
    ['two Host headers', 'GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n', '400 Bad Request'],
    [
      'an unsupported HTTP version',
      'GET / HTTP/2.0\r\nHost: a\r\n\r\n',
      '505 HTTP Version Not Supported',
    ],
    [
      'a request target over 8 KiB',
      `GET /${'a'.repeat(9000)} HTTP/1.1\r\nHost: a\r\n\r\n`,
      '414 URI Too Long',
    ],
  ];
  for (const [what, request, status] of cases) {
    it(`answers ${what} with ${status} and closes`, async () => {
      await expectRejected(request, status);
    });
  }

  it('accepts an absolute-form target and OPTIONS *', async () => {
    const { port } = await serve(echo);
    const c = await RawClient.connect(port);
    c.write('GET http://example.com/x?y HTTP/1.1\r\nHost: example.com\r\n\r\n');
    expect((await c.readResponse()).body.toString()).toBe('GET http://example.com/x?y ');
    c.write('OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n');
    expect((await c.readResponse()).body.toString()).toBe('OPTIONS * ');
  });
});

describe('MaxHeaderSizeTest', () => {
  it('accepts headers under the limit', async () => {
    const { port } = await serve(echo, { maxHeaderSize: 1024 });
    const c = await RawClient.connect(port);
    c.write(`GET / HTTP/1.1\r\nHost: a\r\nX-Filler: ${'a'.repeat(100)}\r\n\r\n`);
    expect((await c.readResponse()).code).toBe(200);
  });

  it('answers headers over the limit with 431', async () => {
    await expectRejected(
      `GET / HTTP/1.1\r\nHost: a\r\nX-Filler: ${'a'.repeat(1000)}\r\n\r\n`,
      '431 Request Header Fields Too Large',
      { maxHeaderSize: 1024 },
    );
  });
});

/** A streaming delegate (Tornado's StreamingEchoHandler) that may raise its body limit. */
function streaming(limit?: number) {
  return {
    startRequest: (_s: object, conn: HTTPConnection): HTTPMessageDelegate => {
      let size = 0;
      return {
        headersReceived: () => {
          if (limit !== undefined) conn.setMaxBodySize(limit);
        },
        dataReceived: (chunk) => {
          size += chunk.length;
        },
        finish: () => {
          const body = Buffer.from(String(size));
          conn.writeHeaders(
            new ResponseStartLine('HTTP/1.1', 200, 'OK'),
            new HTTPHeaders({ 'Content-Length': String(body.length) }),
            body,
          );
          conn.finish();
        },
        onConnectionClose: () => undefined,
      };
    },
    onClose: () => undefined,
  };
}

describe('BodyLimitsTest', () => {
  const options = { maxBodySize: 4096 };

  it('accepts a body under the limit', async () => {
    const { port } = await serve(echo, options);
    const c = await RawClient.connect(port);
    c.write(`PUT / HTTP/1.1\r\nHost: a\r\nContent-Length: 4096\r\n\r\n${'a'.repeat(4096)}`);
    expect((await c.readResponse()).body.length).toBe('PUT / '.length + 4096);
  });

  it('answers a declared body over the limit with 413', async () => {
    await expectRejected(
      'PUT / HTTP/1.1\r\nHost: a\r\nContent-Length: 10240\r\n\r\n',
      '413 Content Too Large',
      options,
    );
  });

  it('answers a chunked body growing over the limit with 413', async () => {
    const chunk = `1000\r\n${'a'.repeat(4096)}\r\n`;
    await expectRejected(
      `PUT / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n${chunk}${chunk}`,
      '413 Content Too Large',
      options,
    );
  });

  it('applies the limit to streaming delegates too, sized or chunked', async () => {
    const { port } = await serve(streaming(), options);
    const chunk = `1000\r\n${'a'.repeat(4096)}\r\n`;
    for (const request of [
      'PUT / HTTP/1.1\r\nHost: a\r\nContent-Length: 10240\r\n\r\n',
      `PUT / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n${chunk}${chunk}`,
    ]) {
      const answer = await expectLog(genLog, /Malformed HTTP message/, () => reject(port, request));
      expect(answer).toBe('HTTP/1.1 413 Content Too Large\r\n\r\n');
    }
  });

  it('lets a streaming delegate raise the limit for a sized body', async () => {
    const { port } = await serve(streaming(10240), options);
    const c = await RawClient.connect(port);
    c.write(`PUT / HTTP/1.1\r\nHost: a\r\nContent-Length: 10240\r\n\r\n${'a'.repeat(10240)}`);
    expect((await c.readResponse()).body.toString()).toBe('10240');
  });

  it('lets a streaming delegate raise the limit for its request only', async () => {
    const { port } = await serve(streaming(10240), options);
    const c = await RawClient.connect(port);
    const chunk = `1400\r\n${'a'.repeat(5120)}\r\n`;
    c.write(
      `PUT / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n${chunk}${chunk}0\r\n\r\n`,
    );
    expect((await c.readResponse()).body.toString()).toBe('10240');
  });

  it('resets a raised limit before the next request', async () => {
    let first = true;
    const delegate = streaming();
    const { port } = await serve(
      {
        startRequest: (s, conn) => {
          const inner = delegate.startRequest(s, conn);
          const raise = first;
          first = false;
          return {
            ...inner,
            headersReceived: () => {
              if (raise) conn.setMaxBodySize(10240);
            },
          };
        },
        onClose: () => undefined,
      },
      options,
    );
    const c = await RawClient.connect(port);
    c.write(`PUT / HTTP/1.1\r\nHost: a\r\nContent-Length: 10240\r\n\r\n${'a'.repeat(10240)}`);
    expect((await c.readResponse()).body.toString()).toBe('10240');
    const answer = await expectLog(genLog, /Malformed HTTP message/, async () => {
      c.write('PUT / HTTP/1.1\r\nHost: a\r\nContent-Length: 10240\r\n\r\n');
      return (await c.readUntilClose()).toString();
    });
    expect(answer).toBe('HTTP/1.1 413 Content Too Large\r\n\r\n');
  });
});

describe('IncorrectContentLengthTest', () => {
  it('refuses to write more than Content-Length and closes', async () => {
    let error: unknown;
    const { port } = await serve((request) => {
      const conn = request.connection!;
      conn.writeHeaders(
        new ResponseStartLine('HTTP/1.1', 200, 'OK'),
        new HTTPHeaders({ 'Content-Length': '2' }),
      );
      try {
        conn.write(Buffer.from('abc'));
      } catch (e) {
        error = e;
      }
    });
    const c = await RawClient.connect(port);
    c.write('GET / HTTP/1.1\r\nHost: a\r\n\r\n');
    await c.readUntilClose();
    expect((error as Error).name).toBe('HTTPOutputError');
    expect((error as Error).message).toMatch(/more data than Content-Length/);
  });

  it('refuses to finish with less than Content-Length and closes', async () => {
    let error: unknown;
    const { port } = await serve((request) => {
      const conn = request.connection!;
      conn.writeHeaders(
        new ResponseStartLine('HTTP/1.1', 200, 'OK'),
        new HTTPHeaders({ 'Content-Length': '5' }),
        Buffer.from('ab'),
      );
      try {
        conn.finish();
      } catch (e) {
        error = e;
      }
    });
    const c = await RawClient.connect(port);
    c.write('GET / HTTP/1.1\r\nHost: a\r\n\r\n');
    const all = (await c.readUntilClose()).toString();
    expect(all).toMatch(/\r\n\r\nab$/);
    expect((error as Error).message).toBe('Tried to write 3 bytes less than Content-Length');
  });

  it('still answers other requests after a response was cut', async () => {
    const { port } = await serve((request) => respond(request, 'fine'));
    const c = await RawClient.connect(port);
    c.write('GET / HTTP/1.1\r\nHost: a\r\n\r\n');
    expect((await c.readResponse()).body.toString()).toBe('fine');
  });
});
