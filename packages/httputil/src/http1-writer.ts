/**
 * The writing half of the HTTP/1.1 codec, as pure functions: message heads, chunked body pieces,
 * and the decisions about how a body will be framed. A connection writes what these return.
 */
import { HTTPOutputError } from './errors.js';
import { isToken } from './header-name.js';
import type { HTTPHeaders } from './http-headers.js';
import type { RequestStartLine, ResponseStartLine } from './start-line.js';

// HTTPHeaders already refuses CR, LF and NUL; what can still not be written is a character
// outside Latin-1 (HTTP fields are octets; Tornado encodes them as Latin-1 too).
const NOT_LATIN1_RE = /[^\0-\xff]/;
// reason-phrase = 1*( HTAB / SP / VCHAR / obs-text ) (RFC 9112 §4).
// biome-ignore lint/suspicious/noControlCharactersInRegex: the class is the control characters.
const BAD_REASON_RE = /[\0-\x08\x0a-\x1f\x7f]/;
const BAD_TARGET_RE = /[\0-\x20\x7f]/;
/** The line end of HTTP/1.1. */
export const CRLF = Buffer.from('\r\n');

function headerLines(headers: HTTPHeaders): string {
  return headers.formatLines();
}

function checkLatin1(head: string): string {
  if (NOT_LATIN1_RE.test(head)) {
    throw new HTTPOutputError(
      'A header contains a character outside Latin-1; percent-encode or RFC 8187-encode it',
    );
  }
  return head;
}

function encodeHead(head: string): Buffer {
  return encodeMessage(head, undefined);
}

/**
 * A head (text made by {@link responseHeadText} or {@link requestHeadText}, so Latin-1) and the
 * first body bytes, in one buffer: one allocation and one write.
 */
export function encodeMessage(head: string, body: Uint8Array | undefined): Buffer {
  if (body === undefined || body.length === 0) return Buffer.from(head, 'latin1');
  // Latin-1 text is one byte a character.
  const message = Buffer.allocUnsafe(head.length + body.length);
  message.write(head, 0, 'latin1');
  message.set(body, head.length);
  return message;
}

/**
 * The bytes of a response head: `HTTP/1.1 code reason`, the header lines, and the empty line.
 * The start line's version is ignored (HTTP/1.1 is always written, as in Tornado).
 *
 * @throws {@link HTTPOutputError} for a code outside 100–999, a reason with control
 * characters, or a header that is not Latin-1.
 */
export function formatResponseHead(startLine: ResponseStartLine, headers: HTTPHeaders): Buffer {
  return encodeHead(responseHeadText(startLine, headers));
}

/**
 * The text of a response head ({@link formatResponseHead} before encoding, checked to be
 * Latin-1); the caller encodes it with {@link encodeMessage}.
 */
export function responseHeadText(startLine: ResponseStartLine, headers: HTTPHeaders): string {
  const { code, reason } = startLine;
  if (!Number.isInteger(code) || code < 100 || code > 999) {
    throw new HTTPOutputError(`Invalid status code ${code}; use a three-digit code`);
  }
  if (BAD_REASON_RE.test(reason)) {
    throw new HTTPOutputError(
      `Invalid reason phrase ${JSON.stringify(reason)}: control characters`,
    );
  }
  return checkLatin1(`HTTP/1.1 ${code} ${reason}\r\n${headerLines(headers)}\r\n`);
}

/**
 * The bytes of a request head: `method target HTTP/1.1`, the header lines, and the empty line.
 *
 * @throws {@link HTTPOutputError} for a method that is not a token, a target with spaces or
 * control characters, or a header that is not Latin-1.
 */
export function formatRequestHead(startLine: RequestStartLine, headers: HTTPHeaders): Buffer {
  return encodeHead(requestHeadText(startLine, headers));
}

/**
 * The text of a request head ({@link formatRequestHead} before encoding, checked to be
 * Latin-1); the caller encodes it with {@link encodeMessage}.
 */
export function requestHeadText(startLine: RequestStartLine, headers: HTTPHeaders): string {
  const { method, path } = startLine;
  if (!isToken(method)) throw new HTTPOutputError(`Invalid method ${JSON.stringify(method)}`);
  if (path.length === 0 || BAD_TARGET_RE.test(path)) {
    throw new HTTPOutputError(
      `Invalid request target ${JSON.stringify(path)}: percent-encode spaces and control characters`,
    );
  }
  return checkLatin1(`${method} ${path} HTTP/1.1\r\n${headerLines(headers)}\r\n`);
}

/**
 * One piece of a chunked body: hex size, CRLF, the bytes, CRLF. An empty piece gives an empty
 * buffer, since a zero-size chunk would end the body.
 */
export function formatChunk(piece: Uint8Array): Buffer {
  if (piece.length === 0) return Buffer.alloc(0);
  return Buffer.concat([chunkPrefix(piece.length), piece, CRLF]);
}

/** What comes before a chunk's bytes: its size in hex and CRLF. */
export function chunkPrefix(size: number): Buffer {
  return Buffer.from(`${size.toString(16)}\r\n`, 'latin1');
}

/** The end of a chunked body: the zero-size chunk, optional trailer fields, the empty line. */
export function formatLastChunk(trailers?: HTTPHeaders): Buffer {
  return encodeHead(checkLatin1(`0\r\n${trailers === undefined ? '' : headerLines(trailers)}\r\n`));
}

function declaredLength(headers: HTTPHeaders): number | undefined {
  const declared = headers.get('Content-Length');
  if (declared === undefined) return undefined;
  if (!/^[0-9]+$/.test(declared)) {
    throw new HTTPOutputError(`Invalid Content-Length ${JSON.stringify(declared)}; use digits`);
  }
  return Number(declared);
}

/** How a response body will be written; see {@link planResponseBody}. */
export interface ResponseBodyPlan {
  /** Write the body with the chunked transfer coding (and add `Transfer-Encoding: chunked`). */
  readonly chunked: boolean;
  /** Exactly how many body bytes must be written, or undefined when not fixed. */
  readonly expectedLength: number | undefined;
}

/**
 * Tornado's rules for a response body: chunked when the request was HTTP/1.1, not HEAD, the code
 * allows a body (not 1xx, 204 or 304), and the application set neither Content-Length nor
 * Transfer-Encoding. HEAD and 304 responses must carry 0 body bytes; with Content-Length,
 * exactly that many.
 *
 * @see Tornado `HTTP1Connection.write_headers` (server side)
 */
export function planResponseBody(
  request: RequestStartLine,
  response: ResponseStartLine,
  headers: HTTPHeaders,
): ResponseBodyPlan {
  const code = response.code;
  const chunked =
    request.version === 'HTTP/1.1' &&
    request.method !== 'HEAD' &&
    code !== 204 &&
    code !== 304 &&
    (code < 100 || code >= 200) &&
    !headers.has('Content-Length') &&
    !headers.has('Transfer-Encoding');
  const expectedLength = request.method === 'HEAD' || code === 304 ? 0 : declaredLength(headers);
  return { chunked, expectedLength };
}

/**
 * Tornado's rule for a request body written by a client: chunked for POST, PUT and PATCH
 * without Content-Length, unless another Transfer-Encoding was set.
 *
 * @see Tornado `HTTP1Connection.write_headers` (client side)
 */
export function planRequestBody(request: RequestStartLine, headers: HTTPHeaders): ResponseBodyPlan {
  const method = request.method;
  const te = headers.get('Transfer-Encoding');
  const chunked =
    (method === 'POST' || method === 'PUT' || method === 'PATCH') &&
    !headers.has('Content-Length') &&
    (te === undefined || te === 'chunked');
  return { chunked, expectedLength: declaredLength(headers) };
}
