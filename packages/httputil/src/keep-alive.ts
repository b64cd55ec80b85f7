/**
 * canKeepAlive: whether a connection may carry another message after this one.
 */
import type { HTTPHeaders } from './http-headers.js';
import type { RequestStartLine, ResponseStartLine } from './start-line.js';

/**
 * Tornado's keep-alive rule: HTTP/1.1 stays open unless `Connection: close`; HTTP/1.0 stays open
 * only with `Connection: keep-alive` and a framed body (Content-Length, chunked, or a GET/HEAD
 * request); `noKeepAlive` always closes.
 *
 * @see Tornado `HTTP1Connection._can_keep_alive`
 */
export function canKeepAlive(
  startLine: RequestStartLine | ResponseStartLine,
  headers: HTTPHeaders,
  noKeepAlive = false,
): boolean {
  if (noKeepAlive) return false;
  const connection = headers.get('Connection')?.toLowerCase();
  if (startLine.version === 'HTTP/1.1') return connection !== 'close';
  const method = 'method' in startLine ? startLine.method : undefined;
  if (
    headers.has('Content-Length') ||
    headers.get('Transfer-Encoding', '').toLowerCase() === 'chunked' ||
    method === 'HEAD' ||
    method === 'GET'
  ) {
    return connection === 'keep-alive';
  }
  return false;
}
