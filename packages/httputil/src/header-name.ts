/**
 * Header names: the token grammar (RFC 9110 §5.6.2) and Tornado's `Http-Header-Case`
 * normalisation, with a bounded cache so that the names a server sees on every request are
 * normalised once.
 */

/** `token = 1*tchar` (RFC 9110 §5.6.2). */
const TOKEN_RE = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * True when `value` is an HTTP token (RFC 9110 §5.6.2): a method, a header field name, a
 * transfer coding.
 */
export function isToken(value: string): boolean {
  return TOKEN_RE.test(value);
}

// Only names that are valid tokens are cached, so a cache hit also proves validity (the parser
// relies on this to skip the token check for names it has seen before).
const CACHE_LIMIT = 1000;
const cache = new Map<string, string>();

function toHeaderCase(name: string): string {
  let out = '';
  let upper = true;
  for (let i = 0; i < name.length; i++) {
    const ch = name[i]!;
    out += upper ? ch.toUpperCase() : ch.toLowerCase();
    upper = ch === '-';
  }
  return out;
}

/**
 * Maps a header name to `Http-Header-Case` (`coNtent-TYPE` → `Content-Type`), as Tornado stores
 * them. Works for any string; valid names are cached.
 *
 * @see Tornado `tornado.httputil._normalize_header`
 */
export function normalizeHeaderName(name: string): string {
  const hit = cache.get(name);
  if (hit !== undefined) return hit;
  const normalized = toHeaderCase(name);
  if (TOKEN_RE.test(name)) {
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(name, normalized);
  }
  return normalized;
}

/**
 * The normalised form of `name` when it is a valid token, else `undefined`: one lookup for the
 * names seen before, a token check and a normalisation for the others.
 */
export function normalizeTokenName(name: string): string | undefined {
  const hit = cache.get(name);
  if (hit !== undefined) return hit;
  if (!TOKEN_RE.test(name)) return undefined;
  return normalizeHeaderName(name);
}
