/**
 * Where a request goes: the parsed URL, the connection key, and the request head the client
 * writes (Tornado's header rules).
 */
import { encodeUsernamePassword, type HTTPHeaders, HTTPOutputError } from '@tronada/httputil';
import type { HTTPRequest } from './http-request.js';

/** The default `User-Agent`. */
export const DEFAULT_USER_AGENT = 'Tronada/0.1';

const BODY_METHODS = new Set(['POST', 'PATCH', 'PUT']);

/** The parts of a request URL the client uses. */
export interface RequestTarget {
  readonly url: URL;
  readonly secure: boolean;
  /** The host to connect to (no brackets around IPv6). */
  readonly host: string;
  readonly port: number;
  /** The `Host` header value: the URL's host, with the port when one was given. */
  readonly hostHeader: string;
  /** The request target: path and query. */
  readonly path: string;
}

/**
 * Parses `request.url`. Throws a TypeError for a URL that is not absolute `http` or `https`.
 */
export function requestTarget(request: HTTPRequest): RequestTarget {
  let url: URL;
  try {
    url = new URL(request.url);
  } catch (cause) {
    throw new TypeError(`Invalid URL ${JSON.stringify(request.url)}; give an absolute URL`, {
      cause,
    });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError(`Unsupported url scheme: ${request.url}; use http or https`);
  }
  const secure = url.protocol === 'https:';
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  const port = url.port === '' ? (secure ? 443 : 80) : Number(url.port);
  return {
    url,
    secure,
    host,
    port,
    hostHeader: url.host,
    path: `${url.pathname || '/'}${url.search}`,
  };
}

/**
 * Fills in the headers a request needs (the caller's own win): Host, Authorization (basic, from
 * the options or the URL's user info), User-Agent, Accept-Encoding when decompressing,
 * Content-Length and a default Content-Type for a body, and `Expect: 100-continue`. Checks
 * that the body suits the method.
 *
 * @throws TypeError when a body is given for a method without one (or missing for POST, PATCH
 * and PUT), unless `allowNonstandardMethods`.
 * @see Tornado `_HTTPConnection.run`
 */
export function completeHeaders(
  request: HTTPRequest,
  target: RequestTarget,
  headers: HTTPHeaders,
): void {
  if (request.authMode !== 'basic' && request.authMode !== 'digest') {
    throw new TypeError(
      `Unsupported authMode ${JSON.stringify(request.authMode)}; use basic or digest`,
    );
  }
  if (!headers.has('Host')) headers.set('Host', target.hostHeader);
  const username =
    request.authUsername ??
    (target.url.username === '' ? undefined : decodeURIComponent(target.url.username));
  const password =
    request.authPassword ??
    (target.url.password === '' ? '' : decodeURIComponent(target.url.password));
  if (username !== undefined && request.authMode === 'basic' && !headers.has('Authorization')) {
    const token = encodeUsernamePassword(username, password).toString('base64');
    headers.set('Authorization', `Basic ${token}`);
  }
  if (request.userAgent !== undefined) headers.set('User-Agent', request.userAgent);
  else if (!headers.has('User-Agent')) headers.set('User-Agent', DEFAULT_USER_AGENT);
  if (request.decompressResponse && !headers.has('Accept-Encoding')) {
    headers.set('Accept-Encoding', 'gzip, deflate, br');
  }
  const hasBody = request.body !== undefined || request.bodyProducer !== undefined;
  if (!request.allowNonstandardMethods) {
    const expected = BODY_METHODS.has(request.method);
    if (expected !== hasBody) {
      throw new TypeError(
        `Body must ${expected ? 'not ' : ''}be undefined for method ${request.method} (unless allowNonstandardMethods is true)`,
      );
    }
  }
  if (request.body !== undefined) {
    headers.set('Content-Length', String(request.body.length));
  }
  if (request.method === 'POST' && hasBody && !headers.has('Content-Type')) {
    headers.set('Content-Type', 'application/x-www-form-urlencoded');
  }
  if (request.expect100Continue) headers.set('Expect', '100-continue');
  if (headers.get('Transfer-Encoding') !== undefined && request.body !== undefined) {
    throw new HTTPOutputError('Transfer-Encoding with a fixed body; let the client frame it');
  }
}

/** The credentials for Digest authentication, when the request asks for it. */
export function digestCredentials(
  request: HTTPRequest,
  target: RequestTarget,
): { username: string; password: string } | undefined {
  if (request.authMode !== 'digest') return undefined;
  const username =
    request.authUsername ??
    (target.url.username === '' ? undefined : decodeURIComponent(target.url.username));
  if (username === undefined) return undefined;
  const password =
    request.authPassword ??
    (target.url.password === '' ? '' : decodeURIComponent(target.url.password));
  return { username, password };
}
