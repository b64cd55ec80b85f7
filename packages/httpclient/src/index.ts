/**
 * @packageDocumentation Tornado's non-blocking HTTP client for Node.js (Tornado:
 * `tornado.httpclient` with `tornado.simple_httpclient`): AsyncHTTPClient, HTTPRequest,
 * HTTPResponse, with keep-alive pooling, redirects, decompression, Digest auth, proxies and a
 * hook for `101 Switching Protocols`.
 */
export type {
  AsyncHTTPClientOptions,
  FetchCallback,
  FetchOptions,
} from './async-http-client.js';
export { AsyncHTTPClient } from './async-http-client.js';
export type { HTTPClientErrorOptions } from './errors.js';
export { HTTPClientError, HTTPStreamClosedError, HTTPTimeoutError } from './errors.js';
export type { BodyWriter, HTTPRequestOptions, PemSource } from './http-request.js';
export { HTTPRequest, REQUEST_DEFAULTS } from './http-request.js';
export type { HTTPResponseInit, TimeInfo } from './http-response.js';
export { HTTPResponse } from './http-response.js';
