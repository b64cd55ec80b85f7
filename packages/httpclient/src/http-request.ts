/**
 * HTTPRequest: what to fetch and how, with Tornado's options in camelCase.
 */

import { HTTPHeaders, type HTTPHeadersInit } from '@tronada/httputil';
import type { Future } from '@tronada/ioloop';
import type { BaseIOStream, SSLOptions } from '@tronada/iostream';
import type { HTTPResponse } from './http-response.js';

/** Writes one piece of a streamed request body; the Future resolves when it was flushed. */
export type BodyWriter = (chunk: Uint8Array | string) => Future<void>;

/** PEM contents (a Buffer, or a string holding `-----BEGIN`), or the path of a PEM file. */
export type PemSource = string | Uint8Array;

/**
 * The options of a request. Every one is optional; unset ones come from the client's
 * `defaults`, then from Tornado's defaults (see {@link REQUEST_DEFAULTS}).
 */
export interface HTTPRequestOptions {
  /** The HTTP method; default `GET`. */
  method?: string | undefined;
  /** Request headers. */
  headers?: HTTPHeadersInit | undefined;
  /** The request body (a string is sent as UTF-8). */
  body?: string | Uint8Array | undefined;
  /**
   * Streams the request body instead of `body`: called with a writer once the head was sent;
   * the body ends when the returned promise settles. Without a Content-Length header the body
   * is sent chunked.
   */
  bodyProducer?: ((write: BodyWriter) => PromiseLike<void> | void) | undefined;
  /** User name for HTTP authentication. */
  authUsername?: string | undefined;
  /** Password for HTTP authentication. */
  authPassword?: string | undefined;
  /** `basic` (default) or `digest` (answers the server's 401 challenge, RFC 7616). */
  authMode?: 'basic' | 'digest' | undefined;
  /** Seconds to connect (resolve, TCP and TLS); default 20. */
  connectTimeout?: number | undefined;
  /** Seconds for the whole request, queue and connect included; default 20. */
  requestTimeout?: number | undefined;
  /** Sends `If-Modified-Since` with this time (a Date, or seconds since the epoch). */
  ifModifiedSince?: Date | number | undefined;
  /** Follow 301, 302, 303, 307 and 308 redirects; default true. */
  followRedirects?: boolean | undefined;
  /** Most redirects followed; default 5. */
  maxRedirects?: number | undefined;
  /** The `User-Agent` header, unless the headers set one. */
  userAgent?: string | undefined;
  /** Ask for and decode gzip, deflate and br bodies; default true. */
  decompressResponse?: boolean | undefined;
  /** Local address to connect from. */
  networkInterface?: string | undefined;
  /** Receives the body in pieces instead of collecting it (`response.body` stays empty). */
  streamingCallback?: ((chunk: Buffer) => void | PromiseLike<void>) | undefined;
  /**
   * Receives the head line by line: the status line, each header line, then `\r\n` (each with
   * its line end), as Tornado does.
   */
  headerCallback?: ((line: string) => void) | undefined;
  /** HTTP proxy host (CONNECT is used for https URLs). */
  proxyHost?: string | undefined;
  /** HTTP proxy port. */
  proxyPort?: number | undefined;
  /** User name for the proxy (basic). */
  proxyUsername?: string | undefined;
  /** Password for the proxy; default empty. */
  proxyPassword?: string | undefined;
  /** Allow any method with or without a body; default false. */
  allowNonstandardMethods?: boolean | undefined;
  /** Check the server's certificate; default true. */
  validateCert?: boolean | undefined;
  /** CA certificates to trust instead of the system's (PEM contents or file paths). */
  caCerts?: PemSource | readonly PemSource[] | undefined;
  /** Client certificate's private key (PEM contents or a file path). */
  clientKey?: PemSource | undefined;
  /** Client certificate (PEM contents or a file path). */
  clientCert?: PemSource | undefined;
  /** Node TLS options; they win over the options above. */
  sslOptions?: SSLOptions | undefined;
  /** Connect over IPv6 too; default true. */
  allowIpv6?: boolean | undefined;
  /** Send `Expect: 100-continue` and the body only after the server's 100; default false. */
  expect100Continue?: boolean | undefined;
  /** Aborts the request (the fetch fails with a 599 whose cause is the signal's reason). */
  signal?: AbortSignal | undefined;
  /**
   * Takes the connection over after `101 Switching Protocols`: called with the stream (bytes
   * after the response head included) and the 101 response. Without it a 101 is an error.
   */
  onUpgrade?: ((stream: BaseIOStream, response: HTTPResponse) => void) | undefined;
}

/** Tornado's defaults for the options a request and a client may leave unset. */
export const REQUEST_DEFAULTS = {
  connectTimeout: 20,
  requestTimeout: 20,
  followRedirects: true,
  maxRedirects: 5,
  decompressResponse: true,
  proxyPassword: '',
  allowNonstandardMethods: false,
  validateCert: true,
  allowIpv6: true,
  expect100Continue: false,
  authMode: 'basic',
} as const;

function definedOnly(options: HTTPRequestOptions): HTTPRequestOptions {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(options)) {
    const value = (options as Record<string, unknown>)[key];
    if (value !== undefined) out[key] = value;
  }
  return out as HTTPRequestOptions;
}

/**
 * One HTTP request: a URL and the options above, with defaults filled in. The `headers` are a
 * private copy; the body is bytes.
 *
 * @see Tornado `tornado.httpclient.HTTPRequest`
 */
export class HTTPRequest {
  /** The URL fetched. */
  readonly url: string;
  /** The method, upper case as given. */
  readonly method: string;
  /** The request headers (the client adds Host, User-Agent, Content-Length and others). */
  readonly headers: HTTPHeaders;
  /** The body, if any. */
  readonly body: Buffer | undefined;
  /** The `bodyProducer` option (see {@link HTTPRequestOptions}), defaults applied. */
  readonly bodyProducer: HTTPRequestOptions['bodyProducer'];
  /** The `authUsername` option (see {@link HTTPRequestOptions}), defaults applied. */
  readonly authUsername: string | undefined;
  /** The `authPassword` option (see {@link HTTPRequestOptions}), defaults applied. */
  readonly authPassword: string | undefined;
  /** The `authMode` option (see {@link HTTPRequestOptions}), defaults applied. */
  readonly authMode: 'basic' | 'digest';
  /** The `connectTimeout` option (see {@link HTTPRequestOptions}), defaults applied. */
  readonly connectTimeout: number;
  /** The `requestTimeout` option (see {@link HTTPRequestOptions}), defaults applied. */
  readonly requestTimeout: number;
  /** The `followRedirects` option (see {@link HTTPRequestOptions}), defaults applied. */
  readonly followRedirects: boolean;
  /** The `maxRedirects` option (see {@link HTTPRequestOptions}), defaults applied. */
  readonly maxRedirects: number;
  /** The `userAgent` option (see {@link HTTPRequestOptions}), defaults applied. */
  readonly userAgent: string | undefined;
  /** The `decompressResponse` option (see {@link HTTPRequestOptions}), defaults applied. */
  readonly decompressResponse: boolean;
  /** The `networkInterface` option (see {@link HTTPRequestOptions}), defaults applied. */
  readonly networkInterface: string | undefined;
  /** The `streamingCallback` option (see {@link HTTPRequestOptions}), defaults applied. */
  readonly streamingCallback: HTTPRequestOptions['streamingCallback'];
  /** The `headerCallback` option (see {@link HTTPRequestOptions}), defaults applied. */
  readonly headerCallback: HTTPRequestOptions['headerCallback'];
  /** The `proxyHost` option (see {@link HTTPRequestOptions}), defaults applied. */
  readonly proxyHost: string | undefined;
  /** The `proxyPort` option (see {@link HTTPRequestOptions}), defaults applied. */
  readonly proxyPort: number | undefined;
  /** The `proxyUsername` option (see {@link HTTPRequestOptions}), defaults applied. */
  readonly proxyUsername: string | undefined;
  /** The `proxyPassword` option (see {@link HTTPRequestOptions}), defaults applied. */
  readonly proxyPassword: string;
  /** The `allowNonstandardMethods` option (see {@link HTTPRequestOptions}), defaults applied. */
  readonly allowNonstandardMethods: boolean;
  /** The `validateCert` option (see {@link HTTPRequestOptions}), defaults applied. */
  readonly validateCert: boolean;
  /** The `caCerts` option (see {@link HTTPRequestOptions}), defaults applied. */
  readonly caCerts: HTTPRequestOptions['caCerts'];
  /** The `clientKey` option (see {@link HTTPRequestOptions}), defaults applied. */
  readonly clientKey: PemSource | undefined;
  /** The `clientCert` option (see {@link HTTPRequestOptions}), defaults applied. */
  readonly clientCert: PemSource | undefined;
  /** The `sslOptions` option (see {@link HTTPRequestOptions}), defaults applied. */
  readonly sslOptions: SSLOptions | undefined;
  /** The `allowIpv6` option (see {@link HTTPRequestOptions}), defaults applied. */
  readonly allowIpv6: boolean;
  /** The `expect100Continue` option (see {@link HTTPRequestOptions}), defaults applied. */
  readonly expect100Continue: boolean;
  /** The `signal` option (see {@link HTTPRequestOptions}), defaults applied. */
  readonly signal: AbortSignal | undefined;
  /** The `onUpgrade` option (see {@link HTTPRequestOptions}), defaults applied. */
  readonly onUpgrade: HTTPRequestOptions['onUpgrade'];
  /** When the request was made (seconds since the epoch). */
  readonly startTime: number;
  /** The request this one was derived from (a redirect's target), or this request. */
  readonly originalRequest: HTTPRequest;
  readonly #options: HTTPRequestOptions;

  constructor(url: string, options: HTTPRequestOptions = {}, originalRequest?: HTTPRequest) {
    const o = definedOnly(options);
    const d = REQUEST_DEFAULTS;
    this.#options = o;
    this.url = url;
    this.method = o.method ?? 'GET';
    this.headers = new HTTPHeaders(o.headers);
    if (o.ifModifiedSince !== undefined) {
      const when = o.ifModifiedSince;
      const date = typeof when === 'number' ? new Date(when * 1000) : when;
      this.headers.set('If-Modified-Since', date.toUTCString());
    }
    this.body =
      o.body === undefined
        ? undefined
        : typeof o.body === 'string'
          ? Buffer.from(o.body, 'utf8')
          : Buffer.from(o.body.buffer, o.body.byteOffset, o.body.byteLength);
    this.bodyProducer = o.bodyProducer;
    this.authUsername = o.authUsername;
    this.authPassword = o.authPassword;
    this.authMode = o.authMode ?? d.authMode;
    this.connectTimeout = o.connectTimeout ?? d.connectTimeout;
    this.requestTimeout = o.requestTimeout ?? d.requestTimeout;
    this.followRedirects = o.followRedirects ?? d.followRedirects;
    this.maxRedirects = o.maxRedirects ?? d.maxRedirects;
    this.userAgent = o.userAgent;
    this.decompressResponse = o.decompressResponse ?? d.decompressResponse;
    this.networkInterface = o.networkInterface;
    this.streamingCallback = o.streamingCallback;
    this.headerCallback = o.headerCallback;
    this.proxyHost = o.proxyHost;
    this.proxyPort = o.proxyPort;
    this.proxyUsername = o.proxyUsername;
    this.proxyPassword = o.proxyPassword ?? d.proxyPassword;
    this.allowNonstandardMethods = o.allowNonstandardMethods ?? d.allowNonstandardMethods;
    this.validateCert = o.validateCert ?? d.validateCert;
    this.caCerts = o.caCerts;
    this.clientKey = o.clientKey;
    this.clientCert = o.clientCert;
    this.sslOptions = o.sslOptions;
    this.allowIpv6 = o.allowIpv6 ?? d.allowIpv6;
    this.expect100Continue = o.expect100Continue ?? d.expect100Continue;
    this.signal = o.signal;
    this.onUpgrade = o.onUpgrade;
    this.startTime = Date.now() / 1000;
    this.originalRequest = originalRequest ?? this;
  }

  /** The options this request was made with (only those given). */
  get options(): Readonly<HTTPRequestOptions> {
    return this.#options;
  }

  /**
   * This request with the options it leaves unset taken from `defaults` (a client's
   * defaults); the result's `originalRequest` is this request.
   *
   * @see Tornado `tornado.httpclient._RequestProxy`
   */
  withDefaults(defaults: HTTPRequestOptions): HTTPRequest {
    const merged = { ...definedOnly(defaults), ...this.#options, headers: this.headers };
    return new HTTPRequest(this.url, merged, this.originalRequest);
  }

  /** A request derived from this one (a redirect): same options, with `changes` applied. */
  derive(url: string, changes: HTTPRequestOptions): HTTPRequest {
    return new HTTPRequest(
      url,
      { ...this.#options, headers: this.headers, ...changes },
      this.originalRequest,
    );
  }
}
