/**
 * Decodes a translation file's bytes with Python's encoding names and Tornado's BOM rule.
 */

const UTF16_LE_BOM = [0xff, 0xfe] as const;
const UTF16_BE_BOM = [0xfe, 0xff] as const;

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return prefix.every((byte, i) => bytes[i] === byte);
}

/** Python's name for an encoding, as the WHATWG label TextDecoder knows, or a special rule. */
function label(encoding: string): string {
  const name = encoding.trim().toLowerCase().replaceAll('_', '-');
  if (name === 'utf-8-sig' || name === 'utf8-sig') return 'utf-8';
  if (name === 'utf-16' || name === 'utf16') return 'utf-16';
  if (name === 'latin-1') return 'latin1';
  return name;
}

/**
 * The text of `bytes`. Without `encoding`, a UTF-16 byte-order mark selects UTF-16 (in the
 * mark's byte order), and otherwise the bytes are UTF-8 with an optional UTF-8 mark (Python's
 * `utf-8-sig`, which Excel writes). With an encoding, Python names work (`utf-8-sig`,
 * `utf-16`, `latin-1`) besides any WHATWG label; `utf-16` honours a mark and defaults to
 * little-endian. A byte-order mark never reaches the text. Throws a `RangeError` for an
 * unknown encoding and a `TypeError` for bytes that are invalid in it.
 *
 * @see Tornado `tornado.locale.load_translations` (its `encoding` argument)
 */
export function decodeText(bytes: Uint8Array, encoding?: string): string {
  let name = encoding === undefined ? undefined : label(encoding);
  if (name === undefined) {
    const utf16 = startsWith(bytes, UTF16_LE_BOM) || startsWith(bytes, UTF16_BE_BOM);
    name = utf16 ? 'utf-16' : 'utf-8';
  }
  if (name === 'utf-16') name = startsWith(bytes, UTF16_BE_BOM) ? 'utf-16be' : 'utf-16le';
  // TextDecoder drops a leading mark of its own encoding (ignoreBOM defaults to false).
  return new TextDecoder(name, { fatal: true }).decode(bytes);
}
