/**
 * GzipBodyDecoder: gunzips a message body that arrives in pieces (`decompressRequest`).
 *
 * node:zlib only streams asynchronously, so each piece is written to a Gunzip transform and
 * the output it produced is collected from its `data` events; the connection stops reading
 * until a piece has been decoded (flow control). Output that arrives late is kept in order and
 * handed out with the next piece or at the end.
 */
import { createGunzip, type Gunzip } from 'node:zlib';
import { HTTPInputError } from './errors.js';

/**
 * Decodes one gzip body. Failures (not gzip, corrupt, truncated) reject with an
 * {@link HTTPInputError} (400).
 *
 * @see Tornado `tornado.http1connection._GzipMessageDelegate`
 */
export class GzipBodyDecoder {
  readonly #gunzip: Gunzip = createGunzip();
  #out: Buffer[] = [];
  #error: HTTPInputError | null = null;
  #failed: ((error: HTTPInputError) => void) | null = null;

  constructor() {
    this.#gunzip.on('data', (piece: Buffer) => {
      this.#out.push(piece);
    });
    this.#gunzip.on('error', (cause: Error) => {
      this.#error = new HTTPInputError(`Invalid gzip request body: ${cause.message}`, {
        rule: 'gzip-body',
        cause,
      });
      this.#failed?.(this.#error);
    });
  }

  /** Decodes `chunk`; resolves with the decoded bytes produced so far (perhaps none). */
  push(chunk: Uint8Array): Promise<Buffer[]> {
    return this.#step((done) => this.#gunzip.write(chunk, () => done()));
  }

  /** Ends the body; resolves with the last decoded bytes, or rejects when it was truncated. */
  end(): Promise<Buffer[]> {
    return this.#step((done) => {
      this.#gunzip.once('end', done);
      this.#gunzip.end();
    });
  }

  /** Releases the native resources (after an error or when the connection closed early). */
  destroy(): void {
    this.#failed = null;
    this.#gunzip.destroy();
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
