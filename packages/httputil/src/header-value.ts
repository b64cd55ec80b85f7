/**
 * Parameterised header values (`Content-Disposition`, `Content-Type`, WebSocket extensions):
 * `value; name=param; name="quoted; param"`, with RFC 2231/5987 extended parameters
 * (`filename*=UTF-8''%C3%A1b.txt`) and continuations (`name*0`, `name*1*`).
 *
 * The split on `;` is one linear scan that tracks quoted strings (Tornado's version had to be
 * fixed for quadratic behaviour on many semicolons inside quotes; the test of that is ported).
 */

const DQUOTE = 0x22;
const BACKSLASH = 0x5c;
const SEMI = 0x3b;

/** Splits on `;` outside quoted strings; a backslash inside quotes escapes the next character. */
function splitParams(line: string): string[] {
  const parts: string[] = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (quoted) {
      if (c === BACKSLASH) i++;
      else if (c === DQUOTE) quoted = false;
    } else if (c === DQUOTE) {
      quoted = true;
    } else if (c === SEMI) {
      parts.push(line.slice(start, i).trim());
      start = i + 1;
    }
  }
  parts.push(line.slice(start).trim());
  return parts;
}

/** Removes surrounding double quotes and resolves backslash escapes (RFC 9110 §5.6.4). */
function unquoteString(value: string): string {
  if (
    value.length < 2 ||
    value.charCodeAt(0) !== DQUOTE ||
    value.charCodeAt(value.length - 1) !== DQUOTE
  ) {
    return value;
  }
  return value.slice(1, -1).replace(/\\([\s\S])/g, '$1');
}

/** Decodes bytes (given as Latin-1 characters) in `charset`, or returns undefined if unknown. */
function decodeCharset(raw: string, charset: string): string | undefined {
  const label = charset.trim().toLowerCase();
  const bytes = Buffer.from(raw, 'latin1');
  if (
    label === 'latin-1' ||
    label === 'latin1' ||
    label === 'iso-8859-1' ||
    label === 'iso8859-1'
  ) {
    return raw;
  }
  if (label === 'us-ascii' || label === 'ascii') {
    return raw.replace(/[\x80-\xff]/g, '\ufffd');
  }
  try {
    return new TextDecoder(label).decode(bytes);
  } catch {
    return undefined;
  }
}

function percentDecodeLatin1(value: string): string {
  return value.replace(/%([0-9A-Fa-f]{2})/g, (_m, h: string) =>
    String.fromCharCode(Number.parseInt(h, 16)),
  );
}

// name*, name*N, name*N* (RFC 2231 §3-4); \w as in Python's email.utils.
const CONTINUATION_RE = /^(\w+)\*(?:([0-9]+)\*?)?$/;

interface Segment {
  readonly num: number;
  readonly value: string;
  readonly encoded: boolean;
}

/**
 * Parses a header value with parameters into the value and a record of parameters (names
 * lower-cased, values unquoted and decoded). Parameters without `=` are dropped; when a name
 * repeats, the last wins; an extended parameter (`filename*`) wins over the plain one.
 *
 * ```ts
 * parseHeaderValue('form-data; name="files"; filename*=UTF-8\'\'%C3%A1b.txt')
 * // ['form-data', { name: 'files', filename: 'áb.txt' }]
 * ```
 *
 * @see Tornado `tornado.httputil._parse_header`
 */
export function parseHeaderValue(line: string): [value: string, params: Record<string, string>] {
  const [key = '', ...parts] = splitParams(line);
  const params = Object.create(null) as Record<string, string>;
  const extended = new Map<string, Segment[]>();
  for (const part of parts) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim().toLowerCase();
    const value = unquoteString(part.slice(eq + 1).trim());
    const m = CONTINUATION_RE.exec(name);
    if (m === null) {
      params[name] = value;
      continue;
    }
    const base = m[1]!;
    const segments = extended.get(base) ?? [];
    segments.push({
      num: m[2] === undefined ? -1 : Number(m[2]),
      value,
      encoded: name.endsWith('*'),
    });
    extended.set(base, segments);
  }
  for (const [name, segments] of extended) {
    segments.sort((a, b) => a.num - b.num);
    let joined = '';
    let isExtended = false;
    for (const s of segments) {
      if (s.encoded) {
        joined += percentDecodeLatin1(s.value);
        isExtended = true;
      } else {
        joined += s.value;
      }
    }
    if (isExtended) {
      // charset'language'text; without two quotes the value is plain text.
      const q1 = joined.indexOf("'");
      const q2 = q1 === -1 ? -1 : joined.indexOf("'", q1 + 1);
      if (q2 === -1) {
        params[name] = decodeCharset(joined, 'us-ascii')!;
      } else {
        const text = joined.slice(q2 + 1);
        params[name] = decodeCharset(text, joined.slice(0, q1) || 'us-ascii') ?? text;
      }
    } else {
      params[name] = joined;
    }
  }
  for (const name of Object.keys(params)) {
    // Tornado strips one more pair of quotes that survived unquoting.
    const v = params[name]!;
    if (v.length >= 2 && v[0] === '"' && v[v.length - 1] === '"') params[name] = v.slice(1, -1);
  }
  return [key, params];
}

/**
 * The inverse of {@link parseHeaderValue} for simple values: `key; a=1; b`, parameters sorted
 * by name, `null` for a parameter without a value. Values are written as they are (not quoted).
 *
 * @see Tornado `tornado.httputil._encode_header`
 */
export function encodeHeaderValue(
  key: string,
  params: Readonly<Record<string, string | number | null>>,
): string {
  const names = Object.keys(params).sort();
  if (names.length === 0) return key;
  const out = [key];
  for (const name of names) {
    const value = params[name];
    out.push(value === null || value === undefined ? name : `${name}=${value}`);
  }
  return out.join('; ');
}
