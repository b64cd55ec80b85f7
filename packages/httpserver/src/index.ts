/**
 * @packageDocumentation Tornado's `tornado.httpserver` for Node.js: a non-blocking HTTP/1.1
 * server on IOStream, with keep-alive, pipelining, proxy headers and graceful shutdown.
 */
export type { RequestCallback } from './callable-adapter.js';
export { CallableAdapter } from './callable-adapter.js';
export type { HTTPRequestContextOptions } from './http-request-context.js';
export { HTTPRequestContext } from './http-request-context.js';
export type { AccessLogEntry, HTTPServerOptions, ShutdownOptions } from './http-server.js';
export { HTTPServer } from './http-server.js';
export { ProxyHeadersDelegate } from './proxy-headers-delegate.js';
