/**
 * BodyDecoder: decodes a message body sent with `Content-Encoding: gzip`, `deflate` or `br`,
 * piece by piece, through node:zlib.
 *
 * node:zlib only streams asynchronously: each piece is written to a transform and the output it
 * produced is collected from its `data` events, and the delegate returns the promise so
 * the connection stops reading meanwhile (flow control). `deflate` is the zlib format by the
 * RFC, but some servers send raw deflate; the first byte tells them apart.
 */
import type { Transform } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate, createInflateRaw } from 'node:zlib';

/** The content codings {@link BodyDecoder} decodes. */
export type ContentCoding = 'gzip' | 'deflate' | 'br';

/** The coding of a `Content-Encoding` value we can decode, or undefined. */
export function decodableCoding(value: string | undefined): ContentCoding | undefined {
  const coding = value?.trim().toLowerCase();
  if (coding === 'gzip' || coding === 'x-gzip') return 'gzip';
  if (coding === 'deflate' || coding === 'br') return coding;
  return undefined;
}

/** Decodes one body; a corrupt or truncated body rejects with the zlib error. */
export class BodyDecoder {
  readonly #coding: ContentCoding;
  #transform: Transform | null = null;
  #out: Buffer[] = [];
  #error: Error | null = null;
  #failed: ((error: Error) => void) | null = null;

  constructor(coding: ContentCoding) {
    this.#coding = coding;
  }

  /** Decodes `chunk`; resolves with the decoded bytes produced so far (perhaps none). */
  push(chunk: Uint8Array): Promise<Buffer[]> {
    const transform = this.#open(chunk);
    return this.#step((done) => transform.write(chunk, () => done()));
  }

  /** Ends the body; resolves with the last decoded bytes, or rejects when it was truncated. */
  end(): Promise<Buffer[]> {
    // An empty body encodes nothing: nothing to decode (servers send it for HEAD-like answers).
    if (this.#transform === null) return Promise.resolve([]);
    const transform = this.#transform;
    return this.#step((done) => {
      transform.once('end', done);
      transform.end();
    });
  }

  /** Releases the native resources. */
  destroy(): void {
    this.#failed = null;
    this.#transform?.destroy();
  }

  #open(first: Uint8Array): Transform {
    if (this.#transform !== null) return this.#transform;
    let transform: Transform;
    if (this.#coding === 'gzip') transform = createGunzip();
    else if (this.#coding === 'br') transform = createBrotliDecompress();
    // A zlib stream starts with CMF: compression method 8 in the low nibble.
    else transform = ((first[0] ?? 0) & 0x0f) === 8 ? createInflate() : createInflateRaw();
    transform.on('data', (piece: Buffer) => {
      this.#out.push(piece);
    });
    transform.on('error', (cause: Error) => {
      this.#error = cause;
      this.#failed?.(cause);
    });
    this.#transform = transform;
    return transform;
  }

  #step(start: (done: () => void) => void): Promise<Buffer[]> {
    return new Promise<Buffer[]>((resolve, reject) => {
      if (this.#error !== null) {
        reject(this.#error);
        return;
      }
      this.#failed = reject;
      start(() => {
        this.#failed = null;
        if (this.#error !== null) {
          reject(this.#error);
          return;
        }
        const out = this.#out;
        this.#out = [];
        resolve(out);
      });
    });
  }
}
