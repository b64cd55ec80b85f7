// The pure writer: heads, chunks, the body and keep-alive decisions of Tornado's
// HTTP1Connection, and the round trip writer → parser.
import {
  canKeepAlive,
  formatChunk,
  formatLastChunk,
  formatRequestHead,
  formatResponseHead,
  HTTPHeaders,
  HTTPOutputError,
  planRequestBody,
  planResponseBody,
  RequestStartLine,
  ResponseStartLine,
} from '@tronada/httputil';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { feed, splitAt } from './helpers.js';

const GET11 = new RequestStartLine('GET', '/', 'HTTP/1.1');
const HEAD11 = new RequestStartLine('HEAD', '/', 'HTTP/1.1');
const GET10 = new RequestStartLine('GET', '/', 'HTTP/1.0');
const OK = new ResponseStartLine('HTTP/1.1', 200, 'OK');

describe('formatResponseHead / formatRequestHead', () => {
  it('writes HTTP/1.1 whatever the start line says, the header lines and the empty line', () => {
    const headers = new HTTPHeaders([
      ['Content-Type', 'text/html'],
      ['Set-Cookie', 'a=1'],
      ['Set-Cookie', 'b=2'],
    ]);
    expect(
      formatResponseHead(new ResponseStartLine('HTTP/1.0', 404, 'Not Found'), headers).toString(),
    ).toBe(
      'HTTP/1.1 404 Not Found\r\nContent-Type: text/html\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\n\r\n',
    );
    expect(
      formatRequestHead(
        new RequestStartLine('POST', '/a?b', 'HTTP/1.0'),
        new HTTPHeaders({ Host: 'h' }),
      ).toString(),
    ).toBe('POST /a?b HTTP/1.1\r\nHost: h\r\n\r\n');
  });

  it('writes Latin-1 header values as single bytes', () => {
    const head = formatResponseHead(OK, new HTTPHeaders({ X: 'é' }));
    expect([...head.subarray(head.length - 5, head.length - 4)]).toEqual([0xe9]);
  });

  it('refuses what cannot be written: bad codes, reasons, methods, targets, non-Latin-1', () => {
    const bad: (() => unknown)[] = [
      () => formatResponseHead(new ResponseStartLine('HTTP/1.1', 99, 'x'), new HTTPHeaders()),
      () => formatResponseHead(new ResponseStartLine('HTTP/1.1', 1000, 'x'), new HTTPHeaders()),
      () => formatResponseHead(new ResponseStartLine('HTTP/1.1', 200, 'O\r\nK'), new HTTPHeaders()),
      () => formatResponseHead(OK, new HTTPHeaders({ X: 'snow ☃' })),
      () => formatRequestHead(new RequestStartLine('GE T', '/', 'HTTP/1.1'), new HTTPHeaders()),
      () => formatRequestHead(new RequestStartLine('GET', '/a b', 'HTTP/1.1'), new HTTPHeaders()),
      () => formatRequestHead(new RequestStartLine('GET', '', 'HTTP/1.1'), new HTTPHeaders()),
    ];
    for (const fn of bad) expect(fn).toThrow(HTTPOutputError);
  });
});

describe('formatChunk / formatLastChunk', () => {
  it('frames a piece as hex size, CRLF, bytes, CRLF, and never writes an empty chunk', () => {
    expect(formatChunk(Buffer.from('hello world, hello')).toString()).toBe(
      '12\r\nhello world, hello\r\n',
    );
    expect(formatChunk(new Uint8Array(0)).length).toBe(0);
  });

  it('ends the body with the zero chunk and optional trailers', () => {
    expect(formatLastChunk().toString()).toBe('0\r\n\r\n');
    expect(formatLastChunk(new HTTPHeaders({ 'X-Checksum': 'abc' })).toString()).toBe(
      '0\r\nX-Checksum: abc\r\n\r\n',
    );
  });
});

describe('planResponseBody / planRequestBody', () => {
  it('chunks a response only for HTTP/1.1, not HEAD, a code with a body, and no length set', () => {
    expect(planResponseBody(GET11, OK, new HTTPHeaders())).toEqual({
      chunked: true,
      expectedLength: undefined,
    });
    expect(planResponseBody(GET10, OK, new HTTPHeaders()).chunked).toBe(false);
    expect(planResponseBody(HEAD11, OK, new HTTPHeaders())).toEqual({
      chunked: false,
      expectedLength: 0,
    });
    for (const code of [101, 204, 304]) {
      expect(
        planResponseBody(GET11, new ResponseStartLine('HTTP/1.1', code, ''), new HTTPHeaders())
          .chunked,
      ).toBe(false);
    }
    expect(
      planResponseBody(GET11, new ResponseStartLine('HTTP/1.1', 304, ''), new HTTPHeaders())
        .expectedLength,
    ).toBe(0);
    expect(planResponseBody(GET11, OK, new HTTPHeaders({ 'Content-Length': '12' }))).toEqual({
      chunked: false,
      expectedLength: 12,
    });
    expect(
      planResponseBody(GET11, OK, new HTTPHeaders({ 'Transfer-Encoding': 'gzip' })).chunked,
    ).toBe(false);
    expect(() => planResponseBody(GET11, OK, new HTTPHeaders({ 'Content-Length': 'x' }))).toThrow(
      HTTPOutputError,
    );
  });

  it('chunks a client request body for POST, PUT and PATCH without Content-Length', () => {
    const post = new RequestStartLine('POST', '/', 'HTTP/1.1');
    expect(planRequestBody(post, new HTTPHeaders()).chunked).toBe(true);
    expect(
      planRequestBody(new RequestStartLine('PATCH', '/', 'HTTP/1.1'), new HTTPHeaders()).chunked,
    ).toBe(true);
    expect(planRequestBody(GET11, new HTTPHeaders()).chunked).toBe(false);
    expect(planRequestBody(post, new HTTPHeaders({ 'Content-Length': '3' }))).toEqual({
      chunked: false,
      expectedLength: 3,
    });
    expect(planRequestBody(post, new HTTPHeaders({ 'Transfer-Encoding': 'gzip' })).chunked).toBe(
      false,
    );
  });
});

describe('canKeepAlive', () => {
  it('keeps HTTP/1.1 open unless Connection: close (test_two_requests, test_request_close)', () => {
    expect(canKeepAlive(GET11, new HTTPHeaders())).toBe(true);
    expect(canKeepAlive(GET11, new HTTPHeaders({ Connection: 'Close' }))).toBe(false);
    expect(canKeepAlive(GET11, new HTTPHeaders(), true)).toBe(false);
  });

  it('keeps HTTP/1.0 open only when asked and the body is framed (test_http10, test_http10_keepalive)', () => {
    expect(canKeepAlive(GET10, new HTTPHeaders())).toBe(false);
    expect(canKeepAlive(GET10, new HTTPHeaders({ Connection: 'keep-alive' }))).toBe(true);
    const post10 = new RequestStartLine('POST', '/', 'HTTP/1.0');
    expect(canKeepAlive(post10, new HTTPHeaders({ Connection: 'keep-alive' }))).toBe(false);
    expect(
      canKeepAlive(post10, new HTTPHeaders({ Connection: 'keep-alive', 'Content-Length': '0' })),
    ).toBe(true);
    expect(
      canKeepAlive(
        new ResponseStartLine('HTTP/1.0', 200, 'OK'),
        new HTTPHeaders({ Connection: 'keep-alive' }),
      ),
    ).toBe(false);
  });
});

describe('writer → parser round trip', () => {
  const token = fc.stringMatching(/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,12}$/);
  const value = fc.stringMatching(
    /^[\x21-\x7e\xa0-\xff]([\x20-\x7e\xa0-\xff\t]{0,20}[\x21-\x7e\xa0-\xff])?$/,
  );
  const fields = fc.array(
    fc.tuple(
      token.filter((n) => !/^(content-length|transfer-encoding|host)$/i.test(n)),
      value,
    ),
    {
      maxLength: 8,
    },
  );
  const body = fc.uint8Array({ maxLength: 200 });

  it('parses a written response back to what was written, chunked or sized, however split', () => {
    fc.assert(
      fc.property(
        fields,
        fc.array(body, { maxLength: 4 }),
        fc.boolean(),
        fc.array(fc.nat(), { maxLength: 6 }),
        (pairs, pieces, sized, cuts) => {
          const headers = new HTTPHeaders(pairs);
          const total = Buffer.concat(pieces);
          if (sized) headers.set('Content-Length', String(total.length));
          const plan = planResponseBody(GET11, OK, headers);
          if (plan.chunked) headers.set('Transfer-Encoding', 'chunked');
          const wire = Buffer.concat([
            formatResponseHead(OK, headers),
            ...(plan.chunked ? [...pieces.map((p) => formatChunk(p)), formatLastChunk()] : [total]),
          ]);
          const { messages, error } = feed(splitAt(wire, cuts), { mode: 'response' });
          expect(error).toBeUndefined();
          expect(messages).toHaveLength(1);
          expect(messages[0]!.headers).toEqual([...headers]);
          expect(messages[0]!.body).toEqual(total);
          expect(messages[0]!.complete).toBe(true);
        },
      ),
    );
  });

  it('parses a written request back to what was written', () => {
    fc.assert(
      fc.property(fields, body, fc.array(fc.nat(), { maxLength: 6 }), (pairs, content, cuts) => {
        const headers = new HTTPHeaders([['Host', 'example.com'], ...pairs]);
        headers.set('Content-Length', String(content.length));
        const start = new RequestStartLine('PUT', '/upload?x=1', 'HTTP/1.1');
        const wire = Buffer.concat([formatRequestHead(start, headers), content]);
        const { messages, error } = feed(splitAt(wire, cuts));
        expect(error).toBeUndefined();
        expect(messages.map((m) => [m.startLine, m.headers, m.body])).toEqual([
          ['PUT /upload?x=1 HTTP/1.1', [...headers], Buffer.from(content)],
        ]);
      }),
    );
  });
});
