/**
 * The head of an HTTP/1 message (start line and header section), parsed from text that was
 * decoded from bytes in one call. Pure functions; `HTTP1Parser` finds where a head is and calls
 * these.
 *
 * Lines end at LF, with a CR before it when there is one (RFC 9112 §2.2). Line ends, colons, CR
 * and NUL are found with native `indexOf`; bytes are compared through the buffer the text came
 * from (`data[base + i]` is the byte of `text[i]`), because typed-array loads are much cheaper
 * than `charCodeAt` in V8; strings are only sliced.
 */
import { failRule as fail } from './errors.js';
import { normalizeTokenName } from './header-name.js';
import {
  addTrustedHeader,
  compactHeaders,
  foldTrustedHeader,
  HTTPHeaders,
} from './http-headers.js';
import { knownHeaderName } from './known-header-names.js';
import {
  parseRequestStartLine,
  parseResponseStartLine,
  type RequestStartLine,
  type ResponseStartLine,
} from './start-line.js';

const LF = 0x0a;
const CR = 0x0d;
const SP = 0x20;
const HTAB = 0x09;

/** Buffer's own Latin-1 decoder, without `toString`'s argument handling (undici uses it too). */
interface Latin1Slicer {
  latin1Slice(start: number, end: number): string;
}

/** data[start, end) decoded as Latin-1 (each byte one character). */
export function latin1(data: Buffer, start: number, end: number): string {
  return (data as unknown as Latin1Slicer).latin1Slice(start, end);
}

function isOWS(c: number): boolean {
  return c === SP || c === HTAB;
}

/** The length of the head at the start of `text` through its first empty line, or -1. */
export function headLength(text: string): number {
  for (let pos = 0; ; ) {
    const lf = text.indexOf('\n', pos);
    if (lf === -1) return -1;
    const c = text.charCodeAt(lf + 1);
    if (c === LF) return lf + 2;
    if (c === CR && text.charCodeAt(lf + 2) === LF) return lf + 3;
    pos = lf + 1;
  }
}

/** Throws 414 (request) or 400 (response) when a start line is longer than `max`. */
export function checkStartLineSize(length: number, max: number, request: boolean): void {
  if (length > max) fail(request ? 'target-too-long' : 'status-line-malformed', `${length} bytes`);
}

/** A parsed head: its start line, its fields, and its length in bytes (through the empty line). */
export interface ParsedHead {
  readonly startLine: RequestStartLine | ResponseStartLine;
  readonly headers: HTTPHeaders;
  readonly length: number;
}

/**
 * Parses the head at the start of `text` (decoded from `data` at `base`): a request head when
 * `request`, else a response head. With `partial`, `text` may end before the head does: then
 * `undefined` is returned. Throws {@link HTTPInputError} for every rule of the head.
 */
export function parseHead(
  data: Buffer,
  base: number,
  text: string,
  partial: boolean,
  request: boolean,
  maxStartLine: number,
): ParsedHead | undefined {
  const firstLF = text.indexOf('\n');
  if (firstLF === -1) {
    if (partial) return undefined;
    fail('start-line-malformed');
  }
  // Limits first, in the order the incremental path meets them.
  checkStartLineSize(firstLF, maxStartLine, request);
  const nul = text.indexOf('\0');
  if (nul !== -1) {
    const length = headLength(text);
    if (length === -1 || nul < length) fail('nul-in-field');
  }
  // `cr` is the next CR at or after the current line; one before the line's LF - 1 is a bare
  // CR (RFC 9112 §2.2).
  let cr = text.indexOf('\r');
  if (cr === -1) cr = text.length;
  let lineEnd = firstLF;
  if (cr < firstLF) {
    if (cr !== firstLF - 1) fail('bare-cr');
    lineEnd = cr;
  }
  const startText = text.slice(0, lineEnd);
  const startLine = request ? parseRequestStartLine(startText) : parseResponseStartLine(startText);
  const headers = new HTTPHeaders();
  let pos = firstLF + 1;
  for (;;) {
    const lf = text.indexOf('\n', pos);
    if (lf === -1) {
      if (partial) return undefined;
      fail('header-section-too-large');
    }
    if (cr < pos) {
      cr = text.indexOf('\r', pos);
      if (cr === -1) cr = text.length;
    }
    let le = lf;
    if (cr < lf) {
      if (cr !== lf - 1) fail('bare-cr');
      le = cr;
    }
    if (le === pos) {
      compactHeaders(headers);
      return { startLine, headers, length: lf + 1 };
    }
    parseFieldLine(data, base, text, pos, le, headers, request);
    pos = lf + 1;
  }
}

/**
 * Parses the field line text[pos, le) into `headers`: `name: value` with the name a token and
 * OWS trimmed from the value. A request rejects obs-fold and whitespace before the colon; a
 * response unfolds and removes them (RFC 9112 §5.1, §5.2).
 */
export function parseFieldLine(
  data: Uint8Array,
  base: number,
  text: string,
  pos: number,
  le: number,
  headers: HTTPHeaders,
  request: boolean,
): void {
  const first = data[base + pos]!;
  if (first === SP || first === HTAB) {
    if (request) fail('obs-fold');
    const part = ` ${trimBytes(data, base, text, pos, le)}`;
    if (!foldTrustedHeader(headers, part)) fail('fold-without-field');
    return;
  }
  const colon = text.indexOf(':', pos);
  if (colon === -1 || colon > le) {
    fail('field-no-colon', JSON.stringify(text.slice(pos, Math.min(le, pos + 100))));
  }
  let nameEnd = colon;
  if (isOWS(data[base + nameEnd - 1]!)) {
    // A server MUST reject; a proxy (and we, as a client) removes the whitespace.
    if (request) fail('space-before-colon');
    while (nameEnd > pos && isOWS(data[base + nameEnd - 1]!)) nameEnd--;
  }
  const name =
    knownHeaderName(data, base + pos, base + nameEnd) ??
    normalizeTokenName(text.slice(pos, nameEnd));
  if (name === undefined) {
    fail('field-name-invalid', JSON.stringify(text.slice(pos, Math.min(nameEnd, pos + 100))));
  }
  addTrustedHeader(headers, name, trimBytes(data, base, text, colon + 1, le));
}

/** text[start, end) without leading and trailing OWS, judged on the bytes behind `text`. */
function trimBytes(
  data: Uint8Array,
  base: number,
  text: string,
  start: number,
  end: number,
): string {
  while (start < end && isOWS(data[base + start]!)) start++;
  while (end > start && isOWS(data[base + end - 1]!)) end--;
  return text.slice(start, end);
}
