/**
 * parseCookie: the `Cookie` request header read the way browsers write it.
 */

// A backslash followed by three octal digits (first 0-3) or by any one character.
const ESCAPE_RE = /\\(?:([0-3][0-7][0-7])|([\s\S]))/g;

/**
 * Removes the double quotes around a cookie value and decodes its backslash escapes (`\"`,
 * `\\`, octal `\012`); a value not wrapped in quotes is returned as it is. Linear time.
 *
 * @see Tornado `tornado.httputil._unquote_cookie` (Python's `http.cookies._unquote`)
 */
export function unquoteCookieValue(value: string): string {
  if (value.length < 2 || value[0] !== '"' || value[value.length - 1] !== '"') return value;
  return value
    .slice(1, -1)
    .replace(ESCAPE_RE, (_m, octal: string | undefined, char: string | undefined) =>
      octal !== undefined ? String.fromCharCode(Number.parseInt(octal, 8)) : char!,
    );
}

/**
 * Parses a `Cookie` header into name → value, the way browsers do rather than as the RFCs say:
 * every `;` separates cookies (even inside quotes), a part without `=` is a value with an empty
 * name, names and values are trimmed, and the last cookie of a name wins. Quoted values are
 * unquoted. The result has no prototype.
 *
 * @see Tornado `tornado.httputil.parse_cookie`
 */
export function parseCookie(cookie: string): Record<string, string> {
  const result = Object.create(null) as Record<string, string>;
  for (const chunk of cookie.split(';')) {
    const eq = chunk.indexOf('=');
    // A part without "=" is a value with an empty name (https://bugzilla.mozilla.org/169091).
    const name = (eq === -1 ? '' : chunk.slice(0, eq)).trim();
    const value = (eq === -1 ? chunk : chunk.slice(eq + 1)).trim();
    if (name || value) result[name] = unquoteCookieValue(value);
  }
  return result;
}

// Python's `http.cookies`: the characters a cookie name may hold (`\w` is Unicode there), and
// the attribute names it refuses as cookie names.
const LEGAL_NAME_RE = /^[\p{L}\p{N}_!#$%&'*+\-.^`|~:]+$/u;
const RESERVED_NAMES = new Set([
  'expires',
  'path',
  'comment',
  'domain',
  'max-age',
  'secure',
  'httponly',
  'version',
  'samesite',
]);

/**
 * True when `name` may name a request cookie: not empty, only the characters Python's
 * `SimpleCookie` allows in a name, and not an attribute name (`Path`, `Expires`, ...). Tornado's
 * `HTTPServerRequest.cookies` silently drops the other names, so a handler never sees (or
 * tries to clear) a cookie it could not set.
 *
 * @see Tornado `HTTPServerRequest.cookies` (Python's `http.cookies.Morsel.set`)
 */
export function isAcceptedCookieName(name: string): boolean {
  return LEGAL_NAME_RE.test(name) && !RESERVED_NAMES.has(name.toLowerCase());
}
