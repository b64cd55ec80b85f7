// Start lines: Tornado's ParseRequestStartLineTest and the RFC 9112 §3/§4 rules.
import {
  HTTPInputError,
  parseRequestStartLine,
  parseResponseStartLine,
  RequestStartLine,
  ResponseStartLine,
  requestTargetForm,
} from '@tronada/httputil';
import { describe, expect, it } from 'vitest';

function errorOf(fn: () => unknown): HTTPInputError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(HTTPInputError);
    return error as HTTPInputError;
  }
  return expect.unreachable('expected an HTTPInputError');
}

describe('parseRequestStartLine (Tornado ParseRequestStartLineTest)', () => {
  it('splits method, path and version (test_parse_request_start_line)', () => {
    const line = parseRequestStartLine('GET /foo HTTP/1.1');
    expect(line).toBeInstanceOf(RequestStartLine);
    expect(line.method).toBe('GET');
    expect(line.path).toBe('/foo');
    expect(line.version).toBe('HTTP/1.1');
    expect(String(line)).toBe('GET /foo HTTP/1.1');
  });
});

describe('parseRequestStartLine', () => {
  it('accepts every request-target form with its method (RFC 9112 §3.2)', () => {
    expect(parseRequestStartLine('GET http://example.com/a?b HTTP/1.1').path).toBe(
      'http://example.com/a?b',
    );
    expect(parseRequestStartLine('OPTIONS * HTTP/1.1').path).toBe('*');
    expect(parseRequestStartLine('CONNECT example.com:443 HTTP/1.1').path).toBe('example.com:443');
    expect(parseRequestStartLine('CONNECT [::1]:8080 HTTP/1.1').path).toBe('[::1]:8080');
    expect(parseRequestStartLine('GET //doubleslash HTTP/1.0').path).toBe('//doubleslash');
    expect(parseRequestStartLine('BREW /pot HTTP/1.1').method).toBe('BREW');
    expect(requestTargetForm('GET', '/a')).toBe('origin');
    expect(requestTargetForm('GET', 'https://x/')).toBe('absolute');
    expect(requestTargetForm('OPTIONS', '*')).toBe('asterisk');
    expect(requestTargetForm('CONNECT', 'h:1')).toBe('authority');
    expect(requestTargetForm('GET', 'relative')).toBeUndefined();
  });

  it('rejects malformed lines with 400, naming the rule', () => {
    const cases: [string, string][] = [
      ['asdf', 'start-line-malformed'],
      ['GET /', 'start-line-malformed'],
      ['GET  / HTTP/1.1', 'start-line-malformed'],
      ['GET / HTTP/1.1 ', 'start-line-malformed'],
      ['GET /a b HTTP/1.1', 'start-line-malformed'],
      ['GET / http/1.1', 'version-malformed'],
      ['GET / HTTP/1.10', 'version-malformed'],
      ['GET / HTTP/1', 'version-malformed'],
      ['G(T / HTTP/1.1', 'method-invalid'],
      ['GET /a\tb HTTP/1.1', 'target-invalid'],
      ['GET /a\x7f HTTP/1.1', 'target-invalid'],
      ['GET * HTTP/1.1', 'target-invalid'],
      ['GET relative HTTP/1.1', 'target-invalid'],
      ['CONNECT /path HTTP/1.1', 'target-invalid'],
    ];
    for (const [line, rule] of cases) {
      const error = errorOf(() => parseRequestStartLine(line));
      expect([line, error.rule, error.status]).toEqual([line, rule, 400]);
    }
    expect(errorOf(() => parseRequestStartLine('asdf')).message).toMatch(
      /Malformed HTTP request line/,
    );
  });

  it('answers another HTTP major version with 505', () => {
    for (const version of ['HTTP/2.0', 'HTTP/0.9', 'HTTP/3.0']) {
      const error = errorOf(() => parseRequestStartLine(`GET / ${version}`));
      expect([error.status, error.rule]).toEqual([505, 'version-unsupported']);
    }
    expect(parseRequestStartLine('GET / HTTP/1.2').version).toBe('HTTP/1.2');
  });
});

describe('parseResponseStartLine', () => {
  it('splits version, numeric code and reason', () => {
    const line = parseResponseStartLine('HTTP/1.1 200 OK');
    expect(line).toBeInstanceOf(ResponseStartLine);
    expect([line.version, line.code, line.reason]).toEqual(['HTTP/1.1', 200, 'OK']);
    expect(parseResponseStartLine('HTTP/1.0 404 Not Found').reason).toBe('Not Found');
    expect(parseResponseStartLine('HTTP/1.1 204 ').reason).toBe('');
    expect(parseResponseStartLine('HTTP/1.1 204').reason).toBe('');
    expect(String(parseResponseStartLine('HTTP/1.1 500 Oops'))).toBe('HTTP/1.1 500 Oops');
  });

  it('rejects anything but HTTP/1.x SP 3DIGIT', () => {
    for (const line of [
      'HTTP/1.1',
      'HTTP/1.1 20 OK',
      'HTTP/1.1 2000 OK',
      'HTTP/1.1 abc OK',
      'ICY 200 OK',
      'HTTP/1.1  200 OK',
    ]) {
      const error = errorOf(() => parseResponseStartLine(line));
      expect(['status-line-malformed', 'version-malformed']).toContain(error.rule);
    }
    expect(errorOf(() => parseResponseStartLine('HTTP/2 200 OK')).rule).toBe('version-malformed');
    expect(errorOf(() => parseResponseStartLine('HTTP/2.0 200 OK')).status).toBe(505);
  });
});
