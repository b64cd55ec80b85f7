/**
 * EncodedTextCache: the UTF-8 bytes and entity tag of response texts that are sent again and
 * again.
 *
 * Handlers tend to answer many requests with the same few texts: a fixed message, the JSON of
 * an object that did not change, a page rendered from the same data. Encoding such a text and
 * hashing it for its `ETag` (SHA-1) cost more than the rest of the handler's own work, so this
 * cache does both once per distinct text.
 *
 * The keys are the texts themselves: a string Map hashes and compares the characters, so equal
 * texts always share an entry and different texts never do, and the bytes and tag handed out
 * are exactly what encoding and hashing the text would give. Only texts up to `maxTextLength`
 * characters are kept, and the whole cache is dropped once it holds `maxEntries` texts or
 * `maxTotalLength` characters, so memory stays bounded and a stream of texts that never repeat
 * costs a lookup and an insert each. The bytes live in buffers of their own, not in slices of
 * Node's shared allocation pool, so an entry never keeps a pool slab alive.
 */
import { etagOf } from './etag.js';

/**
 * A text with its UTF-8 bytes and (computed on first use) its entity tag. The bytes are shared
 * by every response that sends the text: treat them as read-only.
 */
export class EncodedText {
  /** The UTF-8 encoding of the text (shared; never modify it). */
  readonly bytes: Buffer;
  #etag: string | undefined = undefined;

  constructor(text: string) {
    const bytes = Buffer.allocUnsafeSlow(Buffer.byteLength(text, 'utf8'));
    bytes.write(text, 0, 'utf8');
    this.bytes = bytes;
  }

  /** The strong entity tag of the bytes, as {@link etagOf} computes it. */
  get etag(): string {
    this.#etag ??= etagOf([this.bytes]);
    return this.#etag;
  }
}

/** Limits of an {@link EncodedTextCache}. */
export interface EncodedTextCacheOptions {
  /** Longer texts are not cached (default 4096 characters). */
  maxTextLength?: number;
  /** The cache is dropped when it holds this many texts (default 512). */
  maxEntries?: number;
  /** ... or this many characters in all (default 1,048,576). */
  maxTotalLength?: number;
}

/**
 * A bounded cache from response texts to their {@link EncodedText}. `get` returns undefined for
 * texts too long to keep; the caller encodes those itself.
 */
export class EncodedTextCache {
  readonly #maxTextLength: number;
  readonly #maxEntries: number;
  readonly #maxTotalLength: number;
  readonly #entries = new Map<string, EncodedText>();
  #totalLength = 0;

  constructor(options: EncodedTextCacheOptions = {}) {
    this.#maxTextLength = options.maxTextLength ?? 4096;
    this.#maxEntries = options.maxEntries ?? 512;
    this.#maxTotalLength = options.maxTotalLength ?? 1024 * 1024;
  }

  /** The number of texts held. */
  get size(): number {
    return this.#entries.size;
  }

  /** The entry of `text` (created on a miss), or undefined when the text is too long to cache. */
  get(text: string): EncodedText | undefined {
    if (text.length > this.#maxTextLength) return undefined;
    let entry = this.#entries.get(text);
    if (entry === undefined) {
      if (
        this.#entries.size >= this.#maxEntries ||
        this.#totalLength + text.length > this.#maxTotalLength
      ) {
        this.clear();
      }
      entry = new EncodedText(text);
      this.#entries.set(text, entry);
      this.#totalLength += text.length;
    }
    return entry;
  }

  /** Forgets every text. */
  clear(): void {
    this.#entries.clear();
    this.#totalLength = 0;
  }
}

/** The cache shared by every {@link RequestHandler}'s `write` of text and JSON. */
export const responseTexts = new EncodedTextCache();
