/**
 * Formatting of `Set-Cookie` header values, byte for byte as Tornado (Python's `SimpleCookie`)
 * writes them.
 */
import { formatTimestamp } from '@tronada/httputil';

/**
 * Options of `RequestHandler.setCookie`. Times: `expires` is a `Date` or seconds since the
 * epoch; `expiresDays` counts days from now; `maxAge` is in seconds.
 */
export interface CookieOptions {
  domain?: string | undefined;
  expires?: Date | number | undefined;
  /** Default `/`; an empty string leaves the attribute out. */
  path?: string | undefined;
  expiresDays?: number | undefined;
  maxAge?: number | undefined;
  secure?: boolean | undefined;
  httponly?: boolean | undefined;
  samesite?: 'Strict' | 'Lax' | 'None' | (string & {}) | undefined;
}

// Characters a cookie value may hold without quotes (Python's `http.cookies._LegalChars`).
const LEGAL_VALUE_RE = /^[A-Za-z0-9!#$%&'*+\-.^_`|~:]*$/;
// Bytes written as octal escapes inside quotes (Python's `_Translator`).
// biome-ignore lint/suspicious/noControlCharactersInRegex: control bytes are what gets escaped.
const NEEDS_ESCAPE_RE = /[\x00-\x1f\x7f-\xff",;\\]/g;

function escapeChar(ch: string): string {
  if (ch === '"' || ch === '\\') return `\\${ch}`;
  return `\\${ch.charCodeAt(0).toString(8).padStart(3, '0')}`;
}

/** Quotes a cookie value the way Python's `SimpleCookie` does (as is when it can be). */
export function quoteCookieValue(value: string): string {
  if (LEGAL_VALUE_RE.test(value)) return value;
  return `"${value.replace(NEEDS_ESCAPE_RE, escapeChar)}"`;
}

/** Rejects names and values that would inject into the header (controls, space). */
export function checkCookiePart(name: string, value: string): void {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this rejects.
  if (/[\x00-\x20]/.test(name + value)) {
    throw new TypeError(`Invalid cookie ${JSON.stringify(name)}: ${JSON.stringify(value)}`);
  }
}

/**
 * The `Set-Cookie` value for `name=value` with `options`, attributes in Python's order
 * (Domain, expires, HttpOnly, Max-Age, Path, SameSite, Secure). `now` is wall time in seconds.
 */
export function formatSetCookie(
  name: string,
  value: string,
  options: CookieOptions,
  now: number,
): string {
  let out = `${name}=${quoteCookieValue(value)}`;
  if (options.domain) out += `; Domain=${options.domain}`;
  let expires = options.expires;
  if (options.expiresDays !== undefined && !expires) {
    expires = now + options.expiresDays * 86400;
  }
  if (expires) out += `; expires=${formatTimestamp(expires)}`;
  if (options.httponly) out += '; HttpOnly';
  if (options.maxAge !== undefined) out += `; Max-Age=${options.maxAge}`;
  const path = options.path ?? '/';
  if (path) out += `; Path=${path}`;
  if (options.samesite) out += `; SameSite=${options.samesite}`;
  if (options.secure) out += '; Secure';
  return out;
}
