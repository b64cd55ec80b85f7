/**
 * The error classes of `@tronada/httputil`.
 */
import { TronadaError } from '@tronada/ioloop';
import { type HTTP1RuleId, HTTP1Rules } from './http1-rules.js';

/**
 * The statuses an {@link HTTPInputError} can ask the responder to send: 400 Bad Request, 413
 * Content Too Large, 414 URI Too Long, 431 Request Header Fields Too Large, 501 Not Implemented
 * (an unknown transfer coding) and 505 HTTP Version Not Supported.
 */
export type HTTPInputStatus = 400 | 413 | 414 | 431 | 501 | 505;

/** Options of {@link HTTPInputError}. */
export interface HTTPInputErrorOptions {
  /** The status a server should answer with; 400 unless given. */
  status?: HTTPInputStatus;
  /**
   * Which check failed: an id of {@link HTTP1Rules} for the HTTP/1 parser, or another stable
   * name (`form-body`, `multipart`, `header-line`). `malformed` unless given.
   */
  rule?: string;
  cause?: unknown;
}

/**
 * Malformed HTTP input from a peer: a request or response the parser rejects, or a form body
 * that cannot be parsed.
 *
 * `status` says what a server should answer (see {@link HTTPInputStatus}) and `rule` names the
 * check that failed, so a responder never has to parse the message. A server answers `status`
 * and closes the connection.
 *
 * @see Tornado `tornado.httputil.HTTPInputError`
 */
export class HTTPInputError extends TronadaError {
  override readonly name = 'HTTPInputError';
  readonly code = 'ERR_HTTP_INPUT';
  /** The status a server should answer with. */
  readonly status: HTTPInputStatus;
  /** The check that failed (stable; see {@link HTTP1Rules} for the parser's). */
  readonly rule: string;

  constructor(message: string, options: HTTPInputErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.status = options.status ?? 400;
    this.rule = options.rule ?? 'malformed';
  }

  /**
   * The error for a failed check of the HTTP/1 rule table, with the rule's status and a message
   * that names the RFC section; `detail` says what was received.
   */
  static fromRule(rule: HTTP1RuleId, detail?: string): HTTPInputError {
    const entry = HTTP1Rules[rule];
    const suffix = detail === undefined ? '' : `: ${detail}`;
    return new HTTPInputError(`${entry.message}${suffix} (${entry.rfc})`, {
      status: entry.status,
      rule,
    });
  }
}

/** Throws the {@link HTTPInputError} of a failed rule (see {@link HTTPInputError.fromRule}). */
export function failRule(rule: HTTP1RuleId, detail?: string): never {
  throw HTTPInputError.fromRule(rule, detail);
}

/**
 * An application tried to write something HTTP cannot carry: more or fewer body bytes than the
 * `Content-Length` it declared, a status line or request line with invalid characters, or a
 * header that cannot be encoded as Latin-1.
 *
 * @see Tornado `tornado.httputil.HTTPOutputError`
 */
export class HTTPOutputError extends TronadaError {
  override readonly name = 'HTTPOutputError';
  readonly code = 'ERR_HTTP_OUTPUT';
}

/**
 * A header name that is not an HTTP token, or a value that contains CR, LF or NUL, was given to
 * {@link HTTPHeaders}. Such a header could split the message it is written into (header
 * injection), so it is refused when it is added rather than when it is written.
 */
export class InvalidHeaderError extends TronadaError {
  override readonly name = 'InvalidHeaderError';
  readonly code = 'ERR_INVALID_HEADER';
  /** The offending header name, as given. */
  readonly headerName: string;

  constructor(headerName: string, message: string) {
    super(message);
    this.headerName = headerName;
  }
}
