/**
 * HTTPServerRequest: one HTTP request as a server application sees it.
 */
import { inspect } from 'node:util';
import { parseBodyArguments } from './body-arguments.js';
import { isAcceptedCookieName, parseCookie } from './cookie.js';
import type { HTTPConnection } from './delegates.js';
import { splitHostAndPort } from './host-and-port.js';
import { firstHeaderValue, HTTPHeaders, replaceHeaderValues } from './http-headers.js';
import { emptyFiles, type FilesMap } from './multipart.js';
import { type ArgumentsMap, addArguments, emptyArguments, parseQsBytes } from './query-string.js';
import type { RequestStartLine } from './start-line.js';

interface CommonRequestOptions {
  /** The request headers (a new empty HTTPHeaders unless given). */
  headers?: HTTPHeaders;
  /** The request body (empty unless given). */
  body?: Uint8Array;
  /** Overrides the Host header (Tornado's `host`). */
  host?: string;
  /** Uploaded files, if already parsed. */
  files?: FilesMap;
  /** Where the answer is written; its `context` gives `remoteIp` and `protocol`. */
  connection?: HTTPConnection;
  /** The long-lived connection the request came on (opaque). */
  serverConnection?: object;
  /** The start time in seconds since the epoch; now unless given. */
  startTime?: number;
}

/** The body of every request without one (shared: such a request carries no Buffer of its own). */
const NO_BODY = Buffer.alloc(0);
/**
 * How to build an {@link HTTPServerRequest}: from a parsed start line, or from a method, uri and
 * version (`uri` is required then; `method` defaults to `GET`, `version` to `HTTP/1.0` as in
 * Tornado).
 */
export type HTTPServerRequestOptions = CommonRequestOptions &
  (
    | { startLine: RequestStartLine; method?: never; uri?: never; version?: never }
    | { startLine?: undefined; method?: string; uri: string; version?: string }
  );

const ABSOLUTE_RE = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/([^/?#]*)([^#]*)/;

/** What a request derives on first use: most requests never read any of it. */
interface Derived {
  arguments: ArgumentsMap | undefined;
  queryArguments: ArgumentsMap | undefined;
  bodyArguments: ArgumentsMap | undefined;
  files: FilesMap | undefined;
  hostName: string | undefined;
  hostNameOf: string | undefined;
  cookies: Record<string, string> | undefined;
}

// Reads (making it first) a request's derived state; set in a static block so that the class
// has no private methods or accessors, which would give each instance a slot more.
let derivedOf: (request: HTTPServerRequest) => Derived;

function derived(files: FilesMap | undefined): Derived {
  return {
    arguments: undefined,
    queryArguments: undefined,
    bodyArguments: undefined,
    files,
    hostName: undefined,
    hostNameOf: undefined,
    cookies: undefined,
  };
}

// The strings released requests share (see `releaseHead`), by value. Connections held open
// together mostly send the same values (Host, Origin, User-Agent, the websocket upgrade's
// fields, the path), so each is kept once however many requests carry it. Bounded: emptied when
// full, which only means the next requests start new copies.
const SHARED_LIMIT = 1024;
const SHARED_MAX_LENGTH = 256;
const shared = new Map<string, string>();

/** A copy of `value` in memory of its own (the JSON round trip is exact for every string). */
function flatCopy(value: string): string {
  return JSON.parse(JSON.stringify(value)) as string;
}

/**
 * The one copy of `value` that released requests share; a string of its own for a long value.
 * (V8 makes a substring of 13 or more characters a view of its parent, a sliced string, so one
 * such header value would keep the whole received head alive.)
 */
function sharedCopy(value: string): string {
  if (value.length > SHARED_MAX_LENGTH) return flatCopy(value);
  const known = shared.get(value);
  if (known !== undefined) return known;
  const copy = value.length < 13 ? value : flatCopy(value);
  if (shared.size >= SHARED_LIMIT) shared.clear();
  shared.set(copy, copy);
  return copy;
}

/**
 * A single HTTP request: start line, headers, body, and what is derived from them (path and
 * query, arguments, files, cookies).
 *
 * `arguments` merges query and body arguments (names as strings, values as bytes, as Tornado);
 * `queryArguments` and `bodyArguments` keep them apart. The body is parsed into arguments and
 * files by {@link HTTPServerRequest.parseBody}, which the server (or web layer) calls once the
 * body has arrived. An absolute-form target (`GET http://example.com/a HTTP/1.1`) sets `host`
 * from the target, as RFC 9112 §3.2.2 requires, and `path` to the target's path.
 *
 * @see Tornado `tornado.httputil.HTTPServerRequest`
 */
export class HTTPServerRequest {
  /** The method, e.g. `GET`. */
  method: string;
  /** The request-target as sent, e.g. `/search?q=x`. */
  uri: string;
  /** The path part of the target, e.g. `/search`. */
  path: string;
  /** The query part of the target without `?`, e.g. `q=x` (empty when none). */
  query: string;
  /** `HTTP/1.0` or `HTTP/1.1`. */
  version: string;
  /** The request headers. */
  headers: HTTPHeaders;
  /** The request body. */
  body: Buffer;
  /** The client's IP address, from the connection's context (undefined when unknown). */
  remoteIp: string | undefined;
  /** `http` or `https`. */
  protocol: string;
  /** The requested host: the target's authority, the Host header, or `127.0.0.1`. */
  host: string;
  /** Where the answer is written. */
  connection: HTTPConnection | undefined;
  /** The long-lived connection the request came on. */
  serverConnection: object | undefined;
  /** When the request started, in seconds since the epoch. */
  startTime: number;
  /** When the request finished, in seconds since the epoch (set by whoever finishes it). */
  finishTime: number | undefined = undefined;

  // Made on first use (or when files are given): most requests never need it.
  #derived: Derived | null;
  #originUri: string;

  static {
    derivedOf = (request) => {
      request.#derived ??= derived(undefined);
      return request.#derived;
    };
  }

  constructor(options: HTTPServerRequestOptions) {
    if (options.startLine !== undefined) {
      this.method = options.startLine.method;
      this.uri = options.startLine.path;
      this.version = options.startLine.version;
    } else {
      this.method = options.method ?? 'GET';
      this.uri = options.uri;
      this.version = options.version ?? 'HTTP/1.0';
    }
    this.headers = options.headers ?? new HTTPHeaders();
    const body = options.body;
    this.body =
      body === undefined
        ? NO_BODY
        : Buffer.isBuffer(body)
          ? body
          : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
    const context = options.connection?.context;
    this.remoteIp = context?.remoteIp;
    this.protocol = context?.protocol ?? 'http';

    // Only a target that is not origin-form can be absolute-form.
    const absolute = this.uri.charCodeAt(0) === 0x2f ? null : ABSOLUTE_RE.exec(this.uri);
    this.#originUri = absolute === null ? this.uri : absolute[2] || '/';
    // RFC 9112 §3.2.2: with an absolute-form target the Host header is ignored.
    const authority = absolute === null ? undefined : absolute[1]!.replace(/^.*@/, '');
    this.host = options.host || authority || firstHeaderValue(this.headers, 'Host') || '127.0.0.1';
    this.#derived = options.files === undefined ? null : derived(options.files);
    this.connection = options.connection;
    this.serverConnection = options.serverConnection;
    this.startTime = options.startTime ?? Date.now() / 1000;

    const q = this.#originUri.indexOf('?');
    this.path = q === -1 ? this.#originUri : this.#originUri.slice(0, q);
    this.query = q === -1 ? '' : this.#originUri.slice(q + 1);
  }

  /** `host` lower-cased and without the port. */
  get hostName(): string {
    const state = derivedOf(this);
    if (state.hostNameOf !== this.host) {
      state.hostNameOf = this.host;
      state.hostName = splitHostAndPort(this.host.toLowerCase())[0];
    }
    return state.hostName!;
  }

  set hostName(value: string) {
    const state = derivedOf(this);
    state.hostNameOf = this.host;
    state.hostName = value;
  }

  /**
   * Query and body arguments together: names as strings, values as bytes, blank values kept.
   * Parsed from `query` on first use; `parseBody` adds the body's.
   */
  get arguments(): ArgumentsMap {
    const state = derivedOf(this);
    state.arguments ??= parseQsBytes(this.query, { keepBlankValues: true });
    return state.arguments;
  }

  set arguments(value: ArgumentsMap) {
    derivedOf(this).arguments = value;
  }

  /** Arguments from a form body (after `parseBody`). */
  get bodyArguments(): ArgumentsMap {
    const state = derivedOf(this);
    state.bodyArguments ??= emptyArguments();
    return state.bodyArguments;
  }

  set bodyArguments(value: ArgumentsMap) {
    derivedOf(this).bodyArguments = value;
  }

  /** Uploaded files by field name (after `parseBody`). */
  get files(): FilesMap {
    const state = derivedOf(this);
    state.files ??= emptyFiles();
    return state.files;
  }

  set files(value: FilesMap) {
    derivedOf(this).files = value;
  }

  /** Arguments from the query string only (parsed from `query` on first use). */
  get queryArguments(): ArgumentsMap {
    const state = derivedOf(this);
    state.queryArguments ??= parseQsBytes(this.query, { keepBlankValues: true });
    return state.queryArguments;
  }

  set queryArguments(value: ArgumentsMap) {
    derivedOf(this).queryArguments = value;
  }

  /**
   * The cookies sent in the `Cookie` header, name → value (parsed on first use, leniently as
   * browsers do; see {@link parseCookie}). Names Python's `SimpleCookie` refuses (`/`, names
   * with spaces, attribute names such as `path`) are left out, as in Tornado.
   *
   * @see Tornado `HTTPServerRequest.cookies`
   */
  get cookies(): Readonly<Record<string, string>> {
    const state = derivedOf(this);
    if (state.cookies === undefined) {
      const header = this.headers.get('Cookie');
      const cookies = header === undefined ? Object.create(null) : parseCookie(header);
      for (const name of Object.keys(cookies)) {
        if (!isAcceptedCookieName(name)) delete cookies[name];
      }
      state.cookies = cookies;
    }
    return state.cookies!;
  }

  /**
   * Gives this request strings of its own in place of views into the received head: the start
   * line's parts, `host` and every header value. Values that many requests carry (Host, the
   * path, User-Agent, ...) are shared between the released requests. Everything reads as
   * before, and `headers` stays the same object; afterwards, a request kept for long (a
   * detached connection's, such as a websocket's) no longer keeps the whole head in memory for
   * a few of its values. Costs a copy of the values not seen before; call it once, when a
   * request is going to outlive its exchange (`RequestHandler.detach()` does).
   */
  releaseHead(): void {
    this.method = sharedCopy(this.method);
    this.version = sharedCopy(this.version);
    this.uri = sharedCopy(this.uri);
    this.#originUri = sharedCopy(this.#originUri);
    this.path = sharedCopy(this.path);
    this.query = sharedCopy(this.query);
    this.host = sharedCopy(this.host);
    replaceHeaderValues(this.headers, sharedCopy);
  }

  /**
   * The full URL: `protocol://host` followed by the path and query.
   *
   * @see Tornado `HTTPServerRequest.full_url`
   */
  fullUrl(): string {
    const target = this.uri.charCodeAt(0) === 0x2f ? this.uri : this.#originUri;
    return `${this.protocol}://${this.host}${target}`;
  }

  /**
   * Seconds the request took: until `finishTime` when set, else until now.
   *
   * @see Tornado `HTTPServerRequest.request_time`
   */
  requestTime(): number {
    return (this.finishTime ?? Date.now() / 1000) - this.startTime;
  }

  /**
   * Parses the body as a form (by Content-Type) into `bodyArguments` and `files`, and adds the
   * body arguments to `arguments`. Throws {@link HTTPInputError} (400) for a malformed body.
   *
   * @see Tornado `HTTPServerRequest._parse_body`
   */
  parseBody(): void {
    // Nothing to parse (most GETs): skip building the argument maps.
    if (this.body.length === 0 && !this.headers.has('Content-Type')) return;
    parseBodyArguments(
      this.headers.get('Content-Type', ''),
      this.body,
      this.bodyArguments,
      this.files,
      this.headers,
    );
    for (const name of Object.keys(this.bodyArguments)) {
      addArguments(this.arguments, name, this.bodyArguments[name]!);
    }
  }

  /**
   * A summary without headers or body (they may hold credentials), e.g.
   * `HTTPServerRequest(protocol='http', host='example.com', method='GET', uri='/', …)`.
   */
  toString(): string {
    const fields: [string, unknown][] = [
      ['protocol', this.protocol],
      ['host', this.host],
      ['method', this.method],
      ['uri', this.uri],
      ['version', this.version],
      ['remoteIp', this.remoteIp],
    ];
    return `HTTPServerRequest(${fields.map(([k, v]) => `${k}=${JSON.stringify(v) ?? 'undefined'}`).join(', ')})`;
  }

  /** `util.inspect` (and `console.log`) shows the same summary as `toString`. */
  [inspect.custom](): string {
    return this.toString();
  }
}
