// HTTP1Parser in response mode (what the HTTP client will use): bodies read until close, the
// no-body rules for HEAD, 1xx, 204 and 304, and the repairs RFC 9112 asks of a client.
import { HTTP1Parser, type HTTPInputError } from '@tronada/httputil';
import { describe, expect, it } from 'vitest';
import { crlf, feed, Recorder } from './helpers.js';

const response = { mode: 'response' } as const;

describe('HTTP1Parser (response mode)', () => {
  it('reads an HTTP/1.0 body without Content-Length until close (test_http10_no_content_length)', () => {
    const recorder = new Recorder();
    const parser = new HTTP1Parser(recorder, response);
    parser.push(Buffer.from('HTTP/1.0 200 Not Modified\r\n\r\nhello'));
    expect(parser.framing).toBe('until-close');
    expect(recorder.messages[0]!.complete).toBe(false);
    expect(parser.end()).toBe('complete');
    expect(recorder.messages).toEqual([
      expect.objectContaining({
        startLine: 'HTTP/1.0 200 Not Modified',
        complete: true,
        body: Buffer.from('hello'),
      }),
    ]);
  });

  it('reads no body for a HEAD request even with Content-Length', () => {
    const methods = ['HEAD', 'GET'];
    const { messages, error } = feed(
      [crlf('HTTP/1.1 200 OK\nContent-Length: 5\n\nHTTP/1.1 200 OK\nContent-Length: 5\n\nhello')],
      { mode: 'response', expectBody: () => methods.shift() !== 'HEAD' },
    );
    expect(error).toBeUndefined();
    expect(messages.map((m) => [m.body.toString(), m.complete])).toEqual([
      ['', true],
      ['hello', true],
    ]);
  });

  it('reads no body for 304 and 204, and an interim 1xx before the final response', () => {
    const { messages, error } = feed(
      [
        crlf(
          'HTTP/1.1 100 Continue\n\nHTTP/1.1 304 Not Modified\nContent-Length: 99\n\nHTTP/1.1 204 No Content\nContent-Length: 0\n\nHTTP/1.1 200 OK\nContent-Length: 2\n\nok',
        ),
      ],
      response,
    );
    expect(error).toBeUndefined();
    expect(messages.map((m) => [m.startLine, m.body.toString()])).toEqual([
      ['HTTP/1.1 100 Continue', ''],
      ['HTTP/1.1 304 Not Modified', ''],
      ['HTTP/1.1 204 No Content', ''],
      ['HTTP/1.1 200 OK', 'ok'],
    ]);
  });

  it('rejects a 1xx or 204 response that announces a body', () => {
    for (const wire of [
      'HTTP/1.1 100 Continue\nContent-Length: 1\n\n',
      'HTTP/1.1 101 Switching\nTransfer-Encoding: chunked\n\n',
      'HTTP/1.1 204 No Content\nTransfer-Encoding: chunked\n\n',
      'HTTP/1.1 204 No Content\nContent-Length: 1\n\n',
    ]) {
      const error = feed([crlf(wire)], response).error as HTTPInputError;
      expect([wire, error.rule]).toEqual([wire, 'body-forbidden']);
    }
  });

  it('unfolds obs-fold and drops whitespace before the colon, as a client must', () => {
    const { messages, error } = feed(
      [crlf('HTTP/1.1 200 OK\nX-Folded: a\n  b\n\tc\nX-Spaced : d\nContent-Length: 0\n\n')],
      response,
    );
    expect(error).toBeUndefined();
    expect(messages[0]!.headers).toEqual([
      ['X-Folded', 'a b c'],
      ['X-Spaced', 'd'],
      ['Content-Length', '0'],
    ]);
  });

  it('keeps control characters in response header values but not NUL', () => {
    expect(
      feed([crlf('HTTP/1.1 200 OK\nX: a\x01b\nContent-Length: 0\n\n')], response).messages[0]!
        .headers,
    ).toEqual([
      ['X', 'a\x01b'],
      ['Content-Length', '0'],
    ]);
    expect(
      (feed([crlf('HTTP/1.1 200 OK\nX: a\0b\n\n')], response).error as HTTPInputError).rule,
    ).toBe('nul-in-field');
  });

  it('reads a response whose last transfer coding is not chunked until close', () => {
    const recorder = new Recorder();
    const parser = new HTTP1Parser(recorder, response);
    parser.push(crlf('HTTP/1.1 200 OK\nTransfer-Encoding: gzip\n\nraw bytes'));
    expect(parser.framing).toBe('until-close');
    expect(parser.closeAfterMessage).toBe(true);
    expect(parser.end()).toBe('complete');
    expect(recorder.messages[0]!.body.toString()).toBe('raw bytes');
  });

  it('rejects a chunked response with another coding it cannot decode (501)', () => {
    const error = feed([crlf('HTTP/1.1 200 OK\nTransfer-Encoding: gzip, chunked\n\n')], response)
      .error as HTTPInputError;
    expect([error.rule, error.status]).toEqual(['te-unsupported', 501]);
  });

  it('reads chunked responses with trailers, and reports a truncated one as incomplete', () => {
    const { messages } = feed(
      [crlf('HTTP/1.1 200 OK\nTransfer-Encoding: chunked\n\n2\nok\n0\nX-Trailer: t\n\n')],
      response,
    );
    expect(messages[0]!.body.toString()).toBe('ok');
    expect(messages[0]!.trailers).toEqual([['X-Trailer', 't']]);
    const truncated = feed([crlf('HTTP/1.1 200 OK\nTransfer-Encoding: chunked\n\n2\no')], response);
    expect(truncated.parser.state).toBe('body-chunked');
    expect(truncated.parser.end()).toBe('incomplete');
  });

  it('answers a body over maxBodySize read until close with 413', () => {
    const outcome = feed([Buffer.from('HTTP/1.1 200 OK\r\n\r\n'), Buffer.alloc(100)], {
      mode: 'response',
      maxBodySize: 64,
    });
    expect((outcome.error as HTTPInputError).status).toBe(413);
  });
});
