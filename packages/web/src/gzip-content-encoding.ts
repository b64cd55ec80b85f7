/**
 * GZipContentEncoding: gzip responses for clients that accept it (the `compressResponse`
 * setting).
 *
 * The body may be flushed in pieces, and each piece must reach the client at once, so the
 * stream is built by hand: a gzip header, then each piece as raw deflate blocks ending in a sync
 * flush (a complete, byte-aligned point the client can decode up to), the last piece as the
 * final block, then the CRC-32 and length trailer (RFC 1952). Each piece is compressed on its
 * own, which keeps the work synchronous; a response sent in one piece compresses exactly as a
 * single gzip member would.
 */
import { constants, crc32, deflateRawSync } from 'node:zlib';
import type { HTTPHeaders, HTTPServerRequest } from '@tronada/httputil';
import { type FirstChunk, OutputTransform } from './output-transform.js';

// Types worth compressing besides text/*.
const COMPRESSIBLE_TYPES = new Set([
  'application/javascript',
  'application/x-javascript',
  'application/xml',
  'application/atom+xml',
  'application/json',
  'application/xhtml+xml',
  'image/svg+xml',
]);

// ID1 ID2 CM=deflate FLG=0 MTIME=0 XFL=0 OS=unknown (255).
const GZIP_HEADER = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255]);

/**
 * Compresses responses with gzip when the request's `Accept-Encoding` includes `gzip`, the
 * content type is compressible (`text/*`, JSON, JavaScript, XML, SVG), the response has no
 * `Content-Encoding` yet, and a response finished in one piece has at least
 * {@link GZipContentEncoding.MIN_LENGTH} bytes. Always adds `Vary: Accept-Encoding`.
 *
 * @see Tornado `tornado.web.GZipContentEncoding`
 */
export class GZipContentEncoding extends OutputTransform {
  /** Smallest single-piece body worth compressing, in bytes. */
  static MIN_LENGTH = 1024;
  /** The zlib compression level (1–9). */
  static GZIP_LEVEL = 6;

  #gzipping: boolean;
  #crc = 0;
  #length = 0;

  constructor(request: HTTPServerRequest) {
    super(request);
    this.#gzipping = (request.headers.get('Accept-Encoding') ?? '').includes('gzip');
  }

  /** True for content types worth compressing. */
  static isCompressibleType(contentType: string): boolean {
    return contentType.startsWith('text/') || COMPRESSIBLE_TYPES.has(contentType);
  }

  override transformFirstChunk(
    status: number,
    headers: HTTPHeaders,
    chunk: Buffer,
    finishing: boolean,
  ): FirstChunk {
    const vary = headers.get('Vary');
    headers.set('Vary', vary ? `${vary}, Accept-Encoding` : 'Accept-Encoding');
    if (this.#gzipping) {
      const contentType = (headers.get('Content-Type') ?? '').split(';')[0]!.trim();
      const Self = this.constructor as typeof GZipContentEncoding;
      this.#gzipping =
        Self.isCompressibleType(contentType) &&
        (!finishing || chunk.length >= Self.MIN_LENGTH) &&
        !headers.has('Content-Encoding');
    }
    if (!this.#gzipping) return { status, headers, chunk };
    headers.set('Content-Encoding', 'gzip');
    const body = Buffer.concat([GZIP_HEADER, this.transformChunk(chunk, finishing)]);
    if (headers.has('Content-Length')) {
      if (finishing) headers.set('Content-Length', String(body.length));
      else headers.delete('Content-Length');
    }
    return { status, headers, chunk: body };
  }

  override transformChunk(chunk: Buffer, finishing: boolean): Buffer {
    if (!this.#gzipping) return chunk;
    this.#crc = crc32(chunk, this.#crc);
    this.#length = (this.#length + chunk.length) >>> 0;
    const level = (this.constructor as typeof GZipContentEncoding).GZIP_LEVEL;
    const deflated = deflateRawSync(chunk, {
      level,
      finishFlush: finishing ? constants.Z_FINISH : constants.Z_SYNC_FLUSH,
    });
    if (!finishing) return deflated;
    const trailer = Buffer.alloc(8);
    trailer.writeUInt32LE(this.#crc >>> 0, 0);
    trailer.writeUInt32LE(this.#length, 4);
    return Buffer.concat([deflated, trailer]);
  }
}
