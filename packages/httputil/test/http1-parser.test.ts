// HTTP1Parser in request mode: messages, bodies, pipelining, flow control and limits. The
// wire-level behaviours of Tornado's httpserver_test that the parser decides are ported here as
// parser tests (named after the Tornado test in brackets).
import {
  HTTP1Parser,
  type HTTPHeaders,
  HTTPInputError,
  type RequestStartLine,
} from '@tronada/httputil';
import { describe, expect, it } from 'vitest';
import { crlf, feed, Recorder, splitAt } from './helpers.js';

function errorOf(outcome: { error: unknown }): HTTPInputError {
  expect(outcome.error).toBeInstanceOf(HTTPInputError);
  return outcome.error as HTTPInputError;
}

describe('HTTP1Parser: messages', () => {
  it('parses a request with headers in one push', () => {
    const { messages, parser } = feed([crlf('GET /a?b=1 HTTP/1.1\nHost: x\nX-A: 1\nx-a:  2 \n\n')]);
    expect(messages).toEqual([
      {
        startLine: 'GET /a?b=1 HTTP/1.1',
        headers: [
          ['Host', 'x'],
          ['X-A', '1'],
          ['X-A', '2'],
        ],
        body: Buffer.alloc(0),
        pieces: [],
        complete: true,
      },
    ]);
    expect(parser.framing).toBe('none');
    expect(parser.state).toBe('start-line');
  });

  it('gives the same messages whatever the split of the bytes', () => {
    const wire = crlf(
      'POST /p HTTP/1.1\nHost: x\nContent-Length: 5\n\nhelloPUT /c HTTP/1.1\nHost: y\nTransfer-Encoding: chunked\n\n3;a=b\nabc\n0\nT: 1\n\n',
    );
    const whole = feed([wire]).messages;
    expect(whole.map((m) => m.body.toString())).toEqual(['hello', 'abc']);
    expect(whole[1]!.trailers).toEqual([['T', '1']]);
    const bytes = feed([...wire].map((b) => Buffer.from([b]))).messages;
    expect(bytes.map((m) => [m.startLine, m.headers, m.body, m.trailers])).toEqual(
      whole.map((m) => [m.startLine, m.headers, m.body, m.trailers]),
    );
  });

  it('parses pipelined requests in order (test_pipelined_requests)', () => {
    const { messages } = feed([crlf('GET / HTTP/1.1\nHost: a\n\nGET / HTTP/1.1\nHost: a\n\n')]);
    expect(messages.map((m) => [m.startLine, m.complete])).toEqual([
      ['GET / HTTP/1.1', true],
      ['GET / HTTP/1.1', true],
    ]);
  });

  it('ignores empty lines before a request line (test_http10_keepalive_extra_crlf)', () => {
    const { messages } = feed([
      crlf('GET / HTTP/1.0\nConnection: keep-alive\n\n\n'),
      crlf('\n\nGET / HTTP/1.0\nConnection: keep-alive\n\n'),
    ]);
    expect(messages.map((m) => m.startLine)).toEqual(['GET / HTTP/1.0', 'GET / HTTP/1.0']);
  });

  it('accepts bare LF as well as CRLF line ends in the head (test_newlines)', () => {
    for (const newline of ['\r\n', '\n']) {
      const head = ['GET /hello HTTP/1.0', 'Content-Length: 0', '', ''].join(newline);
      const { messages, error } = feed([Buffer.from(head)]);
      expect(error).toBeUndefined();
      expect(messages.map((m) => [m.startLine, m.complete])).toEqual([
        ['GET /hello HTTP/1.0', true],
      ]);
    }
    const mixed = feed([Buffer.from('GET / HTTP/1.1\r\nHost: a\nX: 1\r\n\nGET /2 HTTP/1.0\n\r\n')]);
    expect(mixed.messages.map((m) => m.startLine)).toEqual(['GET / HTTP/1.1', 'GET /2 HTTP/1.0']);
  });

  it('keeps Latin-1 header bytes as characters (test_multipart_form header)', () => {
    const head = Buffer.concat([
      crlf('GET / HTTP/1.0\nX-Header-Encoding-Test: '),
      Buffer.from([0xe9]),
      crlf('\n\n'),
    ]);
    expect(feed([head]).messages[0]!.headers).toEqual([['X-Header-Encoding-Test', 'é']]);
  });

  it('treats a request without Content-Length or Transfer-Encoding as bodiless', () => {
    const { messages } = feed([crlf('POST / HTTP/1.1\nHost: a\n\nGET / HTTP/1.1\nHost: a\n\n')]);
    expect(messages.map((m) => [m.startLine, m.body.length])).toEqual([
      ['POST / HTTP/1.1', 0],
      ['GET / HTTP/1.1', 0],
    ]);
  });

  it('accepts equal repeated Content-Length values', () => {
    const { messages, error } = feed([
      crlf('PUT / HTTP/1.1\nHost: a\nContent-Length: 3, 3\nContent-Length: 003\n\nabc'),
    ]);
    expect(error).toBeUndefined();
    expect(messages[0]!.body.toString()).toBe('abc');
  });
});

describe('HTTP1Parser: bodies', () => {
  it('passes a fixed body in pieces of at most chunkSize (test_regular_body)', () => {
    const body = '01234567890123456789012345678901234567890123456789';
    const { messages } = feed([crlf(`POST / HTTP/1.1\nHost: a\nContent-Length: 50\n\n${body}`)], {
      mode: 'request',
      chunkSize: 16,
    });
    expect(messages[0]!.pieces).toEqual([16, 16, 16, 2]);
    expect(messages[0]!.body.toString()).toBe(body);
  });

  it('breaks body pieces at chunk boundaries too (test_chunked_body)', () => {
    const body = '01234567890123456789012345678901234567890123456789';
    const wire = crlf(
      `POST / HTTP/1.1\nHost: a\nTransfer-Encoding: chunked\n\n14\n${body.slice(0, 20)}\n1e\n${body.slice(20)}\n0\n\n`,
    );
    const { messages } = feed([wire], { mode: 'request', chunkSize: 16 });
    expect(messages[0]!.pieces).toEqual([16, 4, 16, 14]);
    expect(messages[0]!.body.toString()).toBe(body);
  });

  it('reads a chunked body (test_chunked_request_body) whatever the case of "chunked" (test_chunked_request_uppercase)', () => {
    for (const coding of ['chunked', 'Chunked', 'CHUNKED']) {
      const wire = crlf(
        `POST /echo HTTP/1.1\nHost: a\nTransfer-Encoding: ${coding}\nContent-Type: application/x-www-form-urlencoded\n\n4\nfoo=\n3\nbar\n0\n\n`,
      );
      const { messages, error } = feed([wire]);
      expect(error).toBeUndefined();
      expect(messages[0]!.body.toString()).toBe('foo=bar');
      expect(messages[0]!.complete).toBe(true);
    }
  });

  it('ignores chunk extensions and reports trailer fields without merging them', () => {
    const wire = crlf(
      'POST / HTTP/1.1\nHost: a\nTransfer-Encoding: chunked\n\n5 ; ext ; name=value;q="a \\"b\\""\nhello\n00\nExpires: never\nX-Sum: 1\n\n',
    );
    const { messages, error } = feed([wire]);
    expect(error).toBeUndefined();
    expect(messages[0]!.body.toString()).toBe('hello');
    expect(messages[0]!.trailers).toEqual([
      ['Expires', 'never'],
      ['X-Sum', '1'],
    ]);
    expect(messages[0]!.headers).not.toContainEqual(['X-Sum', '1']);
  });

  it('never hands the sink an empty piece and never overwrites a piece it handed out', () => {
    const recorder = new Recorder();
    const kept: Buffer[] = [];
    const parser = new HTTP1Parser(
      {
        onHeaders: (s, h) => recorder.onHeaders(s, h),
        onData: (c) => {
          expect(c.length).toBeGreaterThan(0);
          kept.push(c);
        },
        onMessageComplete: () => recorder.onMessageComplete(),
      },
      { mode: 'request' },
    );
    // A split head leaves a partial line in the parser's own buffer; the body bytes that
    // follow it are handed out from there, then more bytes are appended.
    parser.push(crlf('POST / HTTP/1.1\nHost: a\nContent-Length: 6\n\nab').subarray(0, 10));
    parser.push(crlf('POST / HTTP/1.1\nHost: a\nContent-Length: 6\n\nab').subarray(10));
    parser.push(Buffer.from('cd'));
    parser.push(Buffer.from('efGET / HTTP/1.1\r\nHost: b\r\n\r\n'));
    expect(Buffer.concat(kept).toString()).toBe('abcdef');
    expect(recorder.messages.map((m) => m.complete)).toEqual([true, true]);
  });
});

describe('HTTP1Parser: flow control', () => {
  it('stops after a message until reset() when autoContinue is off', () => {
    const recorder = new Recorder();
    const parser = new HTTP1Parser(recorder, { mode: 'request', autoContinue: false });
    parser.push(crlf('GET /1 HTTP/1.1\nHost: a\n\nGET /2 HTTP/1.1\nHost: a\n\n'));
    expect(recorder.messages.map((m) => m.startLine)).toEqual(['GET /1 HTTP/1.1']);
    expect(parser.state).toBe('done');
    expect(parser.bufferedBytes).toBe(28);
    parser.push(crlf('GET /3 HTTP/1.1\nHost: a\n\n'));
    expect(recorder.messages).toHaveLength(1);
    parser.reset();
    expect(recorder.messages.map((m) => m.startLine)).toEqual([
      'GET /1 HTTP/1.1',
      'GET /2 HTTP/1.1',
    ]);
    parser.reset();
    expect(recorder.messages.map((m) => m.startLine)).toHaveLength(3);
    expect(parser.bufferedBytes).toBe(0);
  });

  it('may be reset from onMessageComplete to go on at once', () => {
    const starts: string[] = [];
    const parser: HTTP1Parser = new HTTP1Parser(
      {
        onHeaders: (s) => starts.push(String(s)),
        onData: () => {},
        onMessageComplete: () => parser.reset(),
      },
      { mode: 'request', autoContinue: false },
    );
    parser.push(crlf('GET /1 HTTP/1.1\nHost: a\n\nGET /2 HTTP/1.1\nHost: a\n\n'));
    expect(starts).toEqual(['GET /1 HTTP/1.1', 'GET /2 HTTP/1.1']);
  });

  it('holds everything after pause() until resume()', () => {
    const events: string[] = [];
    const parser: HTTP1Parser = new HTTP1Parser(
      {
        onHeaders: (s) => {
          events.push(`headers ${(s as RequestStartLine).path}`);
          parser.pause();
        },
        onData: (c) => {
          events.push(`data ${c}`);
          parser.pause();
        },
        onMessageComplete: () => events.push('complete'),
      },
      { mode: 'request' },
    );
    parser.push(crlf('POST /a HTTP/1.1\nHost: a\nContent-Length: 4\n\nab'));
    expect(events).toEqual(['headers /a']);
    expect(parser.paused).toBe(true);
    expect(parser.bufferedBytes).toBe(2);
    parser.push(Buffer.from('cd'));
    expect(events).toEqual(['headers /a']);
    parser.resume();
    expect(events).toEqual(['headers /a', 'data abcd']);
    parser.resume();
    expect(events).toEqual(['headers /a', 'data abcd', 'complete']);
  });

  it('applies setMaxBodySize to one message only (test_large_body_streaming_override, test_body_size_override_reset)', () => {
    const sizes: number[] = [];
    const parser: HTTP1Parser = new HTTP1Parser(
      {
        onHeaders: (s, h: HTTPHeaders) => {
          if ((s as RequestStartLine).path.includes('expected_size')) parser.setMaxBodySize(10240);
          sizes.push(Number(h.get('Content-Length')));
        },
        onData: () => {},
        onMessageComplete: () => {},
      },
      { mode: 'request', maxBodySize: 4096 },
    );
    parser.push(
      crlf('PUT /streaming?expected_size=10240 HTTP/1.1\nHost: a\nContent-Length: 10240\n\n'),
    );
    parser.push(Buffer.alloc(10240, 0x61));
    let error: unknown;
    try {
      parser.push(crlf('PUT /streaming HTTP/1.1\nHost: a\nContent-Length: 10240\n\n'));
    } catch (e) {
      error = e;
    }
    expect(sizes).toEqual([10240, 10240]);
    expect(error).toBeInstanceOf(HTTPInputError);
    expect((error as HTTPInputError).status).toBe(413);
  });

  it('reports the end of input: idle between messages, incomplete mid-message (test_empty_request)', () => {
    expect(new HTTP1Parser(new Recorder(), { mode: 'request' }).end()).toBe('idle');
    const mid = new HTTP1Parser(new Recorder(), { mode: 'request' });
    mid.push(crlf('POST / HTTP/1.1\nHost: a\nContent-Length: 10\n\nabc'));
    expect(mid.state).toBe('body-fixed');
    expect(mid.end()).toBe('incomplete');
    const head = new HTTP1Parser(new Recorder(), { mode: 'request' });
    head.push(Buffer.from('GET / HT'));
    expect(head.state).toBe('start-line');
    expect(head.end()).toBe('incomplete');
    const after = new HTTP1Parser(new Recorder(), { mode: 'request' });
    after.push(crlf('GET / HTTP/1.1\nHost: a\n\n\n'));
    expect(after.end()).toBe('idle');
  });

  it('refuses end() while paused, since stored bytes may still complete the message', () => {
    const recorder = new Recorder();
    const parser: HTTP1Parser = new HTTP1Parser(
      {
        onHeaders: (s, h) => {
          recorder.onHeaders(s, h);
          parser.pause();
        },
        onData: (c) => recorder.onData(c),
        onMessageComplete: () => recorder.onMessageComplete(),
      },
      { mode: 'request' },
    );
    parser.push(crlf('POST / HTTP/1.1\nHost: a\nContent-Length: 2\n\nok'));
    expect(() => parser.end()).toThrow(/while paused/);
    parser.resume();
    expect(parser.end()).toBe('idle');
    expect(recorder.messages.map((m) => [m.body.toString(), m.complete])).toEqual([['ok', true]]);
  });

  it('hands back the bytes after a message on detach()', () => {
    const parser: HTTP1Parser = new HTTP1Parser(
      { onHeaders: () => {}, onData: () => {}, onMessageComplete: () => parser.pause() },
      { mode: 'request' },
    );
    parser.push(crlf('GET /ws HTTP/1.1\nHost: a\nUpgrade: websocket\n\n\x81\x05hello'));
    expect(parser.detach().toString('latin1')).toBe('\x81\x05hello');
    expect(() => parser.push(Buffer.from('x'))).toThrow(/after end\(\) or detach\(\)/);
  });

  it('refuses to be pushed from inside its own callback', () => {
    const parser: HTTP1Parser = new HTTP1Parser(
      {
        onHeaders: () => parser.push(Buffer.from('x')),
        onData: () => {},
        onMessageComplete: () => {},
      },
      { mode: 'request' },
    );
    expect(() => parser.push(crlf('GET / HTTP/1.1\nHost: a\n\n'))).toThrow(/from a sink callback/);
  });
});

describe('HTTP1Parser: errors and limits', () => {
  it('answers a malformed request line with 400 (test_malformed_first_line_response)', () => {
    const error = errorOf(feed([crlf('asdf\n\n')]));
    expect([error.status, error.rule]).toEqual([400, 'start-line-malformed']);
    expect(error.message).toMatch(/Malformed HTTP request line/);
  });

  it('answers a header line without a colon with 400 (test_malformed_headers)', () => {
    const error = errorOf(feed([crlf('GET / HTTP/1.0\nasdf\n\n')]));
    expect([error.status, error.rule]).toEqual([400, 'field-no-colon']);
    expect(error.message).toMatch(/No colon in header line/);
  });

  it('answers a non-numeric Content-Length with 400 (test_invalid_content_length)', () => {
    const error = errorOf(
      feed([crlf('POST /echo HTTP/1.1\nHost: a\nContent-Length: foo\n\nbar\n\n')]),
    );
    expect([error.status, error.rule]).toEqual([400, 'content-length-invalid']);
    expect(error.message).toMatch(/Only a plain decimal Content-Length is allowed/);
  });

  it('answers a Content-Length over maxBodySize with 413 before reading it (test_large_body_buffered)', () => {
    const outcome = feed([crlf('PUT /buffered HTTP/1.1\nHost: a\nContent-Length: 10240\n\n')], {
      mode: 'request',
      maxBodySize: 4096,
    });
    const error = errorOf(outcome);
    expect([error.status, error.rule]).toEqual([413, 'body-too-large']);
    expect(outcome.messages[0]!.pieces).toEqual([]);
  });

  it('answers a chunked body over maxBodySize with 413 (test_large_body_buffered_chunked)', () => {
    const outcome = feed(
      [
        crlf('PUT / HTTP/1.1\nHost: a\nTransfer-Encoding: chunked\n\n1000\n'),
        Buffer.alloc(4096),
        crlf('\n1\n'),
      ],
      { mode: 'request', maxBodySize: 4096 },
    );
    expect([errorOf(outcome).status, outcome.messages[0]!.body.length]).toEqual([413, 4096]);
  });

  it('accepts a body of exactly maxBodySize (test_small_body)', () => {
    const outcome = feed(
      [crlf('PUT / HTTP/1.1\nHost: a\nContent-Length: 4096\n\n'), Buffer.alloc(4096)],
      {
        mode: 'request',
        maxBodySize: 4096,
      },
    );
    expect(outcome.error).toBeUndefined();
    expect(outcome.messages[0]!.complete).toBe(true);
  });

  it('answers a header section over maxHeaderSize with 431 however it arrives (MaxHeaderSizeTest)', () => {
    const small = crlf(`GET / HTTP/1.1\nHost: a\nX-Filler: ${'a'.repeat(100)}\n\n`);
    expect(feed([small], { mode: 'request', maxHeaderSize: 1024 }).error).toBeUndefined();
    const large = crlf(`GET / HTTP/1.1\nHost: a\nX-Filler: ${'a'.repeat(1000)}\n\n`);
    for (const pieces of [
      [large],
      splitAt(large, [5, 500, 900]),
      [...large].map((b) => Buffer.from([b])),
    ]) {
      const error = errorOf(feed(pieces, { mode: 'request', maxHeaderSize: 1024 }));
      expect([error.status, error.rule]).toEqual([431, 'header-section-too-large']);
    }
  });

  it('answers a request line over maxStartLineLength with 414 before it ends', () => {
    const outcome = feed([Buffer.from(`GET /${'a'.repeat(9000)}`)]);
    expect([errorOf(outcome).status, errorOf(outcome).rule]).toEqual([414, 'target-too-long']);
  });

  it('stays in the error state and rethrows the same error', () => {
    const parser = new HTTP1Parser(new Recorder(), { mode: 'request' });
    expect(() => parser.push(crlf('BAD\n\n'))).toThrow(HTTPInputError);
    expect(parser.state).toBe('error');
    let first: unknown;
    try {
      parser.push(crlf('GET / HTTP/1.1\nHost: a\n\n'));
    } catch (e) {
      first = e;
    }
    expect(first).toBe(parser.error);
    expect(() => parser.end()).toThrow(HTTPInputError);
  });

  it('reads an HTTP/1.0 chunked request but requires closing after it (test_keepalive_chunked, deviation)', () => {
    const parser = new HTTP1Parser(new Recorder(), { mode: 'request' });
    parser.push(
      crlf('POST / HTTP/1.0\nConnection: keep-alive\nTransfer-Encoding: chunked\n\n0\n\n'),
    );
    expect(parser.framing).toBe('chunked');
    expect(parser.closeAfterMessage).toBe(true);
  });
});
