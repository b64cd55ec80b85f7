/**
 * FetchExchange: one request and its response over one client HTTP1Connection (Tornado's
 * `_HTTPConnection` minus connecting, redirects and authentication retries, which
 * `fetch-operation.ts` does).
 *
 * The head goes out with the body when the body is known (one write); a streamed body
 * (`bodyProducer`) follows the head; with `expect100Continue` the body waits for the server's
 * `100 Continue`, and is not sent at all when a final status comes first. The response is read
 * into this delegate: the head is given to `headerCallback` and the body to
 * `streamingCallback` only for the final response of the fetch (not for a redirect that will be
 * followed), and decoded on the way when it is compressed. A delegate callback that returns a
 * promise pauses reading (flow control), so a slow `streamingCallback` slows the server down.
 */
import type {
  HTTP1Connection,
  HTTPHeaders,
  HTTPMessageDelegate,
  RequestStartLine,
  ResponseStartLine,
} from '@tronada/httputil';
import { BodyDecoder, decodableCoding, HTTPInputError } from '@tronada/httputil';
import { type Future, futureAddDoneCallback, isThenable } from '@tronada/ioloop';
import { HTTPClientError, HTTPStreamClosedError } from './errors.js';
import type { HTTPRequest } from './http-request.js';

/** A response as read from the wire. */
export interface RawResponse {
  readonly code: number;
  readonly reason: string;
  readonly headers: HTTPHeaders;
  /** The collected body (empty when streamed or not final). */
  readonly body: Buffer;
  /** True when the connection can carry another request. */
  readonly reusable: boolean;
  /** Seconds (performance clock) when the head arrived. */
  readonly headTime: number;
}

/** Decides, from its head, whether a response is the fetch's final one. */
export type FinalResponseTest = (code: number, headers: HTTPHeaders) => boolean;

/** Reads one response for one request; see the file comment. */
export class FetchExchange implements HTTPMessageDelegate {
  readonly #conn: HTTP1Connection;
  readonly #request: HTTPRequest;
  readonly #startLine: RequestStartLine;
  readonly #headers: HTTPHeaders;
  readonly #isFinal: FinalResponseTest;
  readonly #maxBodySize: number;
  #code = 0;
  #reason = '';
  #responseHeaders: HTTPHeaders | null = null;
  #final = false;
  #chunks: Buffer[] = [];
  #size = 0;
  #decoder: BodyDecoder | null = null;
  #ending: Promise<void> | null = null;
  #finished = false;
  #headTime = 0;

  constructor(
    conn: HTTP1Connection,
    request: HTTPRequest,
    startLine: RequestStartLine,
    headers: HTTPHeaders,
    isFinal: FinalResponseTest,
    maxBodySize: number,
  ) {
    this.#conn = conn;
    this.#request = request;
    this.#startLine = startLine;
    this.#headers = headers;
    this.#isFinal = isFinal;
    this.#maxBodySize = maxBodySize;
  }

  /** True once any response head arrived (a retry would no longer be safe). */
  get responseStarted(): boolean {
    return this.#responseHeaders !== null;
  }

  /**
   * Sends the request and reads the response. A request whose body is known waits on the
   * response alone, without an async frame; one that waits for `100 Continue` or streams its
   * body takes the general path.
   */
  run(): Promise<RawResponse> {
    const conn = this.#conn;
    const request = this.#request;
    const body = request.body;
    const streamed = request.bodyProducer !== undefined;
    const waits = request.expect100Continue && (body !== undefined || streamed);
    let reading: Future<boolean>;
    try {
      const first = !waits && body !== undefined && body.length > 0 ? body : undefined;
      conn.writeHeaders(this.#startLine, this.#headers, first);
      reading = conn.readResponse(this);
      if (waits || streamed) return this.#sendBody(reading, waits);
      if (!conn.stream.closed()) conn.finish();
    } catch (error) {
      return Promise.reject(error);
    }
    return new Promise((resolve, reject) => {
      futureAddDoneCallback(reading, (done) => {
        try {
          resolve(this.#complete(done.result()));
        } catch (error) {
          reject(error);
        }
      });
    });
  }

  /** The general path of {@link run}: the body after `100 Continue`, or streamed. */
  async #sendBody(reading: Future<boolean>, waits: boolean): Promise<RawResponse> {
    const conn = this.#conn;
    const request = this.#request;
    const body = request.body;
    const send = waits ? await conn.waitForContinue() : true;
    if (send && !conn.stream.closed()) {
      if (waits && body !== undefined && body.length > 0) conn.write(body);
      const producer = request.bodyProducer;
      if (producer !== undefined) {
        await producer((chunk) =>
          conn.write(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk),
        );
      }
      if (!conn.stream.closed()) conn.finish();
    }
    return this.#complete(await reading);
  }

  /** The response once reading ended (`keepGoing`: the connection may carry another). */
  #complete(keepGoing: boolean): RawResponse | Promise<RawResponse> {
    const conn = this.#conn;
    if (!this.#finished) {
      const cause = conn.readError;
      if (cause instanceof HTTPInputError) {
        throw new HTTPClientError(599, `Malformed response: ${cause.message}`, { cause });
      }
      throw new HTTPStreamClosedError('Stream closed', { cause: cause ?? undefined });
    }
    if (this.#ending === null) return this.#raw(keepGoing);
    return this.#ending.then(
      () => this.#raw(keepGoing),
      (cause: unknown) => {
        conn.close();
        throw new HTTPClientError(599, `Could not decode the response body: ${String(cause)}`, {
          cause,
        });
      },
    );
  }

  #raw(keepGoing: boolean): RawResponse {
    return {
      code: this.#code,
      reason: this.#reason,
      headers: this.#responseHeaders!,
      body: this.#chunks.length === 1 ? this.#chunks[0]! : Buffer.concat(this.#chunks),
      reusable: keepGoing && !this.#conn.upgraded,
      headTime: this.#headTime,
    };
  }

  headersReceived(startLine: RequestStartLine | ResponseStartLine, headers: HTTPHeaders): void {
    const line = startLine as ResponseStartLine;
    this.#headTime = performance.now() / 1000;
    this.#code = line.code;
    this.#reason = line.reason;
    this.#responseHeaders = headers;
    this.#final = this.#isFinal(line.code, headers);
    const coding = this.#request.decompressResponse
      ? decodableCoding(headers.get('Content-Encoding'))
      : undefined;
    if (coding !== undefined) {
      headers.add('X-Consumed-Content-Encoding', headers.get('Content-Encoding')!);
      headers.delete('Content-Encoding');
      this.#decoder = new BodyDecoder(coding);
    }
    const callback = this.#request.headerCallback;
    if (this.#final && callback !== undefined) {
      callback(`${line.version} ${line.code} ${line.reason}\r\n`);
      for (const [name, value] of headers) callback(`${name}: ${value}\r\n`);
      callback('\r\n');
    }
  }

  dataReceived(chunk: Uint8Array): void | PromiseLike<void> {
    const decoder = this.#decoder;
    if (decoder === null) return this.#deliver(chunk as Buffer);
    return decoder.push(chunk).then(
      (pieces) => this.#deliverAll(pieces),
      (cause: unknown) => {
        throw new HTTPInputError(`Invalid compressed response body: ${String(cause)}`, {
          rule: 'content-encoding',
          cause,
        });
      },
    );
  }

  finish(): void {
    this.#finished = true;
    const decoder = this.#decoder;
    if (decoder !== null) this.#ending = decoder.end().then((pieces) => this.#deliverAll(pieces));
  }

  onConnectionClose(): void {
    this.#decoder?.destroy();
  }

  async #deliverAll(pieces: Buffer[]): Promise<void> {
    for (const piece of pieces) {
      const result = this.#deliver(piece);
      if (isThenable(result)) await result;
    }
  }

  #deliver(piece: Buffer): void | PromiseLike<void> {
    if (!this.#final || piece.length === 0) return;
    this.#size += piece.length;
    if (this.#size > this.#maxBodySize) {
      throw HTTPInputError.fromRule('body-too-large', `decoded body over ${this.#maxBodySize}`);
    }
    const callback = this.#request.streamingCallback;
    if (callback !== undefined) return callback(piece);
    this.#chunks.push(piece);
  }
}
