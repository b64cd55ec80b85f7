/**
 * GzipBodyDecoder: gunzips a request body that arrives in pieces (`decompressRequest`).
 */
import { BodyDecoder } from './body-decoder.js';
import { HTTPInputError } from './errors.js';

function invalid(cause: unknown): HTTPInputError {
  const message = cause instanceof Error ? cause.message : String(cause);
  return new HTTPInputError(`Invalid gzip request body: ${message}`, { rule: 'gzip-body', cause });
}

/**
 * Decodes one gzip request body. Failures (not gzip, corrupt, truncated) reject with an
 * {@link HTTPInputError} (400). An empty body is refused too: a request that says it is gzip
 * must carry a gzip stream.
 *
 * @see Tornado `tornado.http1connection._GzipMessageDelegate`
 */
export class GzipBodyDecoder {
  readonly #decoder = new BodyDecoder('gzip');
  #pushed = false;

  /** Decodes `chunk`; resolves with the decoded bytes produced so far (perhaps none). */
  push(chunk: Uint8Array): Promise<Buffer[]> {
    this.#pushed = true;
    return this.#decoder.push(chunk).catch((cause: unknown) => Promise.reject(invalid(cause)));
  }

  /** Ends the body; resolves with the last decoded bytes, or rejects when it was truncated. */
  end(): Promise<Buffer[]> {
    if (!this.#pushed) return Promise.reject(invalid(new Error('unexpected end of file')));
    return this.#decoder.end().catch((cause: unknown) => Promise.reject(invalid(cause)));
  }

  /** Releases the native resources (after an error or when the connection closed early). */
  destroy(): void {
    this.#decoder.destroy();
  }
}
