/**
 * URL percent-encoding with Tornado's conventions: spaces become `+` by default (form and query
 * string style), only `A-Z a-z 0-9 _ . - ~` pass through unescaped, and hex digits are upper case.
 */
import { toUnicode, utf8 } from './unicode.js';

const HEX_DIGITS = '0123456789ABCDEF';

// 1 for bytes that never need escaping: ALPHA / DIGIT / "_" / "." / "-" / "~".
const UNRESERVED = new Uint8Array(128);
for (let byte = 0; byte < 128; byte++) {
  const c = String.fromCharCode(byte);
  if (/[A-Za-z0-9_.~-]/.test(c)) UNRESERVED[byte] = 1;
}
const SLASH = 0x2f;
const SPACE = 0x20;

/**
 * Percent-encodes a value for use in a URL.
 *
 * A string is encoded as UTF-8 first; bytes are encoded as they are. With `plus` (the default)
 * a space becomes `+` and `/` is escaped, which suits query strings; with `plus = false` a space
 * becomes `%20` and `/` is kept, which suits paths.
 *
 * @example urlEscape('a b/c') === 'a+b%2Fc'; urlEscape('a b/c', false) === 'a%20b/c'
 * @see Tornado `tornado.escape.url_escape`
 */
export function urlEscape(value: string | Uint8Array, plus = true): string {
  const bytes = utf8(value);
  let out = '';
  for (const byte of bytes) {
    if (byte < 128 && UNRESERVED[byte] === 1) out += String.fromCharCode(byte);
    else if (byte === SPACE && plus) out += '+';
    else if (byte === SLASH && !plus) out += '/';
    else out += `%${HEX_DIGITS[byte >> 4]}${HEX_DIGITS[byte & 15]}`;
  }
  return out;
}

function hexValue(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  const lower = code | 0x20;
  if (lower >= 97 && lower <= 102) return lower - 87;
  return -1;
}

/** Decodes `%XX` escapes in ASCII text to bytes; a `%` not followed by two hex digits is kept. */
function percentDecode(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length);
  let n = 0;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i]!;
    if (byte === 0x25 && i + 2 < bytes.length) {
      const high = hexValue(bytes[i + 1]!);
      const low = hexValue(bytes[i + 2]!);
      if (high >= 0 && low >= 0) {
        out[n++] = (high << 4) | low;
        i += 2;
        continue;
      }
    }
    out[n++] = byte;
  }
  return out.subarray(0, n);
}

const LATIN1 = new Set(['latin1', 'latin-1', 'l1', 'iso-8859-1', 'iso8859-1', 'iso_8859_1']);
const ASCII = new Set(['ascii', 'us-ascii']);

/** Decodes bytes as `encoding`, replacing what cannot be decoded with U+FFFD. */
function decodeBytes(bytes: Uint8Array, encoding: string): string {
  const label = encoding.toLowerCase();
  // WHATWG's TextDecoder treats latin1 and ascii as windows-1252; keep their strict meanings.
  if (LATIN1.has(label) || ASCII.has(label)) {
    const ascii = ASCII.has(label);
    let out = '';
    for (const byte of bytes) out += ascii && byte > 127 ? '\ufffd' : String.fromCharCode(byte);
    return out;
  }
  return new TextDecoder(label).decode(bytes);
}

/**
 * Decodes a percent-encoded URL value.
 *
 * With `plus` (the default) a `+` stands for a space, as in query strings; a literal plus must
 * then be written `%2B`. The decoded bytes are read as `encoding` (default UTF-8; undecodable
 * bytes become U+FFFD), or returned as bytes when `encoding` is `null`. `%` sequences that are not
 * two hex digits are kept as written.
 *
 * @see Tornado `tornado.escape.url_unescape`
 */
export function urlUnescape(value: string | Uint8Array, encoding?: string, plus?: boolean): string;
export function urlUnescape(value: string | Uint8Array, encoding: null, plus?: boolean): Uint8Array;
export function urlUnescape(
  value: string | Uint8Array,
  encoding: string | null = 'utf-8',
  plus = true,
): string | Uint8Array {
  let text = toUnicode(value);
  if (plus) text = text.replaceAll('+', ' ');
  if (encoding === null) return percentDecode(utf8(text));
  if (!text.includes('%')) return text;
  // Percent escapes are decoded inside runs of ASCII text; other characters are kept as they are.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the class is all of ASCII.
  return text.replace(/[\x00-\x7f]+/g, (run) =>
    run.includes('%') ? decodeBytes(percentDecode(utf8(run)), encoding) : run,
  );
}
