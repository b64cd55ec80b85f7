/**
 * The first line of an HTTP/1 message: the request line (RFC 9112 §3) and the status line
 * (RFC 9112 §4), as immutable data classes, and their parsers.
 */
import { HTTPInputError } from './errors.js';
import { isToken } from './header-name.js';

/**
 * A request line: `method path version`, e.g. `GET /index.html HTTP/1.1`. `path` is the
 * request-target exactly as sent (origin-form with its query, absolute-form, authority-form or
 * `*`).
 *
 * @see Tornado `tornado.httputil.RequestStartLine`
 */
export class RequestStartLine {
  readonly method: string;
  readonly path: string;
  readonly version: string;

  constructor(method: string, path: string, version: string) {
    this.method = method;
    this.path = path;
    this.version = version;
  }

  /** The line as sent, without its CRLF. */
  toString(): string {
    return `${this.method} ${this.path} ${this.version}`;
  }
}

/**
 * A status line: `version code reason`, e.g. `HTTP/1.1 404 Not Found`.
 *
 * @see Tornado `tornado.httputil.ResponseStartLine`
 */
export class ResponseStartLine {
  readonly version: string;
  readonly code: number;
  readonly reason: string;

  constructor(version: string, code: number, reason: string) {
    this.version = version;
    this.code = code;
    this.reason = reason;
  }

  /** The line as sent, without its CRLF. */
  toString(): string {
    return `${this.version} ${this.code} ${this.reason}`;
  }
}

const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;

function isDigit(code: number): boolean {
  return code >= DIGIT_0 && code <= DIGIT_9;
}

/**
 * Checks `HTTP/d.d` (RFC 9112 §2.3; the name is case-sensitive): returns normally for HTTP/1.x,
 * throws 505 for another major version and 400 for anything else.
 */
export function checkHTTPVersion(version: string): void {
  if (
    version.length !== 8 ||
    !version.startsWith('HTTP/') ||
    !isDigit(version.charCodeAt(5)) ||
    version.charCodeAt(6) !== 0x2e ||
    !isDigit(version.charCodeAt(7))
  ) {
    throw HTTPInputError.fromRule('version-malformed', JSON.stringify(version));
  }
  if (version.charCodeAt(5) !== 0x31) {
    throw HTTPInputError.fromRule('version-unsupported', version);
  }
}

// Bytes a request-target never contains: CTLs, SP and DEL (RFC 9112 §3.2; RFC 3986 §2).
// biome-ignore lint/suspicious/noControlCharactersInRegex: the class is the control characters.
const TARGET_FORBIDDEN_RE = /[\x00-\x20\x7f]/;
const SCHEME_RE = /^[A-Za-z][A-Za-z0-9+.-]*:/;
// authority-form = uri-host ":" port (RFC 9112 §3.2.3), with an IP-literal allowed as host.
const AUTHORITY_FORM_RE =
  /^(?:\[[0-9A-Za-z:._~%!$&'()*+,;=-]+\]|[0-9A-Za-z._~%!$&'()*+,;=-]+):[0-9]+$/;

/** The four forms of request-target (RFC 9112 §3.2). */
export type RequestTargetForm = 'origin' | 'absolute' | 'authority' | 'asterisk';

/**
 * Which form `target` has: `/…` origin-form, `scheme:…` absolute-form, `host:port`
 * authority-form (only with CONNECT) or `*` asterisk-form; `undefined` for none.
 */
export function requestTargetForm(method: string, target: string): RequestTargetForm | undefined {
  if (method === 'CONNECT') return AUTHORITY_FORM_RE.test(target) ? 'authority' : undefined;
  const first = target.charCodeAt(0);
  if (first === 0x2f) return 'origin';
  if (target === '*') return 'asterisk';
  if (SCHEME_RE.test(target)) return 'absolute';
  return undefined;
}

// Methods known to be tokens, checked without the token regex.
const COMMON_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH']);

/**
 * Parses a request line (without its line terminator) into a {@link RequestStartLine}.
 *
 * Tornado's rules (exactly three parts separated by single spaces; version `HTTP/1.x`) plus
 * RFC 9112's: the method is a token; the target has no control characters and is origin-form,
 * absolute-form, authority-form for CONNECT, or `*` for OPTIONS. A version with another major
 * number is an {@link HTTPInputError} with status 505; every other failure has status 400.
 *
 * @see Tornado `tornado.httputil.parse_request_start_line`
 */
export function parseRequestStartLine(line: string): RequestStartLine {
  const sp1 = line.indexOf(' ');
  const sp2 = sp1 === -1 ? -1 : line.indexOf(' ', sp1 + 1);
  if (sp2 === -1 || line.indexOf(' ', sp2 + 1) !== -1) {
    throw HTTPInputError.fromRule('start-line-malformed', JSON.stringify(line.slice(0, 100)));
  }
  const method = line.slice(0, sp1);
  const target = line.slice(sp1 + 1, sp2);
  const version = line.slice(sp2 + 1);
  checkHTTPVersion(version);
  if (!COMMON_METHODS.has(method) && !isToken(method)) {
    throw HTTPInputError.fromRule('method-invalid', JSON.stringify(method.slice(0, 100)));
  }
  if (target.length === 0 || TARGET_FORBIDDEN_RE.test(target)) {
    throw HTTPInputError.fromRule('target-invalid', JSON.stringify(target.slice(0, 100)));
  }
  const form = requestTargetForm(method, target);
  if (form === undefined || (form === 'asterisk' && method !== 'OPTIONS')) {
    throw HTTPInputError.fromRule(
      'target-invalid',
      `${JSON.stringify(target.slice(0, 100))} is not a valid target for ${method}`,
    );
  }
  return new RequestStartLine(method, target, version);
}

/**
 * Parses a status line (without its line terminator) into a {@link ResponseStartLine}:
 * `HTTP/1.x`, a space, three digits, then an optional space and reason phrase (RFC 9112 §4; a
 * missing reason is accepted, as clients should ignore it).
 *
 * @see Tornado `tornado.httputil.parse_response_start_line`
 */
export function parseResponseStartLine(line: string): ResponseStartLine {
  const sp1 = line.indexOf(' ');
  if (sp1 === -1) {
    throw HTTPInputError.fromRule('status-line-malformed', JSON.stringify(line.slice(0, 100)));
  }
  const version = line.slice(0, sp1);
  checkHTTPVersion(version);
  const c0 = line.charCodeAt(sp1 + 1);
  const c1 = line.charCodeAt(sp1 + 2);
  const c2 = line.charCodeAt(sp1 + 3);
  const after = sp1 + 4;
  if (
    !isDigit(c0) ||
    !isDigit(c1) ||
    !isDigit(c2) ||
    (after < line.length && line.charCodeAt(after) !== 0x20)
  ) {
    throw HTTPInputError.fromRule('status-line-malformed', JSON.stringify(line.slice(0, 100)));
  }
  const code = (c0 - DIGIT_0) * 100 + (c1 - DIGIT_0) * 10 + (c2 - DIGIT_0);
  return new ResponseStartLine(version, code, line.slice(after + 1));
}
