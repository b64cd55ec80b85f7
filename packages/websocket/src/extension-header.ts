/**
 * `Sec-WebSocket-Extensions` values (RFC 6455 §9.1):
 *
 *     extension-list = 1#extension
 *     extension      = extension-token *( ";" extension-param )
 *     extension-param = token [ "=" (token | quoted-string) ]
 *
 * A quoted value must be a token once unquoted. Parameters are kept as a list, not a map, so
 * that a negotiator can see (and reject) a parameter given twice. Names are compared
 * case-insensitively and returned lower-cased.
 */
import { WebSocketHandshakeError } from './errors.js';

/** One extension in a `Sec-WebSocket-Extensions` header, with its parameters in order. */
export interface ExtensionOffer {
  /** The extension name, lower-cased (`permessage-deflate`). */
  readonly name: string;
  /** `[name, value]` pairs in order; `value` is undefined for a parameter given without `=`. */
  readonly params: ReadonlyArray<readonly [name: string, value: string | undefined]>;
}

const TOKEN_RE = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** Splits on `sep` outside quoted strings (a backslash inside quotes escapes the next character). */
function splitOutsideQuotes(value: string, sep: string): string[] {
  const parts: string[] = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (quoted) {
      if (c === '\\') i++;
      else if (c === '"') quoted = false;
    } else if (c === '"') {
      quoted = true;
    } else if (c === sep) {
      parts.push(value.slice(start, i).trim());
      start = i + 1;
    }
  }
  if (quoted)
    throw new WebSocketHandshakeError(`unterminated quoted string in extension header: ${value}`);
  parts.push(value.slice(start).trim());
  return parts;
}

function parseParamValue(raw: string, whole: string): string {
  let value = raw;
  if (value.startsWith('"')) {
    if (value.length < 2 || !value.endsWith('"')) {
      throw new WebSocketHandshakeError(`malformed quoted value in extension header: ${whole}`);
    }
    value = value.slice(1, -1).replace(/\\([\s\S])/g, '$1');
  }
  if (!TOKEN_RE.test(value)) {
    throw new WebSocketHandshakeError(`extension parameter values must be tokens: ${whole}`);
  }
  return value;
}

/**
 * Parses a `Sec-WebSocket-Extensions` value (several header lines joined with commas are fine).
 * Empty list elements are skipped, as HTTP's list rule allows.
 *
 * Throws {@link WebSocketHandshakeError} for text that does not follow the grammar above; a
 * server answers that with 400.
 *
 * @see Tornado `WebSocketProtocol13._parse_extensions_header`
 */
export function parseExtensionHeader(value: string): ExtensionOffer[] {
  const offers: ExtensionOffer[] = [];
  for (const element of splitOutsideQuotes(value, ',')) {
    if (element === '') continue;
    const [head, ...rest] = splitOutsideQuotes(element, ';');
    if (head === undefined || !TOKEN_RE.test(head)) {
      throw new WebSocketHandshakeError(`extension names must be tokens: ${element}`);
    }
    const params: Array<readonly [string, string | undefined]> = [];
    for (const param of rest) {
      const eq = param.indexOf('=');
      const name = (eq < 0 ? param : param.slice(0, eq)).trim();
      if (!TOKEN_RE.test(name)) {
        throw new WebSocketHandshakeError(`extension parameter names must be tokens: ${element}`);
      }
      const parsed = eq < 0 ? undefined : parseParamValue(param.slice(eq + 1).trim(), element);
      params.push([name.toLowerCase(), parsed]);
    }
    offers.push({ name: head.toLowerCase(), params });
  }
  return offers;
}

/**
 * Formats one extension for a `Sec-WebSocket-Extensions` header:
 * `name; param; param=value`. Values are tokens here, so no quoting is needed.
 *
 * @see Tornado `httputil._encode_header`
 */
export function formatExtension(offer: ExtensionOffer): string {
  const parts = [offer.name];
  for (const [name, value] of offer.params)
    parts.push(value === undefined ? name : `${name}=${value}`);
  return parts.join('; ');
}
