/**
 * Message body length (RFC 9112 §6.3) and the request checks that must pass before a request is
 * handed to an application (Host, RFC 9112 §3.2). Pure functions over a parsed start line and
 * header section; {@link HTTP1Parser} calls them once per message, and a connection can call them
 * to explain a decision.
 */
import { HTTPInputError } from './errors.js';
import { firstHeaderValue, type HTTPHeaders, headerLineCount, trimOWS } from './http-headers.js';
import type { RequestStartLine, ResponseStartLine } from './start-line.js';

/**
 * How the body of a message is delimited: `none` (no body), `fixed` (Content-Length bytes),
 * `chunked` (the chunked transfer coding) or `until-close` (a response read until the
 * connection closes).
 */
export type BodyFraming = 'none' | 'fixed' | 'chunked' | 'until-close';

/** The outcome of {@link requestFraming} or {@link responseFraming}. */
export interface FramingDecision {
  readonly framing: BodyFraming;
  /** The declared Content-Length for `fixed`, else -1. */
  readonly contentLength: number;
  /**
   * True when RFC 9112 requires closing the connection after this message: Transfer-Encoding in
   * an HTTP/1.0 message (§6.1), or a body read until close.
   */
  readonly closeAfter: boolean;
}

const NONE: FramingDecision = { framing: 'none', contentLength: -1, closeAfter: false };
const CHUNKED: FramingDecision = { framing: 'chunked', contentLength: -1, closeAfter: false };
const CHUNKED_CLOSE: FramingDecision = { framing: 'chunked', contentLength: -1, closeAfter: true };
const UNTIL_CLOSE: FramingDecision = {
  framing: 'until-close',
  contentLength: -1,
  closeAfter: true,
};

// uri-host [ ":" port ] (RFC 9110 §7.2, RFC 3986 §3.2.2): an IP-literal in brackets or a
// reg-name / IPv4address (unreserved, pct-encoded, sub-delims). The character classes exclude
// ':' so the match is linear. An empty value is valid (a target without authority).
const HOST_RE = /^(?:\[[0-9A-Za-z:._~%!$&'()*+,;=-]+\]|[0-9A-Za-z._~%!$&'()*+,;=-]*)(?::[0-9]*)?$/;

/**
 * True when `value` is a valid Host field value: `uri-host [ ":" port ]`, possibly empty.
 */
export function isValidHost(value: string): boolean {
  return HOST_RE.test(value);
}

/**
 * The Host checks of RFC 9112 §3.2: an HTTP/1.1 request must have exactly one Host line and any
 * request's Host must be `uri-host [ ":" port ]`. Throws {@link HTTPInputError} (400) otherwise.
 */
export function checkRequestHost(start: RequestStartLine, headers: HTTPHeaders): void {
  const count = headerLineCount(headers, 'Host');
  if (count === 0) {
    // HTTP/1.0 clients may omit Host; every HTTP/1.1 (and later 1.x) client MUST send it.
    if (start.version !== 'HTTP/1.0') throw HTTPInputError.fromRule('host-missing');
    return;
  }
  if (count > 1) throw HTTPInputError.fromRule('host-duplicate');
  const host = firstHeaderValue(headers, 'Host')!;
  if (!isValidHost(host)) {
    throw HTTPInputError.fromRule('host-invalid', JSON.stringify(host.slice(0, 100)));
  }
}

/** The largest Content-Length we represent exactly; anything longer is "too large" anyway. */
const MAX_DIGITS = 15;

/**
 * Parses the Content-Length field lines: each a comma-separated list of decimal numbers, all
 * equal (RFC 9112 §6.3 item 5: `5, 5` is accepted as 5, `5, 6` is not). Returns the length, or
 * `Infinity` for a number too large to represent (which every body limit rejects).
 */
export function parseContentLength(lines: readonly string[]): number {
  // The usual case, one line of digits only: no list splitting, trimming or regex.
  if (lines.length === 1) {
    const only = lines[0]!;
    const n = only.length;
    let i = 0;
    while (i < n) {
      const c = only.charCodeAt(i);
      if (c < 0x30 || c > 0x39) break;
      i++;
    }
    if (i === n && n > 0 && n <= MAX_DIGITS) return Number(only);
  }
  let result = -1;
  let first: string | undefined;
  for (const line of lines) {
    for (const raw of line.split(',')) {
      const element = trimOWS(raw);
      // RFC 9110 §5.6.1.2: a recipient ignores empty list elements.
      if (element.length === 0) continue;
      for (let i = 0; i < element.length; i++) {
        const c = element.charCodeAt(i);
        if (c < 0x30 || c > 0x39) {
          throw HTTPInputError.fromRule(
            'content-length-invalid',
            JSON.stringify(line.slice(0, 40)),
          );
        }
      }
      const digits = element.replace(/^0+(?=.)/, '');
      if (first === undefined) {
        first = digits;
        result = digits.length > MAX_DIGITS ? Number.POSITIVE_INFINITY : Number(digits);
      } else if (digits !== first) {
        throw HTTPInputError.fromRule('content-length-mismatch', JSON.stringify(lines.join(', ')));
      }
    }
  }
  if (first === undefined) throw HTTPInputError.fromRule('content-length-invalid', '(empty)');
  return result;
}

const TCHARS_RE = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * Parses the Transfer-Encoding field lines into lower-cased coding names (parameters dropped),
 * ignoring empty list elements. Throws 400 when a coding is not a token or none is given.
 */
export function parseTransferCodings(lines: readonly string[]): string[] {
  const codings: string[] = [];
  for (const line of lines) {
    for (const raw of line.split(',')) {
      const semi = raw.indexOf(';');
      const name = trimOWS(semi === -1 ? raw : raw.slice(0, semi));
      if (name.length === 0 && semi === -1) continue;
      if (!TCHARS_RE.test(name)) {
        throw HTTPInputError.fromRule('te-invalid', JSON.stringify(line.slice(0, 100)));
      }
      codings.push(name.toLowerCase());
    }
  }
  if (codings.length === 0) throw HTTPInputError.fromRule('te-invalid', '(empty)');
  return codings;
}

/**
 * Checks the codings of a message that will be read as chunked: `chunked` exactly once and
 * last, and no other coding (we implement none; RFC 9112 §6.1 asks for 501).
 */
function checkChunkedCodings(codings: readonly string[]): void {
  let chunked = 0;
  for (const c of codings) if (c === 'chunked') chunked++;
  if (chunked > 1) throw HTTPInputError.fromRule('te-chunked-twice');
  if (codings.length > 1) {
    const other = codings.find((c) => c !== 'chunked');
    throw HTTPInputError.fromRule('te-unsupported', JSON.stringify(other));
  }
}

/**
 * How a request's body is delimited (RFC 9112 §6.3): Transfer-Encoding whose last coding is
 * chunked, else Content-Length, else no body. Rejects (400) both together, a final coding that is
 * not chunked, chunked twice, and an invalid or disagreeing Content-Length; 501 for a coding
 * other than chunked. An HTTP/1.0 request with Transfer-Encoding is read as chunked and the
 * connection must then close (§6.1).
 */
export function requestFraming(start: RequestStartLine, headers: HTTPHeaders): FramingDecision {
  const hasTE = headerLineCount(headers, 'Transfer-Encoding') > 0;
  const hasCL = headerLineCount(headers, 'Content-Length') > 0;
  if (hasTE) {
    if (hasCL) throw HTTPInputError.fromRule('te-with-content-length');
    const codings = parseTransferCodings(headers.getList('Transfer-Encoding'));
    if (codings[codings.length - 1] !== 'chunked') {
      throw HTTPInputError.fromRule('te-chunked-not-last', JSON.stringify(codings.join(', ')));
    }
    checkChunkedCodings(codings);
    return start.version === 'HTTP/1.0' ? CHUNKED_CLOSE : CHUNKED;
  }
  if (hasCL) {
    const length = parseContentLength(headers.getList('Content-Length'));
    return { framing: 'fixed', contentLength: length, closeAfter: false };
  }
  return NONE;
}

/**
 * How a response's body is delimited (RFC 9112 §6.3, with Tornado's checks): none for a HEAD
 * request (`bodyExpected` false), 1xx, 204 and 304; chunked when the last coding is chunked;
 * read until close when another coding is last or neither header is present; else
 * Content-Length. A 1xx with Content-Length or Transfer-Encoding, and a 204 with
 * Transfer-Encoding or a non-zero Content-Length, are errors.
 */
export function responseFraming(
  start: ResponseStartLine,
  headers: HTTPHeaders,
  bodyExpected: boolean,
): FramingDecision {
  const code = start.code;
  if (!bodyExpected || code === 304) return NONE;
  const hasTE = headerLineCount(headers, 'Transfer-Encoding') > 0;
  const hasCL = headerLineCount(headers, 'Content-Length') > 0;
  if (code >= 100 && code < 200) {
    if (hasTE || hasCL) throw HTTPInputError.fromRule('body-forbidden', `status ${code}`);
    return NONE;
  }
  if (hasTE && hasCL) throw HTTPInputError.fromRule('te-with-content-length');
  if (hasTE) {
    if (code === 204) throw HTTPInputError.fromRule('body-forbidden', 'status 204');
    const codings = parseTransferCodings(headers.getList('Transfer-Encoding'));
    // A response whose final coding is not chunked is read until close (RFC 9112 §6.3 item 4).
    if (codings[codings.length - 1] !== 'chunked') return UNTIL_CLOSE;
    checkChunkedCodings(codings);
    return start.version === 'HTTP/1.0' ? CHUNKED_CLOSE : CHUNKED;
  }
  if (hasCL) {
    const length = parseContentLength(headers.getList('Content-Length'));
    if (code === 204 && length !== 0) {
      throw HTTPInputError.fromRule('body-forbidden', 'status 204');
    }
    return { framing: 'fixed', contentLength: length, closeAfter: false };
  }
  return code === 204 ? NONE : UNTIL_CLOSE;
}
