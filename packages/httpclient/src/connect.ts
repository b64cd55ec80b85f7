/**
 * Opening a connection for a request: directly, through an HTTP proxy (plain requests use the
 * absolute URL as their target), or through a CONNECT tunnel for https, then TLS.
 */

import { isIP } from 'node:net';
import {
  encodeUsernamePassword,
  HTTP1Connection,
  type HTTP1ConnectionParameters,
  HTTPHeaders,
  type HTTPMessageDelegate,
  RequestStartLine,
  type ResponseStartLine,
} from '@tronada/httputil';
import { TimeoutError } from '@tronada/ioloop';
import type { BaseIOStream, IOStream, TCPClient, TCPClientConnectOptions } from '@tronada/iostream';
import { StreamClosedError } from '@tronada/iostream';
import { HTTPClientError, HTTPTimeoutError } from './errors.js';
import type { Connected, FetchControl } from './fetch-operation.js';
import type { HTTPRequest } from './http-request.js';
import type { RequestTarget } from './request-target.js';
import { tlsOptionsFor } from './tls-options.js';

/** What {@link openConnection} needs from the client. */
export interface ConnectSettings {
  readonly tcpClient: TCPClient;
  readonly params: HTTP1ConnectionParameters;
  readonly maxBufferSize: number;
}

function connectError(error: unknown, what: string): HTTPClientError {
  if (error instanceof HTTPClientError) return error;
  if (error instanceof TimeoutError) return new HTTPTimeoutError('Timeout while connecting');
  // The socket's own error (ECONNREFUSED, a certificate error) says more than "stream closed".
  const cause =
    error instanceof StreamClosedError && error.cause !== undefined ? error.cause : error;
  const message = cause instanceof Error ? cause.message : String(cause);
  return new HTTPClientError(599, `${what}: ${message}`, { cause });
}

function proxyAuthorization(request: HTTPRequest): string | undefined {
  if (request.proxyUsername === undefined) return undefined;
  const token = encodeUsernamePassword(request.proxyUsername, request.proxyPassword);
  return `Basic ${token.toString('base64')}`;
}

/** Asks the proxy on `stream` for a tunnel to `target`; resolves with the raw stream. */
async function tunnel(
  stream: IOStream,
  request: HTTPRequest,
  target: RequestTarget,
  settings: ConnectSettings,
): Promise<BaseIOStream> {
  const conn = new HTTP1Connection(stream, true, settings.params);
  const authority = `${target.hostname}:${target.port}`;
  const headers = new HTTPHeaders({ Host: authority });
  const auth = proxyAuthorization(request);
  if (auth !== undefined) headers.set('Proxy-Authorization', auth);
  conn.writeHeaders(new RequestStartLine('CONNECT', authority, 'HTTP/1.1'), headers);
  conn.finish();
  let code = 0;
  const delegate: HTTPMessageDelegate = {
    headersReceived(start) {
      code = (start as ResponseStartLine).code;
    },
    dataReceived() {},
    finish() {},
    onConnectionClose() {},
  };
  await conn.readResponse(delegate);
  if (code < 200 || code >= 300) {
    conn.close();
    throw new HTTPClientError(
      599,
      `The proxy refused the tunnel to ${authority} (${code || 'closed'})`,
    );
  }
  return conn.detach();
}

/**
 * Connects for `request`: to the proxy when it has one, else to the URL's host; TLS for https
 * (after the tunnel when proxied). Failures are {@link HTTPClientError}s (599), a timeout an
 * {@link HTTPTimeoutError} ("Timeout while connecting").
 */
export async function openConnection(
  settings: ConnectSettings,
  request: HTTPRequest,
  target: RequestTarget,
  control: FetchControl,
): Promise<Connected> {
  const proxied = request.proxyHost !== undefined;
  const options: TCPClientConnectOptions = { maxBufferSize: settings.maxBufferSize };
  // A zero timeout means none, as in Tornado.
  const timeout = Math.min(
    ...[request.connectTimeout, request.requestTimeout].filter((x) => x > 0),
  );
  if (Number.isFinite(timeout)) options.timeout = timeout;
  if (request.networkInterface !== undefined) options.sourceIp = request.networkInterface;
  if (!request.allowIpv6) options.af = 4;
  if (target.secure && !proxied) options.sslOptions = tlsOptionsFor(request);
  const host = proxied ? request.proxyHost! : target.host;
  if (!request.allowIpv6 && isIP(host) === 6) {
    throw new HTTPClientError(599, `Cannot connect to ${host}: allowIpv6 is false`);
  }
  const port = proxied ? (request.proxyPort ?? 80) : target.port;
  let stream: BaseIOStream;
  try {
    stream = await settings.tcpClient.connect(host, port, options);
  } catch (error) {
    throw connectError(error, `Could not connect to ${host}:${port}`);
  }
  if (control.stopped) {
    stream.close();
    control.check();
  }
  if (proxied && target.secure) {
    try {
      const raw = (await tunnel(stream as IOStream, request, target, settings)) as IOStream;
      stream = await raw.startTls(false, tlsOptionsFor(request), target.host);
    } catch (error) {
      stream.close();
      throw connectError(error, `Could not open a TLS tunnel to ${target.host}`);
    }
    control.check();
  }
  const connection = new HTTP1Connection(stream, true, settings.params);
  if (!proxied || target.secure) return { connection };
  const extraHeaders = new HTTPHeaders();
  const auth = proxyAuthorization(request);
  if (auth !== undefined) extraHeaders.set('Proxy-Authorization', auth);
  const url = new URL(target.href);
  url.hash = '';
  url.username = '';
  url.password = '';
  return { connection, path: url.href, extraHeaders };
}
