/**
 * RequestHandler: the base class of every request handler.
 *
 * One handler instance serves one request. The application constructs it, then
 * {@link startHandler} resets the response (`clear`, which calls `setDefaultHeaders`) and
 * calls `initialize(kwargs)`, then {@link executeHandler} runs the request: the method check,
 * body parsing, path arguments, the XSRF check, `prepare()`, the verb method, and the automatic
 * `finish()`. Each step may be plain, async, or a generator (run as a coroutine); a step that
 * returns nothing to wait for continues in the same tick, so a synchronous handler answers
 * without a trip through the microtask queue.
 *
 * Errors thrown anywhere in that sequence become error responses (`sendError`): an
 * {@link HTTPError} with its status and a warning log line, anything else a 500 and an error
 * log line with the stack; {@link Finish} ends the request quietly.
 */
import type { HTTPConnection, HTTPServerRequest } from '@tronada/httputil';
import { HTTPHeaders, HTTPInputError, ResponseStartLine } from '@tronada/httputil';
import { appLog, Future, genLog } from '@tronada/ioloop';
import { StreamClosedError } from '@tronada/iostream';
import type { BaseLoader } from '@tronada/template';
import { jsonEncode, Loader, xhtmlEscape } from '@tronada/template';
import type { Application } from './application.js';
import { currentHttpDate } from './date-header.js';
import { responseTexts } from './encoded-text-cache.js';
import { errorPage, tracebackText } from './error-page.js';
import { Finish, HTTPError, MissingArgumentError } from './errors.js';
import { etagMatches, etagOf } from './etag.js';
import { type ArgumentSource, argumentValues } from './handler-arguments.js';
import { pendingResult } from './handler-result.js';
import { reasonPhrase } from './http-status.js';
import { parseAcceptLanguage } from './locale/accept-language.js';
import { Locale } from './locale/locale.js';
import type { OutputTransform } from './output-transform.js';
import {
  collectPageResources,
  embeddedCssHtml,
  embeddedJsHtml,
  injectPageResources,
  linkedCssHtml,
  linkedJsHtml,
  resourceUrls,
} from './page-resources.js';
import { type RawXsrfToken, RequestState, UNSET_USER } from './request-state.js';
import { ResponseState } from './response-state.js';
import {
  createSignedValue,
  decodeSignedValue,
  getSignatureKeyVersion,
} from './security/signed-value.js';
import {
  decodeXsrfToken,
  encodeXsrfToken,
  newXsrfTokenBytes,
  xsrfTokensMatch,
} from './security/xsrf-token.js';
import { type CookieOptions, checkCookiePart, formatSetCookie } from './set-cookie.js';
import type { ApplicationSettings } from './settings.js';
import { bindUiMethods } from './ui-methods.js';
import { activeUiModules, createUiModuleNamespace } from './ui-module-namespace.js';
import { loadUiModules } from './ui-modules.js';

/** What `write` and `finish` accept: text (UTF-8), bytes, or a plain object sent as JSON. */
export type OutputChunk = string | Uint8Array | Readonly<Record<string, unknown>>;

/** A header value as `setHeader` accepts it: strings, numbers and dates (HTTP date format). */
export type HeaderValue = string | number | Date | Uint8Array;

/** Options of {@link RequestHandler.getArgument} and friends. */
export interface ArgumentOptions {
  /** Trim surrounding whitespace (default true). */
  strip?: boolean;
}

/** Options of {@link RequestHandler.redirect}. */
export interface RedirectOptions {
  /** 301 instead of 302 (ignored when `status` is given). */
  permanent?: boolean;
  /** An explicit 3xx status. */
  status?: number;
}

/** Options of {@link RequestHandler.sendError}: passed on to `writeError`. */
export interface SendErrorOptions {
  /** The error that caused the response, if any. */
  excInfo?: unknown;
  /** The reason phrase for the status line. */
  reason?: string;
  /** Anything else an overridden `writeError` wants. */
  [key: string]: unknown;
}

/** Options of the signed-cookie methods. */
export interface SignedCookieOptions {
  /** Oldest accepted signature format (default 1). */
  minVersion?: 1 | 2;
  /** Days a signed value stays valid (default 31). */
  maxAgeDays?: number;
}

/** Options of {@link RequestHandler.setSignedCookie}: cookie options plus the format. */
export interface SetSignedCookieOptions extends CookieOptions {
  /** The signature format (default 2). */
  version?: 1 | 2;
}

/** A class of {@link RequestHandler}s, as routing rules name them. */
export type RequestHandlerClass<H extends RequestHandler = RequestHandler> = (new (
  application: Application,
  request: HTTPServerRequest,
) => H) &
  Pick<typeof RequestHandler, 'SUPPORTED_METHODS' | 'streamRequestBody'>;

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this replaces.
const CONTROL_CHARS_RE = /[\x00-\x08\x0e-\x1f]/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this rejects.
const UNSAFE_HEADER_VALUE_RE = /[\x00-\x1f]/;
const REASON_RE = /^[\t\x20-\x7e\x80-\xff]*$/;
const VERB_METHODS = ['get', 'head', 'post', 'delete', 'patch', 'put', 'options'] as const;
// The verb method of each standard method, without a toLowerCase per request.
const VERB_OF: ReadonlyMap<string, string> = new Map(
  VERB_METHODS.map((verb) => [verb.toUpperCase(), verb]),
);
// What a detached handler keeps in place of its output state (it writes nothing more, and a
// websocket handler may live for hours): shared, and frozen so that a stray push fails loudly.
const NO_OUTPUT = Object.freeze([]) as readonly Buffer[] as Buffer[];
const NO_TRANSFORMS: readonly OutputTransform[] = Object.freeze([]);
// What the verb method gets when the path has no groups (frozen: apply only reads it).
const NO_PATH_ARGS = Object.freeze([]) as readonly (string | undefined)[] as (string | undefined)[];
// The bits of RequestHandler's #flags.
const HEADERS_WRITTEN = 1 << 0;
const FINISHED = 1 << 1;
const NO_AUTO_FINISH = 1 << 2;
const CLOSE_NOTIFIED = 1 << 3;
// The stages of the request sequence (see RequestHandler's #execute).
const STAGE_USER = 1;
const STAGE_PREPARE = 2;
const STAGE_BODY = 3;
const STAGE_VERB = 4;
const STAGE_FINISH = 5;
const STOP: unique symbol = Symbol('stop');
const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });

let startHandlerImpl: (handler: RequestHandler, kwargs: Record<string, unknown>) => void;
let executeHandlerImpl: (
  handler: RequestHandler,
  transforms: readonly OutputTransform[],
  pathArgs: readonly (Uint8Array | undefined)[],
  pathKwargs: Readonly<Record<string, Uint8Array | undefined>>,
) => Promise<void> | undefined;
let streamingImpl: (handler: RequestHandler) => {
  prepared: Future<void>;
  body: Future<void>;
};
let setAutoFinishImpl: (handler: RequestHandler, value: boolean) => void;
let handleExceptionImpl: (handler: RequestHandler, error: unknown) => void;
let connectionClosedImpl: (handler: RequestHandler) => void;
let markFinishedImpl: (handler: RequestHandler) => void;

function isJsonObject(chunk: unknown): chunk is Readonly<Record<string, unknown>> {
  return typeof chunk === 'object' && chunk !== null && !(chunk instanceof Uint8Array);
}

function toBuffer(chunk: Uint8Array): Buffer {
  return Buffer.isBuffer(chunk)
    ? chunk
    : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

/**
 * Base class for HTTP request handlers: subclass it and define verb methods (`get`, `post`,
 * ...), each plain, `async`, or a generator (`*get() { const r = yield fetch(...); }`).
 *
 * ```ts
 * class MainHandler extends RequestHandler {
 *   get() {
 *     this.write('Hello, world');
 *   }
 * }
 * new Application([['/', MainHandler]]).listen(8888);
 * ```
 *
 * Do not override the constructor to set up state; override {@link RequestHandler.initialize},
 * which receives the rule's keyword arguments after the handler is fully constructed.
 *
 * @see Tornado `tornado.web.RequestHandler`
 */
export class RequestHandler {
  /** The methods this handler class accepts; others get a 405. */
  static SUPPORTED_METHODS: readonly string[] = [
    'GET',
    'HEAD',
    'POST',
    'DELETE',
    'PATCH',
    'PUT',
    'OPTIONS',
  ];

  /**
   * When true, `prepare()` runs once the headers arrive and the body is handed to
   * {@link RequestHandler.dataReceived} piece by piece instead of being buffered.
   *
   * @see Tornado `tornado.web.stream_request_body`
   */
  static streamRequestBody = false;

  /** The application this handler belongs to. */
  readonly application: Application;
  /** The request being handled. */
  readonly request: HTTPServerRequest;
  // A handler lives as long as its request, and a detached one (a websocket) for hours, so it
  // keeps few fields: the booleans are bits of #flags, the response being built is one object
  // that detach() drops, and what is computed on demand is another, made on first use. Path
  // groups are null when the path has none; the accessors make the empty values when asked.
  #pathArgs: (string | undefined)[] | null = null;
  #pathKwargs: Record<string, string | undefined> | null = null;
  #flags = 0;
  #status = 200;
  // Null once detached (made again if a detached handler still touches it).
  #response: ResponseState | null = new ResponseState(new HTTPHeaders(), 'OK', [], NO_TRANSFORMS);
  #state: RequestState | null = null;

  /** The path's capturing groups, percent-decoded (set before `prepare`). */
  get pathArgs(): (string | undefined)[] {
    this.#pathArgs ??= [];
    return this.#pathArgs;
  }

  set pathArgs(value: (string | undefined)[]) {
    this.#pathArgs = value;
  }

  /** The path's named groups by name, percent-decoded (set before `prepare`). */
  get pathKwargs(): Record<string, string | undefined> {
    this.#pathKwargs ??= {};
    return this.#pathKwargs;
  }

  set pathKwargs(value: Record<string, string | undefined>) {
    this.#pathKwargs = value;
  }

  /**
   * What templates get on top of the usual names: the UI methods bound to this handler, and
   * the UI modules as `modules` and `_tt_modules` (the name `{% module %}` calls).
   */
  get ui(): Record<string, unknown> {
    const state = this.#lazy;
    state.ui ??= this.#buildUi();
    return state.ui;
  }

  set ui(value: Record<string, unknown>) {
    this.#lazy.ui = value;
  }

  /**
   * Default of `staticUrl`'s `includeHost` option: absolute URLs with scheme and host. A plain
   * field, so that subclasses may override it with one (`override includeHost = true`).
   */
  includeHost = false;

  #setFlag(bit: number, value: boolean): void {
    this.#flags = value ? this.#flags | bit : this.#flags & ~bit;
  }

  get #headersWritten(): boolean {
    return (this.#flags & HEADERS_WRITTEN) !== 0;
  }

  set #headersWritten(value: boolean) {
    this.#setFlag(HEADERS_WRITTEN, value);
  }

  get #finished(): boolean {
    return (this.#flags & FINISHED) !== 0;
  }

  set #finished(value: boolean) {
    this.#setFlag(FINISHED, value);
  }

  // The response being built; after detach(), a bare one with no output is made on demand.
  get #res(): ResponseState {
    this.#response ??= new ResponseState(
      null,
      reasonPhrase(this.#status),
      NO_OUTPUT,
      NO_TRANSFORMS,
    );
    return this.#response;
  }

  get #lazy(): RequestState {
    this.#state ??= new RequestState();
    return this.#state;
  }

  static {
    startHandlerImpl = (handler, kwargs) => handler.#start(kwargs);
    executeHandlerImpl = (handler, transforms, pathArgs, pathKwargs) =>
      handler.#execute(transforms, pathArgs, pathKwargs);
    streamingImpl = (handler) => {
      const state = handler.#lazy;
      state.prepared = new Future<void>();
      state.bodyReceived = new Future<void>();
      return { prepared: state.prepared, body: state.bodyReceived };
    };
    setAutoFinishImpl = (handler, value) => {
      handler.#setFlag(NO_AUTO_FINISH, !value);
    };
    handleExceptionImpl = (handler, error) => handler.#handleRequestException(error);
    connectionClosedImpl = (handler) => {
      // The connection's close callback and the delegate may both report one close.
      if ((handler.#flags & CLOSE_NOTIFIED) !== 0) return;
      handler.#flags |= CLOSE_NOTIFIED;
      handler.onConnectionClose();
    };
    markFinishedImpl = (handler) => {
      handler.#finished = true;
      handler.request.connection?.setCloseCallback(null);
    };
  }

  constructor(application: Application, request: HTTPServerRequest) {
    this.application = application;
    this.request = request;
  }

  /** The application's settings. */
  get settings(): ApplicationSettings {
    return this.application.settings;
  }

  // ---- entry points -------------------------------------------------------------------------

  /**
   * Hook for per-request set-up, called with the rule's keyword arguments after construction.
   *
   * @see Tornado `RequestHandler.initialize`
   */
  initialize(_kwargs: Record<string, unknown>): void {}

  /**
   * Called before the verb method; may be async or a generator. Finishing the request here
   * (say, with a redirect) skips the verb method.
   *
   * @see Tornado `RequestHandler.prepare`
   */
  prepare(): unknown {
    return undefined;
  }

  /** Called after the response is sent, for clean-up or logging; it may not write output. */
  onFinish(): void {}

  /**
   * Called when the client closes the connection before the response is finished.
   *
   * @see Tornado `RequestHandler.on_connection_close`
   */
  onConnectionClose(): void {
    const body = this.#state?.bodyReceived;
    if (body !== null && body !== undefined && !body.done()) {
      body.setException(new StreamClosedError());
      body.exception();
    }
  }

  /**
   * Receives a piece of the request body in streaming mode (`streamRequestBody`); may return
   * a promise to pause reading until it settles.
   *
   * @see Tornado `RequestHandler.data_received`
   */
  dataReceived(_chunk: Buffer): unknown {
    throw new Error(`${this.constructor.name} streams request bodies but defines no dataReceived`);
  }

  /** Handles GET; the default answers 405. */
  get(..._args: (string | undefined)[]): unknown {
    throw new HTTPError(405);
  }
  /** Handles HEAD; the default answers 405. */
  head(..._args: (string | undefined)[]): unknown {
    throw new HTTPError(405);
  }
  /** Handles POST; the default answers 405. */
  post(..._args: (string | undefined)[]): unknown {
    throw new HTTPError(405);
  }
  /** Handles DELETE; the default answers 405. */
  delete(..._args: (string | undefined)[]): unknown {
    throw new HTTPError(405);
  }
  /** Handles PATCH; the default answers 405. */
  patch(..._args: (string | undefined)[]): unknown {
    throw new HTTPError(405);
  }
  /** Handles PUT; the default answers 405. */
  put(..._args: (string | undefined)[]): unknown {
    throw new HTTPError(405);
  }
  /** Handles OPTIONS; the default answers 405. */
  options(..._args: (string | undefined)[]): unknown {
    throw new HTTPError(405);
  }

  // ---- status and headers -------------------------------------------------------------------

  /**
   * Resets the status, headers and buffered output (then calls `setDefaultHeaders`).
   *
   * @see Tornado `RequestHandler.clear`
   */
  clear(): void {
    // A handler's first clear() finds the empty headers of its construction and keeps them.
    const response = this.#res;
    let headers = response.headers;
    if (headers === null || headers.size !== 0) headers = response.headers = new HTTPHeaders();
    headers.set('Server', 'TronadaServer');
    headers.set('Content-Type', 'text/html; charset=UTF-8');
    headers.set('Date', currentHttpDate());
    this.setDefaultHeaders();
    response.writeBuffer = [];
    this.#status = 200;
    response.reason = 'OK';
  }

  /** Override to set headers every response of this handler starts with (a custom `Server`). */
  setDefaultHeaders(): void {}

  /**
   * Sets the response status; `reason` replaces the standard phrase (a phrase with `<` or
   * characters not allowed in a status line becomes `Unknown`).
   *
   * @see Tornado `RequestHandler.set_status`
   */
  setStatus(statusCode: number, reason?: string | null): void {
    this.#status = statusCode;
    if (reason !== undefined && reason !== null) {
      this.#res.reason = reason.includes('<') || !REASON_RE.test(reason) ? 'Unknown' : reason;
    } else {
      this.#res.reason = reasonPhrase(statusCode);
    }
  }

  /** The response status. */
  getStatus(): number {
    return this.#status;
  }

  /** The response's reason phrase. */
  get reason(): string {
    return this.#response?.reason ?? reasonPhrase(this.#status);
  }

  /**
   * Sets a response header (dates in HTTP format, numbers as decimals). A value with control
   * characters is refused, so headers cannot be injected.
   */
  setHeader(name: string, value: HeaderValue): void {
    this.#out.set(name, this.#headerValue(value));
  }

  /** Adds a value to a response header that may repeat. */
  addHeader(name: string, value: HeaderValue): void {
    this.#out.add(name, this.#headerValue(value));
  }

  /** Removes a response header set before. */
  clearHeader(name: string): void {
    this.#out.delete(name);
  }

  /** The value of a response header set so far, or undefined. */
  getHeader(name: string): string | undefined {
    return this.#out.get(name);
  }

  /** The response headers (live; changing them after the first flush has no effect). */
  get responseHeaders(): HTTPHeaders {
    return this.#out;
  }

  get #out(): HTTPHeaders {
    const response = this.#res;
    response.headers ??= new HTTPHeaders();
    return response.headers;
  }

  #headerValue(value: HeaderValue): string {
    if (typeof value === 'number') return String(value);
    if (value instanceof Date) return value.toUTCString();
    const text = typeof value === 'string' ? value : Buffer.from(value).toString('latin1');
    if (UNSAFE_HEADER_VALUE_RE.test(text)) {
      throw new TypeError(
        `Unsafe header value ${JSON.stringify(text)}: control characters are not allowed`,
      );
    }
    return text;
  }

  // ---- input ---------------------------------------------------------------------------------

  /**
   * The last value of the query or body argument `name`, decoded and stripped. Without a
   * default, a missing argument is a {@link MissingArgumentError} (400).
   *
   * @see Tornado `RequestHandler.get_argument`
   */
  getArgument(name: string): string;
  getArgument<D>(name: string, defaultValue: D, options?: ArgumentOptions): string | D;
  getArgument(name: string, ...rest: unknown[]): unknown {
    return this.#argument(name, this.request.arguments, rest);
  }

  /** Every value of the query or body argument `name` (empty when missing). */
  getArguments(name: string, options: ArgumentOptions = {}): string[] {
    return this.#arguments(name, this.request.arguments, options);
  }

  /** Like {@link getArgument}, from the request body only. */
  getBodyArgument(name: string): string;
  getBodyArgument<D>(name: string, defaultValue: D, options?: ArgumentOptions): string | D;
  getBodyArgument(name: string, ...rest: unknown[]): unknown {
    return this.#argument(name, this.request.bodyArguments, rest);
  }

  /** Like {@link getArguments}, from the request body only. */
  getBodyArguments(name: string, options: ArgumentOptions = {}): string[] {
    return this.#arguments(name, this.request.bodyArguments, options);
  }

  /** Like {@link getArgument}, from the query string only. */
  getQueryArgument(name: string): string;
  getQueryArgument<D>(name: string, defaultValue: D, options?: ArgumentOptions): string | D;
  getQueryArgument(name: string, ...rest: unknown[]): unknown {
    return this.#argument(name, this.request.queryArguments, rest);
  }

  /** Like {@link getArguments}, from the query string only. */
  getQueryArguments(name: string, options: ArgumentOptions = {}): string[] {
    return this.#arguments(name, this.request.queryArguments, options);
  }

  #argument(name: string, source: ArgumentSource, rest: unknown[]): unknown {
    const options = (rest[1] ?? {}) as ArgumentOptions;
    const values = this.#arguments(name, source, options);
    if (values.length === 0) {
      if (rest.length === 0) throw new MissingArgumentError(name);
      return rest[0];
    }
    return values[values.length - 1];
  }

  #arguments(name: string, source: ArgumentSource, options: ArgumentOptions): string[] {
    return argumentValues(source, name, (raw) => {
      const value: string | Uint8Array = this.decodeArgument(raw, name);
      // An override may hand the bytes back undecoded, as Tornado allows: they are only stripped.
      if (typeof value !== 'string') {
        return (options.strip === false ? value : stripBytes(value)) as unknown as string;
      }
      const decoded = value.replace(CONTROL_CHARS_RE, ' ');
      return options.strip === false ? decoded : decoded.trim();
    });
  }

  /**
   * Turns a percent-decoded argument (bytes) into text; invalid UTF-8 is a 400. Override to
   * decode differently (an override that returns the bytes unchanged gets them back from
   * `getArgument` and as path arguments). Also used for path arguments (`name` undefined for
   * unnamed groups).
   *
   * @see Tornado `RequestHandler.decode_argument`
   */
  decodeArgument(value: Uint8Array, name?: string): string {
    try {
      return STRICT_UTF8.decode(value);
    } catch {
      const shown = JSON.stringify(Buffer.from(value.subarray(0, 40)).toString('latin1'));
      // The value goes in as an argument, so its percent signs are not read as directives.
      throw new HTTPError(400, 'Invalid unicode in %s: %s', { args: [name ?? 'url', shown] });
    }
  }

  /**
   * The request body parsed as JSON (`application/json` bodies only). A body of another type or
   * malformed JSON is a 400 with a message saying which.
   */
  getJsonBody<T = unknown>(): T {
    const type = (this.request.headers.get('Content-Type') ?? '')
      .split(';')[0]!
      .trim()
      .toLowerCase();
    if (type !== 'application/json' && !type.endsWith('+json')) {
      throw new HTTPError(400, 'Expected a JSON body (Content-Type: application/json), got %s', {
        args: [type || 'no Content-Type'],
        reason: 'Expected application/json',
      });
    }
    try {
      return JSON.parse(this.request.body.toString('utf8')) as T;
    } catch (error) {
      throw new HTTPError(400, 'Malformed JSON body: %s', {
        args: [(error as Error).message],
        reason: 'Malformed JSON',
        cause: error,
      });
    }
  }

  // ---- cookies -------------------------------------------------------------------------------

  /** The request's cookies by name. */
  get cookies(): Readonly<Record<string, string>> {
    return this.request.cookies;
  }

  /**
   * The value of the request cookie `name`, or `defaultValue`. Cookies set in this response
   * are not visible here.
   */
  getCookie(name: string, defaultValue?: string): string | undefined {
    const cookies = this.request.cookies;
    return Object.hasOwn(cookies, name) ? cookies[name] : defaultValue;
  }

  /**
   * Sets an outgoing cookie; setting the same name again replaces the earlier one entirely.
   * Names and values with control characters or spaces are refused.
   *
   * @see Tornado `RequestHandler.set_cookie`
   */
  setCookie(name: string, value: string | Uint8Array, options: CookieOptions = {}): void {
    const text = typeof value === 'string' ? value : Buffer.from(value).toString('utf8');
    checkCookiePart(name, text);
    const response = this.#res;
    response.newCookies ??= new Map();
    response.newCookies.delete(name);
    response.newCookies.set(name, formatSetCookie(name, text, options, Date.now() / 1000));
  }

  /** Deletes a cookie (same `path` and `domain` as when it was set). */
  clearCookie(name: string, options: Pick<CookieOptions, 'path' | 'domain'> = {}): void {
    this.setCookie(name, '', {
      ...options,
      expires: Date.now() / 1000 - 365 * 86400,
    });
  }

  /** Deletes every cookie the request carried. */
  clearAllCookies(options: Pick<CookieOptions, 'path' | 'domain'> = {}): void {
    for (const name of Object.keys(this.request.cookies)) this.clearCookie(name, options);
  }

  /**
   * Sets a cookie signed with the `cookieSecret` setting, so it cannot be forged. Read it with
   * {@link getSignedCookie}. Expires in 30 days unless told otherwise.
   *
   * @see Tornado `RequestHandler.set_signed_cookie`
   */
  setSignedCookie(
    name: string,
    value: string | Uint8Array,
    options: SetSignedCookieOptions = {},
  ): void {
    const { version, ...cookieOptions } = options;
    const signed = this.createSignedValue(name, value, version);
    this.setCookie(name, signed, { expiresDays: 30, ...cookieOptions });
  }

  /** Alias of {@link setSignedCookie} (Tornado's older name). */
  setSecureCookie(
    name: string,
    value: string | Uint8Array,
    options: SetSignedCookieOptions = {},
  ): void {
    this.setSignedCookie(name, value, options);
  }

  /**
   * Signs `value` for cookie `name` with the application's secret (for use outside cookies,
   * e.g. in a query parameter).
   *
   * @see Tornado `RequestHandler.create_signed_value`
   */
  createSignedValue(name: string, value: string | Uint8Array, version?: 1 | 2): string {
    this.requireSetting('cookieSecret', 'signed cookies');
    const secret = this.settings.cookieSecret!;
    const keyVersion = this.settings.keyVersion;
    return createSignedValue(secret, name, value, {
      ...(version !== undefined && { version }),
      ...(keyVersion !== undefined && { keyVersion }),
    });
  }

  /**
   * The verified value of signed cookie `name` (bytes), or null when it is missing, forged or
   * older than `maxAgeDays` (default 31). `value` checks a given string instead of the cookie.
   *
   * @see Tornado `RequestHandler.get_signed_cookie`
   */
  getSignedCookie(name: string, value?: string, options: SignedCookieOptions = {}): Buffer | null {
    this.requireSetting('cookieSecret', 'signed cookies');
    const raw = value ?? this.getCookie(name);
    if (raw === undefined) return null;
    return decodeSignedValue(this.settings.cookieSecret!, name, raw, {
      ...(options.maxAgeDays !== undefined && { maxAgeDays: options.maxAgeDays }),
      ...(options.minVersion !== undefined && { minVersion: options.minVersion }),
    });
  }

  /** Alias of {@link getSignedCookie} (Tornado's older name). */
  getSecureCookie(name: string, value?: string, options: SignedCookieOptions = {}): Buffer | null {
    return this.getSignedCookie(name, value, options);
  }

  /** The key version that signed cookie `name` (or `value`), or null. */
  getSignedCookieKeyVersion(name: string, value?: string): number | null {
    this.requireSetting('cookieSecret', 'signed cookies');
    const raw = value ?? this.getCookie(name);
    if (raw === undefined) return null;
    return getSignatureKeyVersion(raw);
  }

  // ---- output --------------------------------------------------------------------------------

  /**
   * Buffers output: text as UTF-8, bytes as they are, a plain object as JSON (with
   * `Content-Type: application/json`). Arrays are refused (JSON hijacking); wrap them in an
   * object. Nothing is sent until {@link flush} or {@link finish}; bytes are kept, not copied,
   * so leave them unchanged until the Future of the call that sends them resolves.
   *
   * @see Tornado `RequestHandler.write`
   */
  write(chunk: OutputChunk): void {
    if (this.#finished) throw new Error('Cannot write() after finish()');
    if (typeof chunk === 'string') {
      this.#writeText(chunk);
      return;
    }
    if (chunk instanceof Uint8Array) {
      this.#res.writeBuffer.push(toBuffer(chunk));
      return;
    }
    if (!isJsonObject(chunk) || Array.isArray(chunk)) {
      let message = 'write() only accepts strings, bytes and plain objects';
      if (Array.isArray(chunk)) {
        message +=
          '; arrays are refused for security reasons (JSON hijacking): wrap them in an object';
      }
      throw new TypeError(message);
    }
    this.#writeText(jsonEncode(chunk));
    this.setHeader('Content-Type', 'application/json; charset=UTF-8');
  }

  // Texts seen before reuse their encoding (and, as a whole body, their ETag).
  #writeText(text: string): void {
    const encoded = responseTexts.get(text);
    const response = this.#res;
    if (encoded === undefined) {
      response.writeBuffer.push(Buffer.from(text, 'utf8'));
      return;
    }
    if (response.writeBuffer.length === 0) response.encodedBody = encoded;
    response.writeBuffer.push(encoded.bytes);
  }

  /**
   * Sends the buffered output now (the headers first, on the first flush). Without a
   * `Content-Length` the response is chunked. The Future resolves when the data is written.
   *
   * @see Tornado `RequestHandler.flush`
   */
  flush(includeFooters = false): Future<void> {
    const connection = this.#connection();
    const response = this.#res;
    const buffered = response.writeBuffer;
    let chunk: Buffer = buffered.length === 1 ? buffered[0]! : Buffer.concat(buffered);
    response.writeBuffer = [];
    if (!this.#headersWritten) {
      this.#headersWritten = true;
      let status = this.#status;
      let headers = this.#out;
      for (const transform of response.transforms) {
        const out = transform.transformFirstChunk(status, headers, chunk, includeFooters);
        status = out.status;
        headers = out.headers;
        chunk = out.chunk;
      }
      this.#status = status;
      response.headers = headers;
      if (this.request.method === 'HEAD') chunk = Buffer.alloc(0);
      if (response.newCookies !== null) {
        for (const cookie of response.newCookies.values()) headers.add('Set-Cookie', cookie);
      }
      const startLine = new ResponseStartLine('HTTP/1.1', status, response.reason);
      return connection.writeHeaders(startLine, headers, chunk);
    }
    for (const transform of response.transforms)
      chunk = transform.transformChunk(chunk, includeFooters);
    if (this.request.method === 'HEAD') return Future.resolved(undefined);
    return connection.write(chunk);
  }

  /**
   * Ends the response (after writing `chunk`, if given). Before the first flush it adds an
   * `ETag` to 200 answers of GET and HEAD and turns a matching `If-None-Match` into a 304,
   * drops representation headers of 1xx/204/304, and sets `Content-Length`. The Future resolves
   * when everything is written.
   *
   * @see Tornado `RequestHandler.finish`
   */
  finish(chunk?: OutputChunk): Future<void> {
    if (this.#finished) throw new Error('finish() called twice');
    if (chunk !== undefined && chunk !== null) this.write(chunk);
    // One buffer from here on: the ETag hashes it and the flush sends it without a second copy.
    const response = this.#res;
    if (response.writeBuffer.length > 1)
      response.writeBuffer = [Buffer.concat(response.writeBuffer)];
    if (!this.#headersWritten) {
      const method = this.request.method;
      if (
        this.#status === 200 &&
        (method === 'GET' || method === 'HEAD') &&
        !this.#out.has('Etag')
      ) {
        this.setEtagHeader();
        if (this.checkEtagHeader()) {
          response.writeBuffer = [];
          this.setStatus(304);
        }
      }
      const status = this.#status;
      if (status === 204 || status === 304 || (status >= 100 && status < 200)) {
        if (response.writeBuffer.some((part) => part.length > 0)) {
          throw new Error(`Cannot send a body with a ${status} response`);
        }
        this.#clearRepresentationHeaders();
      } else if (!this.#out.has('Content-Length')) {
        let length = 0;
        for (const part of response.writeBuffer) length += part.length;
        this.setHeader('Content-Length', length);
      }
    }
    const connection = this.#connection();
    connection.setCloseCallback(null);
    const flushed = this.flush(true);
    void connection.finish();
    this.#log();
    this.#finished = true;
    this.onFinish();
    return flushed;
  }

  /** True once the response is finished (or the stream detached). */
  get finished(): boolean {
    return this.#finished;
  }

  /** True once the headers have been sent. */
  get headersWritten(): boolean {
    return this.#headersWritten;
  }

  /**
   * Takes the connection's stream out of HTTP processing and returns it (for protocols that
   * start with an HTTP handshake, such as websockets). HTTP/1.1 only.
   *
   * @see Tornado `RequestHandler.detach`
   */
  detach(): unknown {
    this.#finished = true;
    const connection = this.#connection() as HTTPConnection & { detach?: () => unknown };
    if (typeof connection.detach !== 'function') {
      throw new Error('This connection cannot be detached (HTTP/1.x connections only)');
    }
    const stream = connection.detach();
    // The HTTP connection is done with: let its parser, buffers and timers go, since a
    // detached stream (a websocket, say) may stay open for hours.
    this.request.connection = undefined;
    this.request.serverConnection = undefined;
    // The request stays (the protocol may still read it); the received head it points into
    // does not have to.
    this.request.releaseHead();
    // Nothing more is written through this handler: its response headers and buffers go too.
    // Only a reason phrase that the status does not imply is worth keeping.
    const response = this.#response;
    if (response !== null && response.reason !== reasonPhrase(this.#status)) {
      this.#response = new ResponseState(null, response.reason, NO_OUTPUT, NO_TRANSFORMS);
    } else {
      this.#response = null;
    }
    return stream;
  }

  /**
   * Redirects to `url` (absolute or relative) with 302, 301 (`permanent`), or `status`.
   *
   * @see Tornado `RequestHandler.redirect`
   */
  redirect(url: string, options: RedirectOptions = {}): void {
    if (this.#headersWritten) throw new Error('Cannot redirect after headers have been written');
    let status = options.status;
    if (status === undefined) status = options.permanent ? 301 : 302;
    else if (!Number.isInteger(status) || status < 300 || status > 399) {
      throw new RangeError(`redirect status must be a 3xx code, got ${status}`);
    }
    this.setStatus(status);
    this.setHeader('Location', url);
    void this.finish();
  }

  // ---- templates -----------------------------------------------------------------------------

  /**
   * Renders template `name` with `namespace` (on top of {@link getTemplateNamespace}) and
   * finishes the response with it. The resources of the UI modules the page used go in once:
   * script files and embedded scripts before `</body>`, stylesheets, embedded CSS and head
   * HTML before `</head>`, body HTML at the end of `<body>` (see {@link renderLinkedJs}).
   *
   * @see Tornado `RequestHandler.render`
   */
  render(name: string, namespace: Record<string, unknown> = {}): Future<void> {
    if (this.#finished) throw new Error('Cannot render() after finish()');
    const html = this.renderString(name, namespace);
    return this.finish(
      injectPageResources(html, collectPageResources(activeUiModules(this)), this),
    );
  }

  /**
   * The HTML for the UI modules' JavaScript files: a `<script src>` per distinct URL, in
   * order, relative paths through {@link staticUrl}. Override to change the markup.
   *
   * @see Tornado `RequestHandler.render_linked_js`
   */
  renderLinkedJs(jsFiles: readonly string[]): string {
    return linkedJsHtml(resourceUrls(jsFiles, (path) => this.staticUrl(path)));
  }

  /**
   * The HTML for the UI modules' embedded JavaScript: one `<script>` with the parts joined by
   * newlines. Override to change the markup.
   *
   * @see Tornado `RequestHandler.render_embed_js`
   */
  renderEmbedJs(jsEmbed: readonly string[]): string {
    return embeddedJsHtml(jsEmbed);
  }

  /**
   * The HTML for the UI modules' stylesheets: a `<link rel="stylesheet">` per distinct URL,
   * in order, relative paths through {@link staticUrl}. Override to change the markup.
   *
   * @see Tornado `RequestHandler.render_linked_css`
   */
  renderLinkedCss(cssFiles: readonly string[]): string {
    return linkedCssHtml(resourceUrls(cssFiles, (path) => this.staticUrl(path)));
  }

  /**
   * The HTML for the UI modules' embedded CSS: one `<style>` with the parts joined by
   * newlines. Override to change the markup.
   *
   * @see Tornado `RequestHandler.render_embed_css`
   */
  renderEmbedCss(cssEmbed: readonly string[]): string {
    return embeddedCssHtml(cssEmbed);
  }

  /**
   * Renders template `name` to a string, loading it from the handler's template path.
   *
   * @see Tornado `RequestHandler.render_string`
   */
  renderString(name: string, namespace: Record<string, unknown> = {}): string {
    const loader = this.application.templateLoader(this.getTemplatePath(), () =>
      this.createTemplateLoader(this.getTemplatePath() ?? process.cwd()),
    );
    // Merged by descriptor, not spread, so the lazy `currentUser` getter is not called here.
    // The default getTemplateNamespace returns a new object, which can take the names as is;
    // an override's answer is copied first, as it may be shared.
    const base = this.getTemplateNamespace();
    const merged =
      this.getTemplateNamespace === DEFAULT_GET_TEMPLATE_NAMESPACE
        ? base
        : defineOwnProperties({}, base);
    return loader.load(name).generate(defineOwnProperties(merged, namespace));
  }

  /**
   * The names every template rendered by this handler sees: `handler`, `request`,
   * `currentUser` (read lazily, so `getCurrentUser` runs only for templates that use it),
   * `locale`, `_`, `pgettext`, `staticUrl`, `xsrfFormHtml`, `reverseUrl`, and {@link ui} (the UI
   * methods, `modules` and `_tt_modules`).
   *
   * @see Tornado `RequestHandler.get_template_namespace`
   */
  getTemplateNamespace(): Record<string, unknown> {
    const handler = this;
    return {
      handler: this,
      request: this.request,
      // A getter: templates only compute the user when they mention it.
      get currentUser(): unknown {
        return handler.currentUser;
      },
      get locale(): Locale {
        return handler.locale;
      },
      _: (message: string, plural?: string, count?: number) =>
        plural === undefined
          ? handler.locale.translate(message)
          : handler.locale.translate(message, plural, count as number),
      pgettext: (context: string, message: string, plural?: string, count?: number) =>
        plural === undefined
          ? handler.locale.pgettext(context, message)
          : handler.locale.pgettext(context, message, plural, count as number),
      staticUrl: (path: string, options?: Record<string, unknown>) => this.staticUrl(path, options),
      xsrfFormHtml: () => this.xsrfFormHtml(),
      reverseUrl: (name: string, ...args: unknown[]) => this.reverseUrl(name, ...args),
      ...this.ui,
    };
  }

  /**
   * The loader for `templatePath`: the `templateLoader` setting if given, else a directory
   * loader honouring the `autoescape` and `templateWhitespace` settings.
   */
  createTemplateLoader(templatePath: string): BaseLoader {
    const settings = this.settings;
    if (settings.templateLoader !== undefined) return settings.templateLoader;
    return new Loader(templatePath, {
      ...(settings.autoescape !== undefined && { autoescape: settings.autoescape }),
      ...(settings.templateWhitespace !== undefined && { whitespace: settings.templateWhitespace }),
    });
  }

  /** The template directory (the `templatePath` setting); override per handler. */
  getTemplatePath(): string | undefined {
    return this.settings.templatePath;
  }

  // ---- errors --------------------------------------------------------------------------------

  /**
   * Answers with an error status and the error page from {@link writeError}. Output buffered so
   * far is discarded; after the headers went out, the response is just ended.
   *
   * @see Tornado `RequestHandler.send_error`
   */
  sendError(statusCode = 500, options: SendErrorOptions = {}): void {
    if (this.#headersWritten) {
      genLog.error('Cannot send error response after headers written');
      if (!this.#finished) {
        try {
          void this.finish();
        } catch (error) {
          genLog.error('Failed to flush partial response', error);
        }
      }
      return;
    }
    this.clear();
    // RFC 9110 §15.5.6: a 405 says which methods the resource does support.
    if (statusCode === 405) this.setHeader('Allow', this.#allowedMethods().join(', '));
    let reason = options.reason;
    const error = options.excInfo;
    if (error instanceof HTTPError && error.reason) reason = error.reason;
    this.setStatus(statusCode, reason);
    try {
      if (statusCode !== 304) this.writeError(statusCode, options);
    } catch (failure) {
      appLog.error('Uncaught exception in writeError', failure);
    }
    if (!this.#finished) void this.finish();
  }

  /**
   * Writes the error page: a small HTML page, or the stack trace as text when the
   * `serveTraceback` setting is on and an error caused the response. Override to customise.
   *
   * @see Tornado `RequestHandler.write_error`
   */
  writeError(statusCode: number, options: SendErrorOptions = {}): void {
    if (this.settings.serveTraceback && options.excInfo !== undefined) {
      this.setHeader('Content-Type', 'text/plain');
      void this.finish(tracebackText(options.excInfo));
      return;
    }
    void this.finish(errorPage(statusCode, this.#res.reason));
  }

  /**
   * Logs an uncaught error: an {@link HTTPError} with a log message as a warning on `genLog`,
   * anything else as an error with the stack on `appLog`.
   *
   * @see Tornado `RequestHandler.log_exception`
   */
  logException(error: unknown): void {
    if (error instanceof HTTPError) {
      const message = error.formattedLogMessage();
      if (message !== undefined) {
        genLog.warn(`${error.statusCode} ${this.requestSummary()}: ${message}`);
      }
      return;
    }
    appLog.error(`Uncaught exception ${this.requestSummary()}\n${String(this.request)}`, error);
  }

  /** `METHOD uri (remote ip)`, as in log lines. */
  requestSummary(): string {
    return `${this.request.method} ${this.request.uri} (${this.request.remoteIp})`;
  }

  // ---- caching -------------------------------------------------------------------------------

  /**
   * The entity tag for the response (default: SHA-1 of the buffered body); return null to turn
   * automatic ETags off.
   *
   * @see Tornado `RequestHandler.compute_etag`
   */
  computeEtag(): string | null {
    const response = this.#res;
    const parts = response.writeBuffer;
    const encoded = response.encodedBody;
    if (encoded !== null && parts.length === 1 && parts[0] === encoded.bytes) return encoded.etag;
    return etagOf(parts);
  }

  /** Sets the `Etag` header from {@link computeEtag} (when it returns one). */
  setEtagHeader(): void {
    const etag = this.computeEtag();
    if (etag !== null) this.setHeader('Etag', etag);
  }

  /**
   * True when the request's `If-None-Match` matches the `Etag` set on the response (a 304 is
   * in order).
   *
   * @see Tornado `RequestHandler.check_etag_header`
   */
  checkEtagHeader(): boolean {
    const ifNoneMatch = this.request.headers.get('If-None-Match');
    if (ifNoneMatch === undefined) return false;
    return etagMatches(ifNoneMatch, this.#out.get('Etag') ?? '');
  }

  // ---- users, XSRF, URLs ---------------------------------------------------------------------

  /**
   * The authenticated user: what {@link getCurrentUser} returned (called once per request; an
   * async `getCurrentUser` is awaited before `prepare`), or what was assigned.
   *
   * @see Tornado `RequestHandler.current_user`
   */
  get currentUser(): unknown {
    const state = this.#lazy;
    if (state.currentUser === UNSET_USER) state.currentUser = this.getCurrentUser();
    return state.currentUser;
  }

  set currentUser(value: unknown) {
    this.#lazy.currentUser = value;
  }

  /**
   * Override to find the user (from a signed cookie, say). A plain method is called lazily, on
   * the first use of {@link currentUser}; one declared `async` (or as a generator) is awaited
   * before `prepare()`, unless `currentUser` was assigned first. Returns null by default.
   */
  getCurrentUser(): unknown {
    return null;
  }

  /**
   * The user's locale: {@link getUserLocale}'s answer, else {@link getBrowserLocale}'s;
   * computed once per request, or assigned.
   *
   * @see Tornado `RequestHandler.locale`
   */
  get locale(): Locale {
    const state = this.#lazy;
    state.locale ??= this.getUserLocale() ?? this.getBrowserLocale();
    return state.locale;
  }

  set locale(value: Locale) {
    this.#lazy.locale = value;
  }

  /**
   * Override to give the locale of a logged-in user (from their settings, say); null (the
   * default) falls back to the browser's `Accept-Language`.
   *
   * @see Tornado `RequestHandler.get_user_locale`
   */
  getUserLocale(): Locale | null {
    return null;
  }

  /**
   * The supported locale closest to the request's `Accept-Language` (by q-value), or
   * `defaultCode`'s.
   *
   * @see Tornado `RequestHandler.get_browser_locale`
   */
  getBrowserLocale(defaultCode = 'en_US'): Locale {
    const header = this.request.headers.get('Accept-Language');
    const codes = header ? parseAcceptLanguage(header) : [];
    return codes.length > 0 ? Locale.get(...codes) : Locale.get(defaultCode);
  }

  /** Where `authenticated` sends anonymous users: the `loginUrl` setting by default. */
  getLoginUrl(): string {
    this.requireSetting('loginUrl', 'authenticated');
    return this.settings.loginUrl!;
  }

  /**
   * The XSRF token for this user, setting the `_xsrf` cookie if the request had none. Masked
   * (a new text each request, the same secret) unless `xsrfCookieVersion` is 1.
   *
   * @see Tornado `RequestHandler.xsrf_token`
   */
  get xsrfToken(): string {
    const state = this.#lazy;
    if (state.xsrfToken === null) {
      const raw = this.#rawXsrfToken();
      const version = this.settings.xsrfCookieVersion ?? 2;
      if (version !== 1 && version !== 2) {
        throw new RangeError(`Unknown xsrfCookieVersion ${String(version)}; use 1 or 2`);
      }
      state.xsrfToken = encodeXsrfToken(raw.token, raw.timestamp, version);
      if (raw.version === null) {
        const options: CookieOptions = { ...(this.settings.xsrfCookieKwargs as CookieOptions) };
        if (this.currentUser && options.expiresDays === undefined) options.expiresDays = 30;
        this.setCookie('_xsrf', state.xsrfToken, options);
      }
    }
    return state.xsrfToken;
  }

  #rawXsrfToken(): RawXsrfToken {
    const state = this.#lazy;
    if (state.rawXsrf === null) {
      const cookie = this.getCookie('_xsrf');
      const decoded = cookie ? decodeXsrfToken(cookie) : null;
      state.rawXsrf =
        decoded === null
          ? { version: null, token: newXsrfTokenBytes(), timestamp: Date.now() / 1000 }
          : { version: decoded.version, token: decoded.token, timestamp: decoded.timestamp };
    }
    return state.rawXsrf;
  }

  /**
   * Rejects (403) a request whose `_xsrf` argument or `X-XSRFToken`/`X-CSRFToken` header does
   * not carry the token of its `_xsrf` cookie. Runs on POST, PUT, PATCH and DELETE when
   * `xsrfCookies` is on.
   *
   * @see Tornado `RequestHandler.check_xsrf_cookie`
   */
  checkXsrfCookie(): void {
    const sent =
      this.getArgument('_xsrf', null) ||
      this.request.headers.get('X-Xsrftoken') ||
      this.request.headers.get('X-Csrftoken');
    if (!sent) throw new HTTPError(403, "'_xsrf' argument missing from POST");
    const decoded = decodeXsrfToken(sent);
    if (decoded === null || decoded.token.length === 0) {
      throw new HTTPError(403, "'_xsrf' argument has invalid format");
    }
    if (!xsrfTokensMatch(decoded.token, this.#rawXsrfToken().token)) {
      throw new HTTPError(403, 'XSRF cookie does not match POST argument');
    }
  }

  /**
   * A hidden form field with the XSRF token, for forms that POST.
   *
   * @see Tornado `RequestHandler.xsrf_form_html`
   */
  xsrfFormHtml(): string {
    return `<input type="hidden" name="_xsrf" value="${xhtmlEscape(this.xsrfToken)}"/>`;
  }

  /**
   * The URL of static file `path` with a content-hash version (`?v=...`), through the
   * static handler class's `makeStaticUrl`. Needs the `staticPath` setting.
   *
   * @see Tornado `RequestHandler.static_url`
   */
  staticUrl(path: string, options: Record<string, unknown> = {}): string {
    this.requireSetting('staticPath', 'staticUrl');
    const { includeHost = this.includeHost, ...rest } = options as { includeHost?: boolean };
    const base = includeHost ? `${this.request.protocol}://${this.request.host}` : '';
    return base + this.application.makeStaticUrl(path, rest);
  }

  /** Throws a clear error when the application lacks setting `name`. */
  requireSetting(name: string, feature = 'this feature'): void {
    if (!this.settings[name]) {
      throw new Error(
        `You must define the '${name}' setting in your application to use ${feature}`,
      );
    }
  }

  /** The URL of the named route; see `Application.reverseUrl`. */
  reverseUrl(name: string, ...args: unknown[]): string {
    return this.application.reverseUrl(name, ...args);
  }

  // ---- the request sequence ------------------------------------------------------------------

  #connection(): HTTPConnection {
    const connection = this.request.connection;
    if (connection === undefined) throw new Error('The request has no connection to answer on');
    return connection;
  }

  // Built on first use: most requests render no template and never need it.
  #buildUi(): Record<string, unknown> {
    // Handlers built on a stand-in application (tests) may lack the loaded records.
    const app = this.application as Partial<Application>;
    const modules = createUiModuleNamespace(
      this,
      app.uiModules ?? loadUiModules(this.settings.uiModules),
    );
    return {
      ...bindUiMethods(app.uiMethods ?? this.settings.uiMethods, this),
      _tt_modules: modules,
      modules,
    };
  }

  #start(kwargs: Record<string, unknown>): void {
    this.clear();
    this.request.connection?.setCloseCallback(() => connectionClosed(this));
    this.initialize(kwargs);
  }

  #log(): void {
    this.application.logRequest(this);
  }

  #clearRepresentationHeaders(): void {
    for (const name of ['Content-Encoding', 'Content-Language', 'Content-Type']) {
      this.#out.delete(name);
    }
  }

  #allowedMethods(): string[] {
    const Self = this.constructor as typeof RequestHandler;
    const base = RequestHandler.prototype as unknown as Record<string, unknown>;
    const self = this as unknown as Record<string, unknown>;
    // Every supported method the class implements, non-standard ones (`OTHER`) included.
    return Self.SUPPORTED_METHODS.filter((method) => {
      const verb = method.toLowerCase();
      return typeof self[verb] === 'function' && self[verb] !== base[verb];
    });
  }

  /*
   * The request sequence runs as numbered stages. While no stage returns something to wait
   * for, they all run in this call (a synchronous handler answers without a Promise or a trip
   * through the microtask queue); at the first pending step the rest continues in
   * #resume. Errors from any stage end the request through #handleRequestException.
   */
  #execute(
    transforms: readonly OutputTransform[],
    pathArgs: readonly (Uint8Array | undefined)[],
    pathKwargs: Readonly<Record<string, Uint8Array | undefined>>,
  ): Promise<void> | undefined {
    this.#res.transforms = transforms;
    try {
      this.#beginRequest(pathArgs, pathKwargs);
    } catch (error) {
      this.#fail(error);
      return undefined;
    }
    return this.#advance(STAGE_USER);
  }

  // Method check, body parsing and path arguments.
  #beginRequest(
    pathArgs: readonly (Uint8Array | undefined)[],
    pathKwargs: Readonly<Record<string, Uint8Array | undefined>>,
  ): void {
    const Self = this.constructor as typeof RequestHandler;
    if (!Self.SUPPORTED_METHODS.includes(this.request.method)) throw new HTTPError(405);
    if (!Self.streamRequestBody) {
      try {
        this.request.parseBody();
      } catch (error) {
        if (!(error instanceof HTTPInputError)) throw error;
        throw new HTTPError(400, 'Invalid body: %s', { args: [error.message], cause: error });
      }
    }
    // No groups: the fields stay null and the accessors make the empty values on first use.
    this.#pathArgs =
      pathArgs.length === 0
        ? null
        : pathArgs.map((arg) => (arg === undefined ? undefined : this.decodeArgument(arg)));
    let kwargs: Record<string, string | undefined> | null = null;
    for (const key in pathKwargs) {
      const value = pathKwargs[key];
      kwargs ??= {};
      kwargs[key] = value === undefined ? undefined : this.decodeArgument(value, key);
    }
    this.#pathKwargs = kwargs;
  }

  #advance(first: number): Promise<void> | undefined {
    for (let stage = first; stage <= STAGE_FINISH; stage++) {
      let outcome: PromiseLike<unknown> | typeof STOP | undefined;
      try {
        outcome = this.#runStage(stage);
      } catch (error) {
        this.#fail(error);
        return undefined;
      }
      if (outcome === STOP) return undefined;
      if (outcome !== undefined) return this.#resume(stage, outcome);
    }
    return undefined;
  }

  async #resume(stage: number, pending: PromiseLike<unknown>): Promise<void> {
    try {
      const value = await pending;
      if (stage === STAGE_USER) this.#lazy.currentUser = value;
      // A failing dataReceived may have answered already (with a 500).
      if (stage === STAGE_BODY && this.#finished) return;
    } catch (error) {
      if (stage === STAGE_BODY && error instanceof StreamClosedError) return;
      this.#fail(error);
      return;
    }
    await this.#advance(stage + 1);
  }

  #runStage(stage: number): PromiseLike<unknown> | typeof STOP | undefined {
    switch (stage) {
      case STAGE_USER: {
        // A plain getCurrentUser stays lazy (called on first use of currentUser, if ever); one
        // declared async or as a generator cannot be, so it is awaited here, before prepare.
        const state = this.#state;
        if (state !== null && state.currentUser !== UNSET_USER) return undefined;
        const getCurrentUser = this.getCurrentUser;
        if (getCurrentUser === DEFAULT_GET_CURRENT_USER || !isAsyncFunction(getCurrentUser)) {
          return undefined;
        }
        const user = this.getCurrentUser();
        const pending = pendingResult(user, 'getCurrentUser');
        if (pending === undefined) this.#lazy.currentUser = user;
        return pending;
      }
      case STAGE_PREPARE: {
        const method = this.request.method;
        if (
          method !== 'GET' &&
          method !== 'HEAD' &&
          method !== 'OPTIONS' &&
          this.settings.xsrfCookies
        ) {
          this.checkXsrfCookie();
        }
        return pendingResult(this.prepare(), 'prepare');
      }
      case STAGE_BODY: {
        this.#settlePrepared();
        if (this.#finished) return STOP;
        const Self = this.constructor as typeof RequestHandler;
        const body = this.#state?.bodyReceived;
        if (Self.streamRequestBody && body !== null && body !== undefined) return body;
        return undefined;
      }
      case STAGE_VERB: {
        const method = this.request.method;
        const verb = (VERB_OF.get(method) ?? method.toLowerCase()) as (typeof VERB_METHODS)[number];
        const fn = (this as unknown as Record<string, unknown>)[verb];
        if (typeof fn !== 'function') throw new HTTPError(405);
        // Named groups are passed positionally too (JavaScript has no keyword arguments).
        return pendingResult(
          (fn as (...args: unknown[]) => unknown).apply(this, this.#pathArgs ?? NO_PATH_ARGS),
          verb,
        );
      }
      default:
        if ((this.#flags & (NO_AUTO_FINISH | FINISHED)) === 0) void this.finish();
        return undefined;
    }
  }

  #fail(error: unknown): void {
    try {
      this.#handleRequestException(error);
    } catch (failure) {
      appLog.error('Exception in exception handler', failure);
    }
    this.#settlePrepared();
  }

  #settlePrepared(): void {
    const prepared = this.#state?.prepared;
    if (prepared !== null && prepared !== undefined && !prepared.done()) {
      prepared.setResult(undefined);
    }
  }

  #handleRequestException(error: unknown): void {
    if (error instanceof Finish) {
      if (!this.#finished) {
        if (error.chunk === undefined) void this.finish();
        else void this.finish(error.chunk as OutputChunk);
      }
      return;
    }
    try {
      this.logException(error);
    } catch (failure) {
      appLog.error('Error in exception logger', failure);
    }
    if (this.#finished) return;
    this.sendError(error instanceof HTTPError ? error.statusCode : 500, { excInfo: error });
  }
}

// Python's bytes.strip(): ASCII whitespace off both ends.
function stripBytes(value: Uint8Array): Uint8Array {
  const isSpace = (byte: number) => byte === 0x20 || (byte >= 0x09 && byte <= 0x0d);
  let start = 0;
  let end = value.length;
  while (start < end && isSpace(value[start]!)) start++;
  while (end > start && isSpace(value[end - 1]!)) end--;
  return value.subarray(start, end);
}

const ASYNC_FUNCTION_KINDS = new Set([
  'AsyncFunction',
  'GeneratorFunction',
  'AsyncGeneratorFunction',
]);

function isAsyncFunction(fn: unknown): boolean {
  return typeof fn === 'function' && ASYNC_FUNCTION_KINDS.has(fn.constructor.name);
}

const DEFAULT_GET_CURRENT_USER = RequestHandler.prototype.getCurrentUser;
const DEFAULT_GET_TEMPLATE_NAMESPACE = RequestHandler.prototype.getTemplateNamespace;

// Object.defineProperties(target, Object.getOwnPropertyDescriptors(source)), one property at a
// time: a plain data property new to `target` is assigned, which V8 does much faster than
// defining it (and `target` is a plain object, whose only inherited setter is `__proto__`).
function defineOwnProperties(
  target: Record<string, unknown>,
  source: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  for (const key of Reflect.ownKeys(source)) {
    const descriptor = Object.getOwnPropertyDescriptor(source, key)!;
    if (
      typeof key === 'string' &&
      key !== '__proto__' &&
      descriptor.writable === true &&
      descriptor.enumerable === true &&
      descriptor.configurable === true &&
      !Object.hasOwn(target, key)
    ) {
      target[key] = descriptor.value;
    } else {
      Object.defineProperty(target, key, descriptor);
    }
  }
  return target;
}

/**
 * Resets a new handler's response and calls its `initialize(kwargs)`: the step between
 * construction and {@link executeHandler}.
 */
export function startHandler(handler: RequestHandler, kwargs: Record<string, unknown>): void {
  startHandlerImpl(handler, kwargs);
}

/**
 * Runs the request on `handler` with output `transforms`. Returns undefined when every step
 * completed synchronously, else a Promise that settles when the verb method (and the automatic
 * finish) is done. Never rejects: errors become error responses.
 */
export function executeHandler(
  handler: RequestHandler,
  transforms: readonly OutputTransform[],
  pathArgs: readonly (Uint8Array | undefined)[],
  pathKwargs: Readonly<Record<string, Uint8Array | undefined>>,
): Promise<void> | undefined {
  return executeHandlerImpl(handler, transforms, pathArgs, pathKwargs);
}

/**
 * Puts `handler` in streaming mode: returns the Future settled when `prepare` is done (reading
 * the body waits for it) and the one to settle when the whole body has arrived.
 */
export function beginStreaming(handler: RequestHandler): {
  prepared: Future<void>;
  body: Future<void>;
} {
  return streamingImpl(handler);
}

/** Turns the automatic `finish()` after the verb method off (or on). */
export function setAutoFinish(handler: RequestHandler, value: boolean): void {
  setAutoFinishImpl(handler, value);
}

/** Handles an error raised on behalf of `handler` as if its verb method had thrown it. */
export function handleRequestException(handler: RequestHandler, error: unknown): void {
  handleExceptionImpl(handler, error);
}

/**
 * Marks `handler` finished without writing anything: someone else (a fallback application)
 * answers the request on its connection.
 */
export function markFinished(handler: RequestHandler): void {
  markFinishedImpl(handler);
}

/** Calls `handler.onConnectionClose()`, once however many sources report the close. */
export function connectionClosed(handler: RequestHandler): void {
  connectionClosedImpl(handler);
}

/** True when `value` is a {@link RequestHandler} subclass (or the class itself). */
export function isRequestHandlerClass(value: unknown): value is RequestHandlerClass {
  return (
    typeof value === 'function' &&
    (value === RequestHandler || value.prototype instanceof RequestHandler)
  );
}
