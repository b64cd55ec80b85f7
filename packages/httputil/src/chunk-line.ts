/**
 * The chunk-size line of the chunked transfer coding (RFC 9112 §7.1, §7.1.1):
 * `1*HEXDIG *( BWS ";" BWS token [ BWS "=" BWS ( token / quoted-string ) ] )`, validated on the
 * bytes and with the extensions ignored, as the RFC asks of a recipient that does not know them.
 */
import { failRule as fail } from './errors.js';

const SP = 0x20;
const HTAB = 0x09;
const SEMI = 0x3b;
const EQ = 0x3d;
const DQUOTE = 0x22;
const BACKSLASH = 0x5c;

/** The longest chunk-size line (size and extensions, without CRLF) we read. */
export const MAX_CHUNK_LINE = 4096;

// tchar (RFC 9110 §5.6.2) as a byte table.
const TCHAR = new Uint8Array(256);
for (const c of "!#$%&'*+-.^_`|~") TCHAR[c.charCodeAt(0)] = 1;
for (let c = 0x30; c <= 0x39; c++) TCHAR[c] = 1;
for (let c = 0x41; c <= 0x5a; c++) TCHAR[c] = 1;
for (let c = 0x61; c <= 0x7a; c++) TCHAR[c] = 1;

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  const l = c | 0x20;
  if (l >= 0x61 && l <= 0x66) return l - 0x61 + 10;
  return -1;
}

function isOWS(c: number): boolean {
  return c === SP || c === HTAB;
}

function skipOWS(data: Uint8Array, i: number, end: number): number {
  while (i < end && isOWS(data[i]!)) i++;
  return i;
}

/** Skips a quoted-string starting at data[i] (a DQUOTE); returns the index after it. */
function skipQuotedString(data: Uint8Array, i: number, end: number): number {
  i++;
  while (i < end) {
    const c = data[i]!;
    if (c === DQUOTE) return i + 1;
    if (c === BACKSLASH) {
      const q = data[i + 1];
      if (i + 1 >= end || q === undefined || (q < 0x20 && q !== HTAB) || q === 0x7f) break;
      i += 2;
      continue;
    }
    if ((c < 0x20 && c !== HTAB) || c === 0x7f) break;
    i++;
  }
  return fail('chunk-ext-invalid', 'unterminated or invalid quoted string');
}

/** A parsed chunk-size line. */
export interface ChunkLine {
  /** The chunk's size in bytes. */
  readonly size: number;
  /** How many bytes its extensions took (counted against a per-message limit). */
  readonly extensionBytes: number;
}

/**
 * Parses the chunk-size line data[start, end) (without its CRLF). Throws
 * {@link HTTPInputError}: 400 for a size that is not plain hex or malformed extensions, 413 for
 * a size beyond 2^52 (larger than any body limit).
 */
export function parseChunkLine(data: Uint8Array, start: number, end: number): ChunkLine {
  let i = start;
  while (i < end && data[i] === 0x30) i++;
  let size = 0;
  let digits = 0;
  for (; i < end; i++) {
    const v = hexValue(data[i]!);
    if (v < 0) break;
    size = size * 16 + v;
    digits++;
  }
  if (i === start) fail('chunk-size-invalid', 'no hex digits');
  if (digits > 13) fail('body-too-large', 'chunk size too large');
  if (i === end) return { size, extensionBytes: 0 };
  const c = data[i]!;
  if (c !== SEMI && !isOWS(c)) fail('chunk-size-invalid', `unexpected byte 0x${c.toString(16)}`);
  const extensionBytes = end - i;
  while (i < end) {
    i = skipOWS(data, i, end);
    if (i >= end || data[i] !== SEMI) fail('chunk-ext-invalid');
    i = skipOWS(data, i + 1, end);
    const nameStart = i;
    while (i < end && TCHAR[data[i]!] === 1) i++;
    if (i === nameStart) fail('chunk-ext-invalid', 'empty extension name');
    const afterName = skipOWS(data, i, end);
    if (afterName < end && data[afterName] === EQ) {
      i = skipOWS(data, afterName + 1, end);
      if (i < end && data[i] === DQUOTE) {
        i = skipQuotedString(data, i, end);
      } else {
        const valueStart = i;
        while (i < end && TCHAR[data[i]!] === 1) i++;
        if (i === valueStart) fail('chunk-ext-invalid', 'empty extension value');
      }
    } else if (afterName < end && data[afterName] !== SEMI) {
      fail('chunk-ext-invalid');
    } else if (afterName === end && afterName !== i) {
      fail('chunk-ext-invalid', 'whitespace at the end of the line');
    }
    if (i < end && !isOWS(data[i]!) && data[i] !== SEMI) fail('chunk-ext-invalid');
  }
  return { size, extensionBytes };
}
