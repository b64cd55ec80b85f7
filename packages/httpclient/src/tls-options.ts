/**
 * The TLS options of a request, and the part of a connection key that depends on them.
 */
import { readFileSync } from 'node:fs';
import type { SSLOptions } from '@tronada/iostream';
import type { HTTPRequest, PemSource } from './http-request.js';

function pem(source: PemSource): string | Buffer {
  if (typeof source !== 'string') return Buffer.from(source);
  // PEM contents are used as they are; anything else names a file, as in Tornado.
  return source.includes('-----BEGIN') ? source : readFileSync(source);
}

/**
 * Node TLS options for `request`: `rejectUnauthorized` from `validateCert`, `ca` from
 * `caCerts`, `key` and `cert` from `clientKey` and `clientCert`; `sslOptions` wins.
 */
export function tlsOptionsFor(request: HTTPRequest): SSLOptions {
  const options: SSLOptions = { rejectUnauthorized: request.validateCert };
  if (request.caCerts !== undefined) {
    const list = Array.isArray(request.caCerts) ? request.caCerts : [request.caCerts];
    options.ca = (list as PemSource[]).map(pem);
  }
  if (request.clientKey !== undefined) options.key = pem(request.clientKey);
  if (request.clientCert !== undefined) options.cert = pem(request.clientCert);
  return { ...options, ...request.sslOptions };
}

let nextId = 0;
const ids = new WeakMap<object, number>();

function identity(value: unknown): string {
  if (value === undefined) return '-';
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    return JSON.stringify(value);
  }
  const object = value as object;
  let id = ids.get(object);
  if (id === undefined) {
    id = ++nextId;
    ids.set(object, id);
  }
  return `#${id}`;
}

/**
 * The part of the pool key that the TLS settings make: two requests share a connection only
 * when their settings are the same values or the same objects.
 */
export function tlsKey(request: HTTPRequest): string {
  return [
    request.validateCert,
    identity(request.caCerts),
    identity(request.clientKey),
    identity(request.clientCert),
    identity(request.sslOptions),
  ].join(',');
}
