/**
 * Redirects: which responses are followed and what the next request is (Tornado's rules, which
 * are the Fetch standard's: 301 and 302 turn POST into GET, 303 turns every method but HEAD
 * into GET and drops the body, 307 and 308 keep the method and the body).
 */
import type { HTTPHeaders } from '@tronada/httputil';
import type { HTTPRequest, HTTPRequestOptions } from './http-request.js';

/** The statuses that redirect. */
export const REDIRECT_CODES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);

/** True when `request` follows a response with `code` and `headers`. */
export function shouldFollow(request: HTTPRequest, code: number, headers: HTTPHeaders): boolean {
  return (
    request.followRedirects &&
    request.maxRedirects > 0 &&
    REDIRECT_CODES.has(code) &&
    headers.get('Location') !== undefined
  );
}

const BODY_HEADERS = ['Content-Length', 'Content-Type', 'Content-Encoding', 'Transfer-Encoding'];

function origin(url: URL): string {
  return `${url.protocol}//${url.host}`;
}

/**
 * The request that follows `request` after a `code` response pointing at `location`: the URL
 * resolved against the current one, one redirect fewer, no Host header (it belongs to the old
 * URL), the method and body changed as the rules say, and credentials dropped when the origin
 * changes.
 *
 * @see Tornado `_HTTPConnection.finish` (the redirect branch)
 */
export function redirectRequest(request: HTTPRequest, code: number, location: string): HTTPRequest {
  const from = new URL(request.url);
  const to = new URL(location, from);
  const headers = request.headers.copy();
  headers.delete('Host');
  const changes: HTTPRequestOptions = { maxRedirects: request.maxRedirects - 1, headers };
  const method = request.method;
  if (
    (code === 303 && method !== 'HEAD') ||
    ((code === 301 || code === 302) && method === 'POST')
  ) {
    changes.method = 'GET';
    changes.body = undefined;
    changes.bodyProducer = undefined;
    for (const name of BODY_HEADERS) headers.delete(name);
  }
  if (origin(from) !== origin(to)) {
    // Credentials for one origin must not travel to another (Fetch standard, RFC 9110 §15.4).
    headers.delete('Authorization');
    headers.delete('Cookie');
    changes.authUsername = undefined;
    changes.authPassword = undefined;
  }
  return request.derive(to.href, changes);
}
