/**
 * The opening handshake's pure parts (RFC 6455 §4): the accept key, client keys, and the
 * server's checks of an upgrade request in Tornado's order.
 */
import * as crypto from 'node:crypto';
import { WebSocketHandshakeError } from './errors.js';
import { type ExtensionOffer, parseExtensionHeader } from './extension-header.js';

/** The GUID RFC 6455 §1.3 appends to the key before hashing. */
const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

/** The only protocol version we speak; a 426 answer advertises it. */
export const WEBSOCKET_VERSION = '13';

// 16 bytes in base64: 22 characters, the last carrying 2 bits, then "==".
const KEY_RE = /^[A-Za-z0-9+/]{21}[AQgw]==$/;
// scheme://netloc...: the netloc is compared as written (Tornado's urlparse().netloc).
const ORIGIN_RE = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/([^/?#]*)/;

/**
 * The `Sec-WebSocket-Accept` value for a `Sec-WebSocket-Key`: base64 of the SHA-1 of the key
 * followed by the RFC's GUID.
 *
 * @see Tornado `WebSocketProtocol13.compute_accept_value`
 */
export function computeAcceptKey(key: string): string {
  // UTF-8, as Tornado encodes the key (a valid key is base64, where it makes no difference).
  if (oneShotHash !== undefined) return oneShotHash('sha1', key + GUID, 'base64');
  return crypto
    .createHash('sha1')
    .update(key + GUID, 'utf8')
    .digest('base64');
}

// Node's one-shot digest (from 20.12): no Hash object per handshake.
const oneShotHash = (
  crypto as { hash?: (algorithm: string, data: string, encoding: 'base64') => string }
).hash;

/**
 * A fresh `Sec-WebSocket-Key` for a client request: 16 random bytes in base64 (RFC 6455
 * §4.1). Pass `random` to make it deterministic in tests.
 *
 * @see Tornado `WebSocketClientConnection.__init__` (the `Sec-WebSocket-Key` it sends)
 */
export function generateKey(random: (size: number) => Uint8Array = crypto.randomBytes): string {
  const bytes = random(16);
  if (bytes.length !== 16)
    throw new RangeError(`a websocket key needs 16 random bytes, got ${bytes.length}`);
  return Buffer.from(bytes).toString('base64');
}

/** True when `key` is base64 of exactly 16 bytes, as RFC 6455 §4.2.1 requires. */
export function isValidKey(key: string): boolean {
  return KEY_RE.test(key);
}

/**
 * The default origin policy: the origin's host (and port), lower-cased, must equal the `Host`
 * header. An origin without a scheme (`127.0.0.1:8888`) or one that is not a URL never matches.
 *
 * @see Tornado `WebSocketHandler.check_origin`
 */
export function isSameOrigin(origin: string, host: string | undefined): boolean {
  if (host === undefined) return false;
  const netloc = ORIGIN_RE.exec(origin)?.[1];
  return netloc !== undefined && netloc !== '' && netloc.toLowerCase() === host;
}

/** Request headers as `HTTPHeaders` offers them (several lines of one name joined by commas). */
export interface HandshakeHeaders {
  get(name: string): string | undefined;
}

/** Options of {@link checkHandshakeRequest}. */
export interface HandshakeCheckOptions {
  /**
   * Decides whether a request with this `Origin` (or `Sec-WebSocket-Origin`) is allowed;
   * requests without one are always allowed. Default: {@link isSameOrigin} with the `Host`
   * header.
   */
  checkOrigin?: (origin: string) => boolean;
}

/** An acceptable upgrade request, with what the 101 response needs. */
export interface HandshakeAccepted {
  readonly ok: true;
  /** The client's `Sec-WebSocket-Key`. */
  readonly key: string;
  /** The `Sec-WebSocket-Accept` value for the response. */
  readonly accept: string;
  /** The origin the browser sent, if any. */
  readonly origin: string | undefined;
  /** The offered subprotocols, in order (for `selectSubprotocol`). */
  readonly subprotocols: readonly string[];
  /** The offered extensions, in order (for `acceptDeflateOffer`). */
  readonly extensions: readonly ExtensionOffer[];
}

/** A rejected upgrade request: the status, a body for the error page, and extra headers. */
export interface HandshakeRejected {
  readonly ok: false;
  readonly status: 400 | 403 | 426;
  /** Why, in words (Tornado's messages). */
  readonly reason: string;
  /** Headers the response must carry (`Sec-WebSocket-Version: 13` on a 426). */
  readonly headers: Readonly<Record<string, string>>;
}

/** The outcome of {@link checkHandshakeRequest}. */
export type HandshakeCheck = HandshakeAccepted | HandshakeRejected;

/**
 * True when the comma-separated list `value` has an element equal to `wanted` (lower-case),
 * ignoring case and the whitespace around elements; no arrays or substrings are made.
 */
function listHas(value: string | undefined, wanted: string): boolean {
  if (value === undefined) return false;
  let start = 0;
  while (start <= value.length) {
    let end = value.indexOf(',', start);
    if (end === -1) end = value.length;
    let from = start;
    let to = end;
    while (from < to && isSpace(value.charCodeAt(from))) from++;
    while (to > from && isSpace(value.charCodeAt(to - 1))) to--;
    if (to - from === wanted.length && sameIgnoringCase(value, from, wanted)) return true;
    start = end + 1;
  }
  return false;
}

function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x09;
}

/** True when `value` from `at` reads `lower` (lower-case ASCII letters), in any case. */
function sameIgnoringCase(value: string, at: number, lower: string): boolean {
  for (let i = 0; i < lower.length; i++) {
    const code = value.charCodeAt(at + i);
    const folded = code >= 0x41 && code <= 0x5a ? code | 0x20 : code;
    if (folded !== lower.charCodeAt(i)) return false;
  }
  return true;
}

function tokens(value: string | undefined): string[] {
  if (value === undefined) return [];
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

function reject(
  status: 400 | 403 | 426,
  reason: string,
  headers: Record<string, string> = {},
): HandshakeRejected {
  return { ok: false, status, reason, headers };
}

/**
 * Checks a websocket upgrade request's headers in Tornado's order:
 *
 * 1. `Upgrade` does not list `websocket` → 400 `Can "Upgrade" only to "WebSocket".`
 * 2. `Connection` does not list `upgrade` → 400 `"Connection" must be "Upgrade".`
 * 3. An `Origin` (or `Sec-WebSocket-Origin`) that `checkOrigin` rejects → 403.
 * 4. `Sec-WebSocket-Version` is not 13 → 426 with `Sec-WebSocket-Version: 13`.
 * 5. `Host` missing, `Sec-WebSocket-Key` missing or not base64 of 16 bytes, or a malformed
 *    `Sec-WebSocket-Extensions` → 400 `Missing/Invalid WebSocket headers`.
 *
 * Tornado also accepts versions 7 and 8 (drafts) and any non-empty key; RFC 6455 allows only 13
 * and a 16-byte key, and the RFC wins (see PARITY.md).
 *
 * @see Tornado `WebSocketHandler.get` / `WebSocketProtocol13.accept_connection`
 */
export function checkHandshakeRequest(
  headers: HandshakeHeaders,
  options: HandshakeCheckOptions = {},
): HandshakeCheck {
  if (!listHas(headers.get('Upgrade'), 'websocket')) {
    return reject(400, 'Can "Upgrade" only to "WebSocket".');
  }
  if (!listHas(headers.get('Connection'), 'upgrade')) {
    return reject(400, '"Connection" must be "Upgrade".');
  }
  const host = headers.get('Host');
  const origin = headers.get('Origin') ?? headers.get('Sec-WebSocket-Origin');
  const checkOrigin = options.checkOrigin ?? ((o: string) => isSameOrigin(o, host));
  if (origin !== undefined && !checkOrigin(origin)) {
    return reject(403, 'Cross origin websockets not allowed');
  }
  if (headers.get('Sec-WebSocket-Version')?.trim() !== WEBSOCKET_VERSION) {
    return reject(426, 'Upgrade Required', { 'Sec-WebSocket-Version': WEBSOCKET_VERSION });
  }
  const key = headers.get('Sec-WebSocket-Key')?.trim();
  if (host === undefined || host === '' || key === undefined || !isValidKey(key)) {
    return reject(400, 'Missing/Invalid WebSocket headers');
  }
  let extensions: ExtensionOffer[] = [];
  const offered = headers.get('Sec-WebSocket-Extensions');
  try {
    if (offered !== undefined) extensions = parseExtensionHeader(offered);
  } catch (error) {
    if (error instanceof WebSocketHandshakeError)
      return reject(400, 'Missing/Invalid WebSocket headers');
    throw error;
  }
  return {
    ok: true,
    key,
    accept: computeAcceptKey(key),
    origin,
    subprotocols: tokens(headers.get('Sec-WebSocket-Protocol')),
    extensions,
  };
}
