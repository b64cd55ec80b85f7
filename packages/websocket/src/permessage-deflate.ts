/**
 * permessage-deflate compression of whole messages (RFC 7692 §7.2), with synchronous zlib.
 *
 * Each message is one raw DEFLATE run ended by a sync flush, whose trailing `00 00 ff ff` is
 * cut off on send and put back on receipt (§7.2.1–7.2.2). "Context takeover" means a message
 * may refer back to earlier messages' bytes; rather than keep a zlib stream alive between
 * messages (which Node only offers asynchronously), we keep the last window of plain bytes
 * (2^windowBits) and hand it to zlib as the preset dictionary of the next message. Back
 * references then resolve exactly as in a long-lived stream, so peers that keep one stream
 * (ws, Python) interoperate, and the codec stays a synchronous push parser that cannot reorder
 * messages.
 *
 * Decompression is bounded: zlib stops with an error as soon as the output would pass
 * `maxLength`, so a small bomb never inflates in full (ws and Tornado do the same with their
 * own limits).
 */
import { constants, deflateRawSync, inflateRawSync, type ZlibOptions } from 'node:zlib';
import type { DeflateParameters, PerMessageDeflateOptions } from './deflate-negotiation.js';
import { validateDeflateOptions } from './deflate-negotiation.js';
import { WebSocketProtocolError } from './errors.js';

const TAIL = Buffer.from([0x00, 0x00, 0xff, 0xff]);
// buffer.constants.MAX_LENGTH is the most zlib may be asked to produce in one buffer.
const MAX_OUTPUT = 2 ** 31 - 1;

/** Options of {@link PerMessageDeflate}. */
export interface PerMessageDeflateInit
  extends Pick<PerMessageDeflateOptions, 'compressionLevel' | 'memLevel'> {
  /** Which side we are: the server compresses with the `server*` parameters, the client with `client*`. */
  isServer: boolean;
  /** The negotiated parameters (from `acceptDeflateOffer` or `acceptDeflateResponse`). */
  parameters: DeflateParameters;
}

/** The last `size` bytes of `history` followed by `data`, as a new buffer we own. */
function slide(history: Buffer | undefined, data: Uint8Array, size: number): Buffer {
  if (data.length >= size) return Buffer.from(data.subarray(data.length - size));
  const keep = history === undefined ? 0 : Math.min(history.length, size - data.length);
  const out = Buffer.allocUnsafe(keep + data.length);
  if (history !== undefined && keep > 0) history.copy(out, 0, history.length - keep);
  out.set(data, keep);
  return out;
}

/**
 * Compresses outgoing and decompresses incoming messages for one connection under negotiated
 * permessage-deflate parameters. Messages must be passed in wire order in each direction.
 *
 * @see Tornado `_PerMessageDeflateCompressor` / `_PerMessageDeflateDecompressor`
 */
export class PerMessageDeflate {
  /** The negotiated parameters this instance follows. */
  readonly parameters: DeflateParameters;
  readonly #level: number;
  readonly #memLevel: number;
  readonly #ownBits: number;
  readonly #ownTakeover: boolean;
  readonly #peerBits: number;
  readonly #peerTakeover: boolean;
  #sent: Buffer | undefined;
  #received: Buffer | undefined;

  constructor(init: PerMessageDeflateInit) {
    const p = init.parameters;
    validateDeflateOptions({
      ...init,
      serverMaxWindowBits: p.serverMaxWindowBits,
      clientMaxWindowBits: p.clientMaxWindowBits,
    });
    this.parameters = p;
    this.#level = init.compressionLevel ?? 6;
    this.#memLevel = init.memLevel ?? 8;
    this.#ownBits = init.isServer ? p.serverMaxWindowBits : p.clientMaxWindowBits;
    this.#ownTakeover = !(init.isServer ? p.serverNoContextTakeover : p.clientNoContextTakeover);
    this.#peerBits = init.isServer ? p.clientMaxWindowBits : p.serverMaxWindowBits;
    this.#peerTakeover = !(init.isServer ? p.clientNoContextTakeover : p.serverNoContextTakeover);
  }

  /**
   * Compresses one whole message; the result goes out with RSV1 set on its first frame.
   *
   * @see Tornado `_PerMessageDeflateCompressor.compress`
   */
  compress(data: Uint8Array): Buffer {
    const options: ZlibOptions = {
      level: this.#level,
      memLevel: this.#memLevel,
      // zlib cannot deflate with a 256-byte window and silently uses 512; its matches still
      // stay within 250 bytes, so a peer that asked for 8 bits can inflate them.
      windowBits: Math.max(this.#ownBits, 9),
      finishFlush: constants.Z_SYNC_FLUSH,
    };
    if (this.#ownTakeover && this.#sent !== undefined && this.#sent.length > 0)
      options.dictionary = this.#sent;
    const out = deflateRawSync(data, options);
    if (this.#ownTakeover) this.#sent = slide(this.#sent, data, 1 << this.#ownBits);
    return out.subarray(0, out.length - TAIL.length);
  }

  /**
   * Decompresses one whole message (its frames' payloads joined).
   *
   * Throws {@link WebSocketProtocolError} with close code 1009 as soon as the output would
   * exceed `maxLength` bytes, or 1007 when the data is not valid DEFLATE.
   *
   * @see Tornado `_PerMessageDeflateDecompressor.decompress`
   */
  decompress(data: Uint8Array, maxLength: number): Buffer {
    const options: ZlibOptions = {
      // A 15-bit window accepts anything a smaller window produced.
      windowBits: 15,
      finishFlush: constants.Z_SYNC_FLUSH,
      maxOutputLength: Math.min(Math.max(maxLength, 1), MAX_OUTPUT),
    };
    if (this.#peerTakeover && this.#received !== undefined && this.#received.length > 0) {
      options.dictionary = this.#received;
    }
    let out: Buffer;
    try {
      out = inflateRawSync(Buffer.concat([data, TAIL]), options);
    } catch (error) {
      if ((error as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE') {
        throw new WebSocketProtocolError(
          1009,
          'message-too-big',
          'message too big after decompression',
          {
            cause: error,
          },
        );
      }
      throw new WebSocketProtocolError(1007, 'deflate-data', 'invalid compressed data', {
        cause: error,
      });
    }
    if (out.length > maxLength) {
      throw new WebSocketProtocolError(
        1009,
        'message-too-big',
        'message too big after decompression',
      );
    }
    if (this.#peerTakeover) this.#received = slide(this.#received, out, 1 << this.#peerBits);
    return out;
  }
}
