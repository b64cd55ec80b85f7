/**
 * Signed values: the text of Tornado's signed ("secure") cookies, byte for byte.
 *
 * Two formats exist, told apart by a leading decimal version and a pipe:
 *
 * - v1 (no prefix): `base64(value)|timestamp|hex(HMAC-SHA1(secret, name + base64 + timestamp))`.
 *   Nothing separates the signed parts, so digits can move from the payload into the timestamp
 *   without changing the signature; the decoder therefore rejects timestamps more than 31 days in
 *   the future and timestamps with a leading zero, as Tornado does.
 * - v2: `2|` then length-prefixed fields `<len>:<text>|` for the key version, the timestamp, the
 *   name and the base64 value, then `hex(HMAC-SHA256(secret, everything before it))`.
 *
 * The decoder repeats Tornado's parsing rules exactly (Python's `int()` for numbers, including
 * surrounding whitespace and `_` separators; Python's lenient base64; Python's slice semantics
 * for field lengths) so that a value Tornado accepts is accepted here and one it refuses is
 * refused. Parsing works on a latin1 view of the bytes, so string indices are byte offsets.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { TronadaError } from '@tronada/ioloop';

/**
 * A signing function was called with arguments it cannot use (an unknown version, a key-version
 * map without a `keyVersion`, a string that is not well-formed UTF-16). Bad *input* never throws:
 * decoders return `null` for it.
 *
 * @see Tornado `create_signed_value` / `decode_signed_value` (their `ValueError`s and assertions)
 */
export class InvalidSigningArgumentError extends TronadaError {
  override readonly name = 'InvalidSigningArgumentError';
  readonly code = 'ERR_INVALID_SIGNING_ARGUMENT';
}

/** One signing key: a string (used as UTF-8) or raw bytes. */
export type SecretKey = string | Uint8Array;

/**
 * The `cookieSecret` setting: one key, or a map from key version to key for key rotation
 * (values signed with any listed version still decode; new values use `keyVersion`).
 */
export type CookieSecret = SecretKey | Readonly<Record<number, SecretKey>>;

/** The format {@link createSignedValue} writes when no `version` is given. @see Tornado `DEFAULT_SIGNED_VALUE_VERSION` */
export const DEFAULT_SIGNED_VALUE_VERSION = 2;

/** The oldest format {@link decodeSignedValue} accepts by default. @see Tornado `DEFAULT_SIGNED_VALUE_MIN_VERSION` */
export const DEFAULT_SIGNED_VALUE_MIN_VERSION = 1;

/** Options of {@link createSignedValue}. */
export interface CreateSignedValueOptions {
  /** The format: 1 (HMAC-SHA1, no name field) or 2 (HMAC-SHA256, the default). */
  version?: 1 | 2 | undefined;
  /** Wall time in seconds since the epoch; defaults to `Date.now() / 1000`. */
  clock?: (() => number) | undefined;
  /** The key version to sign with (v2 only); required when `secret` is a key-version map. */
  keyVersion?: number | undefined;
}

/** Options of {@link decodeSignedValue}. */
export interface DecodeSignedValueOptions {
  /** Values signed longer ago than this many days are refused; default 31. */
  maxAgeDays?: number | undefined;
  /** Wall time in seconds since the epoch; defaults to `Date.now() / 1000`. */
  clock?: (() => number) | undefined;
  /** The oldest format accepted (1 or 2); default {@link DEFAULT_SIGNED_VALUE_MIN_VERSION}. */
  minVersion?: number | undefined;
}

const SECONDS_PER_DAY = 86400;
/** The v1 decoder's bound on future timestamps is fixed, whatever `maxAgeDays` says. */
const V1_MAX_FUTURE_SECONDS = 31 * SECONDS_PER_DAY;

const wallClock = (): number => Date.now() / 1000;

/**
 * Signs `value` under `name`, giving the text of a signed cookie (ASCII unless `name` is not).
 *
 * The output equals Python Tornado's `create_signed_value` for the same inputs and clock, byte
 * for byte, for ASCII names. For a non-ASCII name the v2 length prefix counts UTF-8 bytes (Tornado
 * counts code points and then cannot decode its own value), so Tornado can decode ours.
 *
 * @throws InvalidSigningArgumentError for an unsupported `version`, a key-version map without a
 * matching `keyVersion` or with version 1, a non-integer `keyVersion`, a clock that is not finite,
 * or a string argument that is not well-formed UTF-16 (a lone surrogate).
 * @see Tornado `tornado.web.create_signed_value`
 */
export function createSignedValue(
  secret: CookieSecret,
  name: string,
  value: string | Uint8Array,
  options: CreateSignedValueOptions = {},
): string {
  const version = options.version ?? DEFAULT_SIGNED_VALUE_VERSION;
  const keyVersion = options.keyVersion;
  const now = (options.clock ?? wallClock)();
  if (!Number.isFinite(now)) {
    throw new InvalidSigningArgumentError(
      `clock() returned ${now}; it must give seconds since the epoch`,
    );
  }
  const timestamp = BigInt(Math.trunc(now)).toString();
  const payload = utf8(value, 'value').toString('base64');
  const nameBytes = latin1(utf8(name, 'name'));
  if (version === 1) {
    if (!isSecretKey(secret)) {
      throw new InvalidSigningArgumentError(
        'version 1 signed values cannot use a key-version map; pass one key or use version 2',
      );
    }
    const signature = signV1(secret, nameBytes, payload, timestamp);
    return `${payload}|${timestamp}|${signature}`;
  }
  if (version !== 2) {
    throw new InvalidSigningArgumentError(
      `unsupported signed value version ${String(version)}; use 1 or 2`,
    );
  }
  if (keyVersion !== undefined && !Number.isSafeInteger(keyVersion)) {
    throw new InvalidSigningArgumentError(`keyVersion must be an integer, got ${keyVersion}`);
  }
  const field = (text: string): string => `${text.length}:${text}`;
  const toSign = `2|${field(String(keyVersion ?? 0))}|${field(timestamp)}|${field(nameBytes)}|${field(payload)}|`;
  let key: SecretKey;
  if (isSecretKey(secret)) {
    key = secret;
  } else {
    if (keyVersion === undefined) {
      throw new InvalidSigningArgumentError(
        'keyVersion must be set when the secret is a key-version map',
      );
    }
    const found = lookupKey(secret, keyVersion);
    if (found === undefined) {
      throw new InvalidSigningArgumentError(`the key-version map has no key ${keyVersion}`);
    }
    key = found;
  }
  const signed = toSign + signV2(key, toSign);
  return Buffer.from(signed, 'latin1').toString('utf8');
}

/**
 * Checks a signed value made by {@link createSignedValue} (or by Python Tornado) and returns
 * the original bytes, or `null` when it is missing, malformed, tampered with, signed for another
 * name or with an unknown key version, older than `maxAgeDays`, or older than `minVersion`.
 * Signatures are compared in constant time. Bad input never throws.
 *
 * Differs from Tornado in one case: a version 1 value checked against a key-version map gives
 * `null`, where Tornado fails an assertion.
 *
 * @throws InvalidSigningArgumentError when `minVersion` is above 2 or `name` (or a string secret)
 * is not well-formed UTF-16 — mistakes of the caller, not of the input.
 * @see Tornado `tornado.web.decode_signed_value`
 */
export function decodeSignedValue(
  secret: CookieSecret,
  name: string,
  value: string | Uint8Array | null | undefined,
  options: DecodeSignedValueOptions = {},
): Buffer | null {
  const clock = options.clock ?? wallClock;
  const maxAgeDays = options.maxAgeDays ?? 31;
  const minVersion = options.minVersion ?? DEFAULT_SIGNED_VALUE_MIN_VERSION;
  if (minVersion > 2) {
    throw new InvalidSigningArgumentError(`unsupported minVersion ${minVersion}; use 1 or 2`);
  }
  const nameBytes = latin1(utf8(name, 'name'));
  if (value === null || value === undefined || value.length === 0) return null;
  if (typeof value === 'string' && !isWellFormed(value)) return null;
  const text = latin1(typeof value === 'string' ? Buffer.from(value, 'utf8') : value);
  const version = signedValueVersion(text);
  if (version < minVersion) return null;
  const oldest = (now: number) => now - maxAgeDays * SECONDS_PER_DAY;
  if (version === 1) {
    // Tornado asserts here; input must never throw, so a v1 value simply does not verify.
    if (!isSecretKey(secret)) return null;
    return decodeV1(secret, nameBytes, text, clock, oldest);
  }
  if (version === 2) return decodeV2(secret, nameBytes, text, clock, oldest);
  return null;
}

/**
 * The key version a v2 (or later-numbered) signed value names, without checking its signature;
 * `null` for v1 values and for values whose fields do not parse. Use it to decide whether a
 * cookie should be re-signed with the current key.
 *
 * @see Tornado `tornado.web.get_signature_key_version`
 */
export function getSignatureKeyVersion(value: string | Uint8Array): number | null {
  if (typeof value === 'string' && !isWellFormed(value)) return null;
  const text = latin1(typeof value === 'string' ? Buffer.from(value, 'utf8') : value);
  if (signedValueVersion(text) < 2) return null;
  return decodeFieldsV2(text)?.keyVersion ?? null;
}

function decodeV1(
  secret: SecretKey,
  nameBytes: string,
  text: string,
  clock: () => number,
  oldest: (now: number) => number,
): Buffer | null {
  const parts = text.split('|');
  if (parts.length !== 3) return null;
  const [payload, timestampText, signature] = parts as [string, string, string];
  if (!constantTimeEqual(signature, signV1(secret, nameBytes, payload, timestampText))) return null;
  const timestamp = parsePythonInt(timestampText, false);
  if (timestamp === null) return null;
  const now = clock();
  if (timestamp < oldest(now)) return null;
  if (timestamp > now + V1_MAX_FUTURE_SECONDS) return null;
  if (timestampText.startsWith('0')) return null;
  return decodePythonBase64(payload);
}

function decodeV2(
  secret: CookieSecret,
  nameBytes: string,
  text: string,
  clock: () => number,
  oldest: (now: number) => number,
): Buffer | null {
  const fields = decodeFieldsV2(text);
  if (fields === null) return null;
  // Python's `value[:-len(sig)]`: an empty signature leaves nothing signed, and then fails.
  const signedText = text.slice(0, -fields.signature.length);
  let key: SecretKey | undefined;
  if (isSecretKey(secret)) {
    key = secret;
  } else {
    key = lookupKey(secret, fields.keyVersion);
    if (key === undefined) return null;
  }
  if (!constantTimeEqual(fields.signature, signV2(key, signedText))) return null;
  if (fields.name !== nameBytes) return null;
  const timestamp = parsePythonInt(fields.timestamp, false);
  if (timestamp === null) return null;
  if (timestamp < oldest(clock())) return null;
  return decodePythonBase64(fields.value);
}

interface FieldsV2 {
  keyVersion: number;
  timestamp: string;
  name: string;
  value: string;
  signature: string;
}

/** Splits `2|<n>:<text>|...|signature` by its length prefixes, as Tornado's `_decode_fields_v2`. */
function decodeFieldsV2(text: string): FieldsV2 | null {
  let rest = text.slice(2);
  const fields: string[] = [];
  for (let i = 0; i < 4; i++) {
    const colon = rest.indexOf(':');
    const lengthText = colon < 0 ? rest : rest.slice(0, colon);
    const after = colon < 0 ? '' : rest.slice(colon + 1);
    const length = parsePythonInt(lengthText, false);
    if (length === null) return null;
    // String#slice treats negative and out-of-range bounds as Python slicing does.
    if (after.slice(length, length + 1) !== '|') return null;
    fields.push(after.slice(0, length));
    rest = after.slice(length + 1);
  }
  const [keyVersionText, timestamp, name, value] = fields as [string, string, string, string];
  const keyVersion = parsePythonInt(keyVersionText, false);
  if (keyVersion === null) return null;
  return { keyVersion, timestamp, name, value, signature: rest };
}

/**
 * The format version of a signed value: the leading `N|` when present and at most 999 (longer
 * digit runs are v1 base64 payloads), else 1.
 */
function signedValueVersion(text: string): number {
  const digits = leadingVersion(text);
  if (digits === null || digits.length > 3) return 1;
  return Number(digits);
}

/**
 * The decimal version before the first pipe, as Tornado's `_signed_value_version_re` matches it
 * on bytes: no leading zero, and the rest of the text holds no newline except one at the very
 * end (Python's `.` stops at `\n`, and its `$` also matches before a final `\n`).
 *
 * @see Tornado `tornado.web._signed_value_version_re`
 */
export function leadingVersion(text: string): string | null {
  return /^([1-9][0-9]*)\|[^\n]*\n?$/.exec(text)?.[1] ?? null;
}

function signV1(secret: SecretKey, ...latin1Parts: string[]): string {
  const hmac = createHmac('sha1', keyBytes(secret));
  for (const part of latin1Parts) hmac.update(part, 'latin1');
  return hmac.digest('hex');
}

function signV2(secret: SecretKey, latin1Text: string): string {
  return createHmac('sha256', keyBytes(secret)).update(latin1Text, 'latin1').digest('hex');
}

function keyBytes(secret: SecretKey): Uint8Array {
  return typeof secret === 'string' ? utf8(secret, 'secret') : secret;
}

function isSecretKey(secret: CookieSecret): secret is SecretKey {
  return typeof secret === 'string' || secret instanceof Uint8Array;
}

function lookupKey(
  map: Readonly<Record<number, SecretKey>>,
  version: number,
): SecretKey | undefined {
  const key = String(version);
  return Object.hasOwn(map, key) ? map[version] : undefined;
}

/** Compares two latin1 strings in time that depends only on their lengths. */
function constantTimeEqual(a: string, b: string): boolean {
  return bytesEqualConstantTime(Buffer.from(a, 'latin1'), Buffer.from(b, 'latin1'));
}

/**
 * True when `a` and `b` hold the same bytes; the time taken depends on the lengths only, never
 * on where the bytes differ.
 *
 * @see Tornado `hmac.compare_digest` (as used by `decode_signed_value` and `check_xsrf_cookie`)
 */
export function bytesEqualConstantTime(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

function latin1(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}

/** True unless `text` holds a lone surrogate, which has no UTF-8 form (Python raises there). */
export function isWellFormed(text: string): boolean {
  return !/\p{Cs}/u.test(text);
}

function utf8(input: string | Uint8Array, what: string): Buffer {
  if (typeof input !== 'string')
    return Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  if (!isWellFormed(input)) {
    throw new InvalidSigningArgumentError(
      `${what} holds a lone surrogate and has no UTF-8 form; pass well-formed text or bytes`,
    );
  }
  return Buffer.from(input, 'utf8');
}

/** Python's `str.isspace` characters beyond ASCII, which `int(str)` also strips. */
const PYTHON_UNICODE_SPACE = /[\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/u;
const DECIMAL_DIGIT = /\p{Nd}/u;
const PYTHON_INT = /^[\t-\r ]*([+-]?)([0-9]+(?:_[0-9]+)*)[\t-\r ]*$/;

/**
 * Python's `int(text)` in base 10, or `null` where Python raises `ValueError`: surrounding
 * whitespace, one sign, `_` between digits, leading zeros. With `unicode` (Python `str`), any
 * Unicode decimal digit and Unicode space counts too; without it (Python `bytes`, given as
 * latin1 text), only ASCII does.
 */
export function parsePythonInt(text: string, unicode: boolean): number | null {
  let ascii = text;
  if (unicode) {
    ascii = '';
    for (const ch of text) {
      const code = ch.codePointAt(0)!;
      if (code < 127) ascii += ch;
      else if (PYTHON_UNICODE_SPACE.test(ch)) ascii += ' ';
      else if (DECIMAL_DIGIT.test(ch)) ascii += String(decimalValue(code));
      else return null;
    }
  }
  const match = PYTHON_INT.exec(ascii);
  if (match === null) return null;
  const magnitude = Number(match[2]!.replaceAll('_', ''));
  return match[1] === '-' ? -magnitude : magnitude;
}

/**
 * The value of a Unicode decimal digit. Unicode keeps decimal digits in runs of ten, 0 to 9, so
 * the distance from the start of the character's run of digits, modulo ten, is its value.
 */
function decimalValue(code: number): number {
  let start = code;
  while (DECIMAL_DIGIT.test(String.fromCodePoint(start - 1))) start--;
  return (code - start) % 10;
}

const BASE64_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/**
 * Python's lenient `base64.b64decode` (CPython 3.11 `a2b_base64`, non-strict) over latin1 text:
 * characters outside the alphabet are skipped, a pad sequence completing a quad ends the input,
 * and a dangling partial quad is an error (`null`).
 */
function decodePythonBase64(text: string): Buffer | null {
  const out: number[] = [];
  let quadPos = 0;
  let leftChar = 0;
  let pads = 0;
  for (const ch of text) {
    if (ch === '=') {
      if (quadPos >= 2 && quadPos + ++pads >= 4) return Buffer.from(out);
      continue;
    }
    const bits = BASE64_ALPHABET.indexOf(ch);
    if (bits < 0) continue;
    pads = 0;
    if (quadPos === 0) {
      leftChar = bits;
    } else if (quadPos === 1) {
      out.push(((leftChar << 2) | (bits >> 4)) & 0xff);
      leftChar = bits & 0x0f;
    } else if (quadPos === 2) {
      out.push(((leftChar << 4) | (bits >> 2)) & 0xff);
      leftChar = bits & 0x03;
    } else {
      out.push(((leftChar << 6) | bits) & 0xff);
      leftChar = 0;
    }
    quadPos = (quadPos + 1) % 4;
  }
  return quadPos === 0 ? Buffer.from(out) : null;
}
