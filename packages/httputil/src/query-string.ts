/**
 * Query strings and form bodies (`application/x-www-form-urlencoded`) as Tornado reads them:
 * names become strings (bytes read as Latin-1), values stay bytes, repeated names keep every
 * value in order.
 */

/**
 * Arguments by name, each with its values in order: what `parseQsBytes` returns and what
 * `HTTPServerRequest.arguments` holds. The object has no prototype, so any name (even
 * `__proto__`) is just a key.
 */
export type ArgumentsMap = Record<string, Buffer[]>;

/** An empty {@link ArgumentsMap} (no prototype). */
export function emptyArguments(): ArgumentsMap {
  return Object.create(null) as ArgumentsMap;
}

/** Appends `values` to the list of `name` in `args`, creating it when absent. */
export function addArguments(args: ArgumentsMap, name: string, values: readonly Buffer[]): void {
  let list = args[name];
  if (list === undefined) {
    list = [];
    args[name] = list;
  }
  // A loop, not push(...values): a body can repeat a name more times than a call can take
  // arguments.
  for (const value of values) list.push(value);
}

/** Options of {@link parseQsBytes}. */
export interface ParseQsOptions {
  /** Keep `name=` and bare `name` as empty values (Tornado's `keep_blank_values`). Default false. */
  keepBlankValues?: boolean;
}

function hex(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  const l = c | 0x20;
  if (l >= 0x61 && l <= 0x66) return l - 0x61 + 10;
  return -1;
}

/**
 * Decodes `+` to a space and `%XX` escapes to bytes; any other character becomes its Latin-1
 * byte (or its UTF-8 bytes above U+00FF). Invalid escapes stay as they are (Python's `unquote`).
 */
export function unquotePlusToBytes(text: string): Buffer {
  if (text.indexOf('%') === -1 && text.indexOf('+') === -1) {
    return /^[\0-\xff]*$/.test(text) ? Buffer.from(text, 'latin1') : Buffer.from(text, 'utf8');
  }
  // Each character yields at most 3 bytes (UTF-8 of a BMP character; a surrogate pair is 2
  // characters for 4 bytes).
  const out = Buffer.allocUnsafe(text.length * 3);
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x2b) {
      out[n++] = 0x20;
      continue;
    }
    if (c === 0x25 && i + 2 < text.length) {
      const h = hex(text.charCodeAt(i + 1));
      const l = hex(text.charCodeAt(i + 2));
      if (h >= 0 && l >= 0) {
        out[n++] = h * 16 + l;
        i += 2;
        continue;
      }
    }
    if (c <= 0xff) {
      out[n++] = c;
      continue;
    }
    const pair = c >= 0xd800 && c < 0xdc00 && i + 1 < text.length;
    n += out.write(text.slice(i, pair ? i + 2 : i + 1), n, 'utf8');
    if (pair) i++;
  }
  return Buffer.from(out.subarray(0, n));
}

/**
 * Parses a query string or form body into an {@link ArgumentsMap}: fields separated by `&`,
 * `name=value` with `+` and `%XX` decoded; names are read as Latin-1, values kept as bytes.
 * Fields without a value are dropped unless `keepBlankValues`.
 *
 * @see Tornado `tornado.escape.parse_qs_bytes`
 */
export function parseQsBytes(qs: string | Uint8Array, options: ParseQsOptions = {}): ArgumentsMap {
  const text =
    typeof qs === 'string'
      ? qs
      : Buffer.from(qs.buffer, qs.byteOffset, qs.byteLength).toString('latin1');
  const keepBlank = options.keepBlankValues ?? false;
  const result = emptyArguments();
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('&', start);
    if (end === -1) end = text.length;
    if (end > start) {
      const field = text.slice(start, end);
      const eq = field.indexOf('=');
      const rawName = eq === -1 ? field : field.slice(0, eq);
      const rawValue = eq === -1 ? '' : field.slice(eq + 1);
      if (rawValue.length > 0 || keepBlank) {
        const name = unquotePlusToBytes(rawName).toString('latin1');
        const value = unquotePlusToBytes(rawValue);
        const list = result[name];
        if (list === undefined) result[name] = [value];
        else list.push(value);
      }
    }
    start = end + 1;
  }
  return result;
}

/**
 * Turns a map of name → values back into `[name, value]` pairs, every value once.
 *
 * @see Tornado `tornado.httputil.qs_to_qsl`
 */
export function* qsToQsl<V>(qs: Readonly<Record<string, readonly V[]>>): Generator<[string, V]> {
  for (const name of Object.keys(qs)) {
    for (const value of qs[name]!) yield [name, value];
  }
}
