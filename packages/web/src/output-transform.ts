/**
 * OutputTransform: the extension point that rewrites a response as it is written.
 */
import type { HTTPHeaders, HTTPServerRequest } from '@tronada/httputil';

/** What {@link OutputTransform.transformFirstChunk} returns: the status, headers and chunk to write. */
export interface FirstChunk {
  status: number;
  headers: HTTPHeaders;
  chunk: Buffer;
}

/**
 * Rewrites a response on its way out (compression, say). An application creates one instance
 * per request from each class in its `transforms`; the handler passes the first flush through
 * {@link OutputTransform.transformFirstChunk} (status, headers and body may all change) and every
 * later one through {@link OutputTransform.transformChunk}. `finishing` is true for the last
 * chunk of the response.
 *
 * @see Tornado `tornado.web.OutputTransform`
 */
export class OutputTransform {
  /** The request whose response this transforms. */
  readonly request: HTTPServerRequest;

  constructor(request: HTTPServerRequest) {
    this.request = request;
  }

  /** Rewrites the status, headers and first body chunk; returns them unchanged by default. */
  transformFirstChunk(
    status: number,
    headers: HTTPHeaders,
    chunk: Buffer,
    _finishing: boolean,
  ): FirstChunk {
    return { status, headers, chunk };
  }

  /** Rewrites a later body chunk; returns it unchanged by default. */
  transformChunk(chunk: Buffer, _finishing: boolean): Buffer {
    return chunk;
  }
}

/** A class of {@link OutputTransform}s, as listed in an application's `transforms`. */
export type OutputTransformClass = new (request: HTTPServerRequest) => OutputTransform;
