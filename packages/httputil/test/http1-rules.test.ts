// The rule table of the HTTP/1 parser: every rule is triggered by a sample message and answers
// with its status; what the RFCs say a server MUST accept is accepted; the README documents
// every rule.
import { readFileSync } from 'node:fs';
import { type HTTP1RuleId, HTTP1Rules, HTTPInputError } from '@tronada/httputil';
import { describe, expect, it } from 'vitest';
import { feed } from './helpers.js';

const H = 'Host: example.com\r\n';

/** A message that breaks each rule, with the mode it is parsed in and any options. */
const samples: Record<HTTP1RuleId, { wire: string; mode?: 'response'; maxHeaderSize?: number }> = {
  'start-line-malformed': { wire: 'GET /\r\n\r\n' },
  'method-invalid': { wire: `G{T / HTTP/1.1\r\n${H}\r\n` },
  'target-invalid': { wire: `GET * HTTP/1.1\r\n${H}\r\n` },
  'target-too-long': { wire: `GET /${'a'.repeat(8200)} HTTP/1.1\r\n${H}\r\n` },
  'version-malformed': { wire: `GET / HTTP/1.1.1\r\n${H}\r\n` },
  'version-unsupported': { wire: `GET / HTTP/2.0\r\n${H}\r\n` },
  'status-line-malformed': { wire: 'HTTP/1.1 2000 OK\r\n\r\n', mode: 'response' },
  'empty-lines-too-many': { wire: '\r\n'.repeat(600), maxHeaderSize: 1024 },
  'header-section-too-large': {
    wire: `GET / HTTP/1.1\r\n${H}X: ${'a'.repeat(2000)}\r\n\r\n`,
    maxHeaderSize: 1024,
  },
  'field-no-colon': { wire: `GET / HTTP/1.1\r\n${H}NoColon\r\n\r\n` },
  'field-name-invalid': { wire: `GET / HTTP/1.1\r\n${H}X(y): 1\r\n\r\n` },
  'space-before-colon': { wire: `GET / HTTP/1.1\r\n${H}Transfer-Encoding : chunked\r\n\r\n` },
  'obs-fold': { wire: `GET / HTTP/1.1\r\n${H}X: a\r\n b\r\n\r\n` },
  'fold-without-field': { wire: 'HTTP/1.1 200 OK\r\n folded\r\n\r\n', mode: 'response' },
  'bare-cr': { wire: `GET / HTTP/1.1\r\n${H}X: a\rb\r\n\r\n` },
  'nul-in-field': { wire: `GET / HTTP/1.1\r\n${H}X: a\0b\r\n\r\n` },
  'host-missing': { wire: 'GET / HTTP/1.1\r\n\r\n' },
  'host-duplicate': { wire: `GET / HTTP/1.1\r\n${H}${H}\r\n` },
  'host-invalid': { wire: 'GET / HTTP/1.1\r\nHost: a b\r\n\r\n' },
  'te-with-content-length': {
    wire: `POST / HTTP/1.1\r\n${H}Content-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n`,
  },
  'te-invalid': { wire: `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked, "x"\r\n\r\n` },
  'te-chunked-not-last': {
    wire: `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked, gzip\r\n\r\n`,
  },
  'te-chunked-twice': {
    wire: `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n`,
  },
  'te-unsupported': { wire: `POST / HTTP/1.1\r\n${H}Transfer-Encoding: gzip, chunked\r\n\r\n` },
  'content-length-invalid': { wire: `POST / HTTP/1.1\r\n${H}Content-Length: +5\r\n\r\n` },
  'content-length-mismatch': {
    wire: `POST / HTTP/1.1\r\n${H}Content-Length: 5\r\nContent-Length: 6\r\n\r\n`,
  },
  'body-forbidden': {
    wire: 'HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\nhello',
    mode: 'response',
  },
  'body-too-large': { wire: `POST / HTTP/1.1\r\n${H}Content-Length: 999999999999\r\n\r\n` },
  'chunk-size-invalid': {
    wire: `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\n0x5\r\n`,
  },
  'chunk-ext-invalid': {
    wire: `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\n5;=x\r\n`,
  },
  'chunk-ext-too-large': {
    wire: `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\n5;a=${'b'.repeat(5000)}\r\n`,
  },
  'chunk-data-unterminated': {
    wire: `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\n3\r\nabcd\r\n`,
  },
  'trailer-section-too-large': {
    wire: `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\n0\r\nT: ${'x'.repeat(2000)}\r\n\r\n`,
    maxHeaderSize: 1024,
  },
};

function outcomeOf(sample: (typeof samples)[HTTP1RuleId]) {
  return feed([Buffer.from(sample.wire, 'latin1')], {
    mode: sample.mode ?? 'request',
    ...(sample.maxHeaderSize === undefined ? {} : { maxHeaderSize: sample.maxHeaderSize }),
  });
}

describe('HTTP1Parser rule table', () => {
  for (const [rule, entry] of Object.entries(HTTP1Rules)) {
    it(`rejects ${rule} with ${entry.status} (${entry.rfc})`, () => {
      const outcome = outcomeOf(samples[rule as HTTP1RuleId]);
      expect(outcome.error).toBeInstanceOf(HTTPInputError);
      const error = outcome.error as HTTPInputError;
      expect([error.rule, error.status, error.code]).toEqual([
        rule,
        entry.status,
        'ERR_HTTP_INPUT',
      ]);
      expect(error.message).toContain(entry.rfc);
      // A request rejected for its head never reaches the application.
      const bodyRule =
        rule.startsWith('chunk-') || rule.startsWith('trailer-') || rule === 'body-too-large';
      if (!samples[rule as HTTP1RuleId].mode && !bodyRule) expect(outcome.messages).toEqual([]);
    });
  }

  it('rejects more ways of smuggling a second request', () => {
    const cases: [string, string][] = [
      [`POST / HTTP/1.1\r\n${H}Content-Length: 1, 2\r\n\r\n`, 'content-length-mismatch'],
      [`POST / HTTP/1.1\r\n${H}Content-Length: 0x10\r\n\r\n`, 'content-length-invalid'],
      [`POST / HTTP/1.1\r\n${H}Content-Length: 1 0\r\n\r\n`, 'content-length-invalid'],
      [`POST / HTTP/1.1\r\n${H}Content-Length:\r\n\r\n`, 'content-length-invalid'],
      [`POST / HTTP/1.1\r\n${H}Transfer-Encoding: xchunked\r\n\r\n`, 'te-chunked-not-last'],
      [
        `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\nContent-Length: 0\r\n\r\n`,
        'te-with-content-length',
      ],
      [`POST / HTTP/1.1\r\n${H}Transfer-Encoding:\tchunked\r\n \r\n\r\n`, 'obs-fold'],
      [
        `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\n5\nhello\r\n0\r\n\r\n`,
        'chunk-size-invalid',
      ],
      [`POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\n-5\r\n`, 'chunk-size-invalid'],
      [
        `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\n5 \r\nhello\r\n`,
        'chunk-ext-invalid',
      ],
      [
        `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\nffffffffffffffffff\r\n`,
        'body-too-large',
      ],
      [
        `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\n0\r\n\n`,
        'chunk-data-unterminated',
      ],
      [
        `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\n0\r\nT: 1\n\r\n`,
        'chunk-data-unterminated',
      ],
      [`GET / HTTP/1.1\r\n${H}X:\0\r\n\r\n`, 'nul-in-field'],
      [`GET / HTTP/1.1\r\r\n${H}\r\n`, 'bare-cr'],
      ['GET / HTTP/1.1\r\nHost: a\r\nhost: b\r\n\r\n', 'host-duplicate'],
      ['GET / HTTP/1.1\r\nHost: a/b\r\n\r\n', 'host-invalid'],
      ['GET / HTTP/1.1\r\nHost: a@b\r\n\r\n', 'host-invalid'],
    ];
    for (const [wire, rule] of cases) {
      const outcome = feed([Buffer.from(`${wire}GET /smuggled HTTP/1.1\r\n${H}\r\n`, 'latin1')]);
      expect([JSON.stringify(wire), (outcome.error as HTTPInputError | undefined)?.rule]).toEqual([
        JSON.stringify(wire),
        rule,
      ]);
      expect(outcome.messages.map((m) => m.startLine)).not.toContain('GET /smuggled HTTP/1.1');
    }
  });

  it('accepts what a server MUST accept', () => {
    const accepted = [
      'GET http://example.com/a?b HTTP/1.1\r\nHost: example.com\r\n\r\n',
      'OPTIONS * HTTP/1.1\r\nHost: example.com\r\n\r\n',
      'CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n',
      'GET / HTTP/1.0\r\n\r\n',
      'GET / HTTP/1.1\r\nHost:\r\n\r\n',
      'GET / HTTP/1.1\r\nHost: [::1]:8080\r\n\r\n',
      'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n',
      'GET / HTTP/1.1\r\nHost: xn--bcher-kva.example\r\n\r\n',
      'PURGE /cache HTTP/1.1\r\nHost: a\r\n\r\n',
      'POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: ,chunked\r\n\r\n0\r\n\r\n',
      'POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: Chunked;x=1\r\n\r\n0\r\n\r\n',
      'POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 2,2\r\n\r\nab',
      'GET / HTTP/1.1\r\nHost: a\r\nX-Empty:\r\nX-Tab:\tv\t\r\nX-Obs: \xe9\xff\r\n\r\n',
    ];
    for (const wire of accepted) {
      const outcome = feed([Buffer.from(wire, 'latin1')]);
      expect([wire, outcome.error]).toEqual([wire, undefined]);
      expect(outcome.messages.map((m) => m.complete)).toEqual([true]);
    }
  });

  it('is documented rule by rule in the README', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    for (const [rule, entry] of Object.entries(HTTP1Rules)) {
      expect(readme).toMatch(new RegExp(`\\| \`${rule}\` \\| ${entry.status} \\|`));
    }
  });
});
