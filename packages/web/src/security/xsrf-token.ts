/**
 * XSRF tokens in Tornado's two text forms, byte-compatible with Python Tornado 6.2.
 *
 * The raw token is 16 random bytes. Version 1 writes it as hex. Version 2 writes
 * `2|hex(mask)|hex(token XOR mask)|timestamp` with a fresh 4-byte mask each time, so a page's
 * token text changes on every request (no fixed secret for BREACH-style compression attacks to
 * recover) while every form of it unmasks to the same raw token.
 */
import { randomBytes } from 'node:crypto';
import {
  bytesEqualConstantTime,
  InvalidSigningArgumentError,
  isWellFormed,
  leadingVersion,
  parsePythonInt,
} from './signed-value.js';

/** A token read back from a cookie or form field by {@link decodeXsrfToken}. */
export interface XsrfToken {
  /** The form it was written in: 1 (hex or raw text) or 2 (masked). */
  version: 1 | 2;
  /** The raw token bytes; compare them with {@link xsrfTokensMatch}. */
  token: Buffer;
  /**
   * Seconds since the epoch when the token was made (v2); for v1, which carries no time, the
   * current time.
   */
  timestamp: number;
}

/** The size of a freshly made raw token, in bytes. */
const TOKEN_BYTES = 16;
const MASK_BYTES = 4;

/**
 * A fresh raw XSRF token: 16 bytes from the system's secure random source.
 *
 * @see Tornado `RequestHandler._get_raw_xsrf_token` (`os.urandom(16)`)
 */
export function newXsrfTokenBytes(): Buffer {
  return randomBytes(TOKEN_BYTES);
}

/**
 * Writes a raw token as cookie or form text: version 1 as hex, version 2 (Tornado's default) as
 * `2|mask|masked token|timestamp`, masked with `mask` (4 bytes; random when omitted).
 * `timestamp` is seconds since the epoch and is written truncated to an integer.
 *
 * @throws InvalidSigningArgumentError for a version other than 1 or 2, a mask that is not 4
 * bytes, or a timestamp that is not finite.
 * @see Tornado `RequestHandler.xsrf_token`
 */
export function encodeXsrfToken(
  token: Uint8Array,
  timestamp: number,
  version: 1 | 2 = 2,
  mask?: Uint8Array,
): string {
  if (version === 1) return Buffer.from(token).toString('hex');
  if (version !== 2) {
    throw new InvalidSigningArgumentError(
      `unknown xsrf cookie version ${String(version)}; use 1 or 2`,
    );
  }
  const maskBytes = mask ?? randomBytes(MASK_BYTES);
  if (maskBytes.length !== MASK_BYTES) {
    throw new InvalidSigningArgumentError(
      `an XSRF mask is ${MASK_BYTES} bytes, got ${maskBytes.length}`,
    );
  }
  if (!Number.isFinite(timestamp)) {
    throw new InvalidSigningArgumentError(
      `XSRF timestamp must be finite seconds, got ${timestamp}`,
    );
  }
  const masked = applyMask(maskBytes, token)!;
  const seconds = BigInt(Math.trunc(timestamp)).toString();
  return `2|${Buffer.from(maskBytes).toString('hex')}|${masked.toString('hex')}|${seconds}`;
}

/**
 * Reads a token written by {@link encodeXsrfToken} (or by Python Tornado). Returns `null` exactly
 * where Tornado's decoder gives nothing: a versioned prefix other than `2|`, a v2 text without
 * exactly four parts, bad hex, a short mask, a timestamp that Python's `int()` refuses, or text
 * with no UTF-8 form. Anything without a version prefix is a v1 token: hex when it is valid hex,
 * else its UTF-8 bytes taken as they are. Never throws.
 *
 * The token may be empty (e.g. from `''`); Tornado's check treats an empty token from the
 * request as an invalid format, and an empty cookie as no cookie at all.
 *
 * @param options.clock Wall time in seconds for v1 tokens' timestamp; defaults to `Date.now() / 1000`.
 * @see Tornado `RequestHandler._decode_xsrf_token`
 */
export function decodeXsrfToken(
  value: string,
  options: { clock?: (() => number) | undefined } = {},
): XsrfToken | null {
  if (!isWellFormed(value)) return null;
  const version = leadingVersion(value);
  if (version === null) {
    const token = decodeHex(value) ?? Buffer.from(value, 'utf8');
    const now = (options.clock ?? (() => Date.now() / 1000))();
    return { version: 1, token, timestamp: Math.trunc(now) };
  }
  // Tornado treats unknown versions (and an explicit `1|`) as no token at all.
  if (version !== '2') return null;
  const parts = value.split('|');
  if (parts.length !== 4) return null;
  const [, maskText, maskedText, timestampText] = parts as [string, string, string, string];
  const mask = decodeHex(maskText);
  const masked = decodeHex(maskedText);
  if (mask === null || masked === null) return null;
  const token = applyMask(mask, masked);
  const timestamp = parsePythonInt(timestampText, true);
  if (token === null || timestamp === null) return null;
  return { version: 2, token, timestamp };
}

/**
 * True when two raw tokens are equal, compared in constant time (the time depends on the lengths
 * only). Tokens from different cookies never match.
 *
 * @see Tornado `RequestHandler.check_xsrf_cookie` (`hmac.compare_digest`)
 */
export function xsrfTokensMatch(a: Uint8Array, b: Uint8Array): boolean {
  return bytesEqualConstantTime(a, b);
}

/**
 * XORs `data` with the mask repeated every 4 bytes (RFC 6455 masking), as Tornado's pure-Python
 * `_websocket_mask`: a mask shorter than 4 bytes works until a byte needs a mask byte it lacks,
 * and then gives `null` (Python's IndexError; Tornado's C speedup reads past the mask there).
 */
function applyMask(mask: Uint8Array, data: Uint8Array): Buffer | null {
  const out = Buffer.alloc(data.length);
  for (let i = 0; i < data.length; i++) {
    const m = mask[i % MASK_BYTES];
    if (m === undefined) return null;
    out[i] = data[i]! ^ m;
  }
  return out;
}

/** Strict hex, as Python's `binascii.a2b_hex`: an even number of hex digits, nothing else. */
function decodeHex(text: string): Buffer | null {
  return /^(?:[0-9a-fA-F]{2})*$/.test(text) ? Buffer.from(text, 'hex') : null;
}
