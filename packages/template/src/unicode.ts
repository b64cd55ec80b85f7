/**
 * Conversions between strings and UTF-8 bytes, with Tornado's pass-through rules: each function
 * returns a value that is already of the wanted kind, and `null`/`undefined`, unchanged.
 */

const encoder = new TextEncoder();
const strictDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object') return value.constructor?.name ?? 'object';
  return typeof value;
}

/**
 * Encodes a string as UTF-8 bytes.
 *
 * A `Uint8Array` (or `Buffer`), `null` or `undefined` is returned unchanged; any other kind of
 * value is a `TypeError`.
 *
 * @see Tornado `tornado.escape.utf8`
 */
export function utf8(value: string | Uint8Array): Uint8Array;
export function utf8<T extends null | undefined>(value: T): T;
export function utf8(value: string | Uint8Array | null | undefined): Uint8Array | null | undefined;
export function utf8(value: unknown): Uint8Array | null | undefined {
  if (typeof value === 'string') return encoder.encode(value);
  if (value instanceof Uint8Array || value === null || value === undefined) return value;
  throw new TypeError(
    `utf8: expected a string, Uint8Array, null or undefined; got ${describe(value)}`,
  );
}

/**
 * Decodes UTF-8 bytes to a string.
 *
 * A string, `null` or `undefined` is returned unchanged. Bytes that are not valid UTF-8 are a
 * `TypeError` (Tornado raises `UnicodeDecodeError`), as is any other kind of value.
 *
 * @see Tornado `tornado.escape.to_unicode`
 */
export function toUnicode(value: string | Uint8Array): string;
export function toUnicode<T extends null | undefined>(value: T): T;
export function toUnicode(value: string | Uint8Array | null | undefined): string | null | undefined;
export function toUnicode(value: unknown): string | null | undefined {
  if (typeof value === 'string' || value === null || value === undefined) return value;
  if (value instanceof Uint8Array) return strictDecoder.decode(value);
  throw new TypeError(
    `toUnicode: expected a string, Uint8Array, null or undefined; got ${describe(value)}`,
  );
}
