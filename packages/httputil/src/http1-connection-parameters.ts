/**
 * HTTP1ConnectionParameters: the limits and switches of an {@link HTTP1Connection}.
 */

/** Options of {@link HTTP1ConnectionParameters}; every one has a safe default. */
export interface HTTP1ConnectionParametersInit {
  /** Close the connection after every message. Default false. */
  noKeepAlive?: boolean | undefined;
  /** Largest body piece handed to `dataReceived`. Default 64 KiB. */
  chunkSize?: number | undefined;
  /** Most bytes in a start line plus header section; more is a 431. Default 64 KiB. */
  maxHeaderSize?: number | undefined;
  /**
   * Seconds to wait for the first byte of a message (an idle keep-alive connection); on expiry
   * the connection closes without a response. Default none.
   */
  idleTimeout?: number | null | undefined;
  /**
   * Seconds from the first byte of a message until its header section is complete (a client
   * sending its headers slowly, "slowloris"); on expiry the connection closes without a
   * response. Default none.
   */
  headerTimeout?: number | null | undefined;
  /** Most body bytes per message (after decompression too); more is a 413. Default 100 MiB. */
  maxBodySize?: number | undefined;
  /** Seconds to wait for a whole body once its headers arrived; then the connection closes. */
  bodyTimeout?: number | null | undefined;
  /** Gunzip bodies sent with `Content-Encoding: gzip`. Default false. */
  decompress?: boolean | undefined;
}

/**
 * The parameters of an {@link HTTP1Connection}, with defaults filled in.
 *
 * @see Tornado `tornado.http1connection.HTTP1ConnectionParameters`
 */
export class HTTP1ConnectionParameters {
  /** Close the connection after every message. */
  readonly noKeepAlive: boolean;
  /** Largest body piece handed to `dataReceived`. */
  readonly chunkSize: number;
  /** Most bytes in a start line plus header section. */
  readonly maxHeaderSize: number;
  /** Seconds to wait for the first byte of a message, or `null` for no limit. */
  readonly idleTimeout: number | null;
  /** Seconds from a message's first byte to its complete header section, or `null`. */
  readonly headerTimeout: number | null;
  /** Most body bytes per message. */
  readonly maxBodySize: number;
  /** Seconds to wait for a body, or `null` for no limit. */
  readonly bodyTimeout: number | null;
  /** Gunzip `Content-Encoding: gzip` bodies. */
  readonly decompress: boolean;

  constructor(init: HTTP1ConnectionParametersInit = {}) {
    this.noKeepAlive = init.noKeepAlive ?? false;
    this.chunkSize = positive(init.chunkSize, 64 * 1024, 'chunkSize');
    this.maxHeaderSize = positive(init.maxHeaderSize, 64 * 1024, 'maxHeaderSize');
    this.idleTimeout = init.idleTimeout ?? null;
    this.headerTimeout = init.headerTimeout ?? null;
    this.maxBodySize = positive(init.maxBodySize, 100 * 1024 * 1024, 'maxBodySize');
    this.bodyTimeout = init.bodyTimeout ?? null;
    this.decompress = init.decompress ?? false;
  }
}

function positive(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!(value > 0)) throw new RangeError(`${name} must be a positive number, got ${value}`);
  return value;
}
