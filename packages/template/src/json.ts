import { toUnicode } from './unicode.js';

/**
 * JSON-encodes a value so that it is also safe inside an HTML `<script>` element.
 *
 * The output is `JSON.stringify(value)` with every `</` written as `<\/` (an equivalent JSON
 * escape), so a string such as `"</script>"` cannot end the script element early. A value that
 * has no JSON form (`undefined`, a function, a symbol) is a `TypeError`, as a value that Python's
 * `json.dumps` cannot encode is in Tornado; so is a `BigInt` or a cyclic structure.
 *
 * @see Tornado `tornado.escape.json_encode`
 */
export function jsonEncode(value: unknown): string {
  const json: string | undefined = JSON.stringify(value);
  if (json === undefined) {
    throw new TypeError(`jsonEncode: a value of type ${typeof value} has no JSON representation`);
  }
  return json.includes('</') ? json.replaceAll('</', '<\\/') : json;
}

/**
 * Parses JSON from a string or from UTF-8 bytes.
 *
 * @see Tornado `tornado.escape.json_decode`
 */
export function jsonDecode(value: string | Uint8Array): unknown {
  return JSON.parse(toUnicode(value));
}
