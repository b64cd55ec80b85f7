/**
 * Where a request goes: the parsed URL, the connection key, and the request head the client
 * writes (Tornado's header rules).
 */
import { encodeUsernamePassword, type HTTPHeaders, HTTPOutputError } from '@tronada/httputil';
import type { HTTPRequest } from './http-request.js';
import { tlsKey } from './tls-options.js';

/** The default `User-Agent`. */
export const DEFAULT_USER_AGENT = 'Tronada/0.1';

const BODY_METHODS = new Set(['POST', 'PATCH', 'PUT']);

/**
 * The parts of a request URL the client uses. Plain strings and numbers only, frozen, so one
 * parse can serve every request to the same URL (see `target-cache.ts`).
 */
export interface RequestTarget {
  /** The normalized URL (as `URL.href`). */
  readonly href: string;
  /** `http:` or `https:`. */
  readonly protocol: 'http:' | 'https:';
  /** `protocol//host:port`, the pool key of a direct connection (see {@link poolKey}). */
  readonly origin: string;
  readonly secure: boolean;
  /** The URL's host name as written in it (IPv6 in brackets). */
  readonly hostname: string;
  /** The host to connect to (no brackets around IPv6). */
  readonly host: string;
  readonly port: number;
  /** The `Host` header value: the URL's host, with the port when one was given. */
  readonly hostHeader: string;
  /** The request target: path and query. */
  readonly path: string;
  /** The URL's user name as written (percent-encoded); empty when it has none. */
  readonly username: string;
  /** The URL's password as written (percent-encoded); empty when it has none. */
  readonly password: string;
}

/**
 * Parses `url` for a request. Throws a TypeError for a URL that is not absolute `http` or
 * `https`.
 */
export function parseTarget(url: string): RequestTarget {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (cause) {
    throw new TypeError(`Invalid URL ${JSON.stringify(url)}; give an absolute URL`, { cause });
  }
  const protocol = parsed.protocol;
  if (protocol !== 'http:' && protocol !== 'https:') {
    throw new TypeError(`Unsupported url scheme: ${url}; use http or https`);
  }
  const secure = protocol === 'https:';
  const hostname = parsed.hostname;
  const host = hostname.startsWith('[') ? hostname.slice(1, -1) : hostname;
  const port = parsed.port === '' ? (secure ? 443 : 80) : Number(parsed.port);
  return Object.freeze({
    href: parsed.href,
    protocol,
    origin: `${protocol}//${host}:${port}`,
    secure,
    hostname,
    host,
    port,
    hostHeader: parsed.host,
    path: `${parsed.pathname || '/'}${parsed.search}`,
    username: parsed.username,
    password: parsed.password,
  });
}

/**
 * The key of the connections `request` may share: the target's origin, plus the TLS settings,
 * proxy, local address and IPv6 choice when any differs from a direct plain connection. A
 * plain direct request gets `target.origin` itself, a string made once per target, so the pool
 * looks it up without building or hashing a new string.
 */
export function poolKey(request: HTTPRequest, target: RequestTarget): string {
  if (
    !target.secure &&
    request.proxyHost === undefined &&
    request.proxyUsername === undefined &&
    request.networkInterface === undefined &&
    request.allowIpv6
  ) {
    return target.origin;
  }
  // Every key built here holds '|', which a URL's host cannot (a forbidden host code point),
  // so it never equals a plain origin.
  const proxy = request.proxyHost === undefined ? '' : `${request.proxyHost}:${request.proxyPort}`;
  const tls = target.secure ? tlsKey(request) : '';
  return `${target.origin}|${tls}|${proxy}|${request.proxyUsername ?? ''}|${request.networkInterface ?? ''}|${request.allowIpv6}`;
}

/**
 * Checks that `request` can be sent to `target`: a known `authMode`, user info in the URL that
 * percent-decodes, a body exactly when the method takes one (unless
 * `allowNonstandardMethods`), and no Transfer-Encoding header beside a fixed body.
 *
 * @throws TypeError for a bad `authMode` or a body that does not suit the method; URIError for
 * user info that does not decode; HTTPOutputError for Transfer-Encoding with a fixed body.
 */
export function checkRequest(request: HTTPRequest, target: RequestTarget): void {
  if (request.authMode !== 'basic' && request.authMode !== 'digest') {
    throw new TypeError(
      `Unsupported authMode ${JSON.stringify(request.authMode)}; use basic or digest`,
    );
  }
  effectiveUsername(request, target);
  effectivePassword(request, target);
  const hasBody = request.body !== undefined || request.bodyProducer !== undefined;
  if (!request.allowNonstandardMethods) {
    const expected = BODY_METHODS.has(request.method);
    if (expected !== hasBody) {
      throw new TypeError(
        `Body must ${expected ? 'not ' : ''}be undefined for method ${request.method} (unless allowNonstandardMethods is true)`,
      );
    }
  }
  if (request.body !== undefined && request.headers.get('Transfer-Encoding') !== undefined) {
    throw new HTTPOutputError('Transfer-Encoding with a fixed body; let the client frame it');
  }
}

/**
 * Fills in the headers a request needs (the caller's own win): Host, Authorization (basic, from
 * the options or the URL's user info), User-Agent, Accept-Encoding when decompressing,
 * Content-Length and a default Content-Type for a body, and `Expect: 100-continue`. Checks
 * the request first (see {@link checkRequest}).
 *
 * @throws as {@link checkRequest}.
 * @see Tornado `_HTTPConnection.run`
 */
export function completeHeaders(
  request: HTTPRequest,
  target: RequestTarget,
  headers: HTTPHeaders,
): void {
  checkRequest(request, target);
  if (!headers.has('Host')) headers.set('Host', target.hostHeader);
  const username = effectiveUsername(request, target);
  const password = effectivePassword(request, target);
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
  if (request.body !== undefined) {
    headers.set('Content-Length', String(request.body.length));
  }
  if (request.method === 'POST' && hasBody && !headers.has('Content-Type')) {
    headers.set('Content-Type', 'application/x-www-form-urlencoded');
  }
  if (request.expect100Continue) headers.set('Expect', '100-continue');
}

/** The credentials for Digest authentication, when the request asks for it. */
export function digestCredentials(
  request: HTTPRequest,
  target: RequestTarget,
): { username: string; password: string } | undefined {
  if (request.authMode !== 'digest') return undefined;
  const username = effectiveUsername(request, target);
  if (username === undefined) return undefined;
  return { username, password: effectivePassword(request, target) };
}

function effectiveUsername(request: HTTPRequest, target: RequestTarget): string | undefined {
  if (request.authUsername !== undefined) return request.authUsername;
  return target.username === '' ? undefined : decodeURIComponent(target.username);
}

function effectivePassword(request: HTTPRequest, target: RequestTarget): string {
  if (request.authPassword !== undefined) return request.authPassword;
  return target.password === '' ? '' : decodeURIComponent(target.password);
}
