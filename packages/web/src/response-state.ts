/**
 * ResponseState: the response a {@link RequestHandler} is building, held as one object so that
 * `detach()` can let all of it go at once (a detached stream, such as a websocket, may stay
 * open for hours while its handler lives on).
 */
import type { HTTPHeaders } from '@tronada/httputil';
import type { EncodedText } from './encoded-text-cache.js';
import type { OutputTransform } from './output-transform.js';

/**
 * The response headers, reason phrase, buffered output and output transforms of one request.
 * Internal to `RequestHandler`; the status code lives on the handler, which keeps it after
 * `detach()`.
 */
export class ResponseState {
  /** The response headers; null once detached, until something touches them again. */
  headers: HTTPHeaders | null;
  /** The reason phrase of the status line. */
  reason: string;
  /** Output buffered by `write` until the next flush. */
  writeBuffer: Buffer[];
  /**
   * The cached encoding of the text written first, whose ETag is known while it is the whole
   * body (`writeBuffer` holds exactly its bytes).
   */
  encodedBody: EncodedText | null = null;
  /** The application's output transforms, one set per request. */
  transforms: readonly OutputTransform[];
  /** `Set-Cookie` values by cookie name, in the order set. */
  newCookies: Map<string, string> | null = null;

  constructor(
    headers: HTTPHeaders | null,
    reason: string,
    writeBuffer: Buffer[],
    transforms: readonly OutputTransform[],
  ) {
    this.headers = headers;
    this.reason = reason;
    this.writeBuffer = writeBuffer;
    this.transforms = transforms;
  }
}
