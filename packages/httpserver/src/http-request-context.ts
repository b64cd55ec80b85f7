/**
 * HTTPRequestContext: what an HTTP server knows about the peer of one connection, rewritten
 * per request from proxy headers when `xheaders` is on.
 */
import type { HTTPHeaders } from '@tronada/httputil';
import { isValidIp } from '@tronada/iostream';

/** Options of {@link HTTPRequestContext}. */
export interface HTTPRequestContextOptions {
  /** The peer's address, or undefined for a peer without one (a Unix socket). */
  address?: string | undefined;
  /** `http` or `https` as seen by the server (default `http`). */
  protocol?: string | undefined;
  /** Proxies whose `X-Forwarded-For` entries are skipped when finding the client. */
  trustedDownstream?: Iterable<string> | undefined;
}

/**
 * The connection context of an {@link HTTPServer} connection: `remoteIp` and `protocol`.
 * With `xheaders`, {@link applyXheaders} rewrites them for one request from `X-Real-Ip` /
 * `X-Forwarded-For` and `X-Scheme` / `X-Forwarded-Proto`, and {@link unapplyXheaders} restores
 * them before the next request on the connection.
 *
 * @see Tornado `tornado.httpserver._HTTPRequestContext`
 */
// Shared by every context that trusts no downstream proxy (the default), so that a connection
// does not carry an empty Set of its own.
const NO_TRUSTED_HOPS: ReadonlySet<string> = new Set();

export class HTTPRequestContext {
  /** The client's IP address (`0.0.0.0` when the connection has none). */
  remoteIp: string;
  /** `http` or `https`. */
  protocol: string;
  /** Addresses of proxies trusted to append to `X-Forwarded-For`. */
  readonly trustedDownstream: ReadonlySet<string>;
  readonly #remoteIp: string;
  readonly #protocol: string;

  constructor(options: HTTPRequestContextOptions = {}) {
    this.remoteIp = options.address ?? '0.0.0.0';
    this.protocol = options.protocol ?? 'http';
    const trusted = options.trustedDownstream;
    this.trustedDownstream =
      trusted === undefined || (Array.isArray(trusted) && trusted.length === 0)
        ? NO_TRUSTED_HOPS
        : new Set(trusted);
    this.#remoteIp = this.remoteIp;
    this.#protocol = this.protocol;
  }

  /**
   * Takes `remoteIp` from `X-Real-Ip`, else from the last `X-Forwarded-For` entry that is not a
   * trusted proxy, when it is a valid IP; and `protocol` from `X-Scheme`, else the last
   * `X-Forwarded-Proto` entry, when it is `http` or `https`.
   *
   * @see Tornado `_HTTPRequestContext._apply_xheaders`
   */
  applyXheaders(headers: HTTPHeaders): void {
    let ip = headers.get('X-Forwarded-For', this.remoteIp)!;
    const hops = ip.split(',');
    for (let i = hops.length - 1; i >= 0; i--) {
      ip = hops[i]!.trim();
      if (!this.trustedDownstream.has(ip)) break;
    }
    ip = headers.get('X-Real-Ip', ip)!;
    if (isValidIp(ip)) this.remoteIp = ip;
    const proto = headers.get('X-Scheme') ?? headers.get('X-Forwarded-Proto');
    if (proto !== undefined) {
      const last = proto.split(',').at(-1)!.trim();
      if (last === 'http' || last === 'https') this.protocol = last;
    }
  }

  /**
   * Restores the connection's own `remoteIp` and `protocol`.
   *
   * @see Tornado `_HTTPRequestContext._unapply_xheaders`
   */
  unapplyXheaders(): void {
    this.remoteIp = this.#remoteIp;
    this.protocol = this.#protocol;
  }

  /** The peer's address, as log lines show it. */
  toString(): string {
    return this.remoteIp;
  }
}
