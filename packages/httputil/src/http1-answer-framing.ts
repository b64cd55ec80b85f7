/**
 * The framing decisions HTTP1Connection takes for what it writes: the head of an outgoing
 * message (body framing by {@link planRequestBody}/{@link planResponseBody}, plus the
 * `Connection` header a server owes its client), the interim `100 Continue`, and the bare
 * answer to rejected input.
 */
import type { HTTPHeaders } from './http-headers.js';
import {
  planRequestBody,
  planResponseBody,
  requestHeadText,
  responseHeadText,
} from './http1-writer.js';
import type { RequestStartLine, ResponseStartLine } from './start-line.js';

/** What a server answers to rejected input, by status. */
const ERROR_REASONS: Record<number, string> = {
  400: 'Bad Request',
  413: 'Content Too Large',
  414: 'URI Too Long',
  431: 'Request Header Fields Too Large',
  501: 'Not Implemented',
  505: 'HTTP Version Not Supported',
};

/** The interim answer to `Expect: 100-continue`. */
export const CONTINUE_RESPONSE = Buffer.from('HTTP/1.1 100 (Continue)\r\n\r\n', 'latin1');

/** The whole answer to input rejected with `status` (unknown statuses say Bad Request). */
export function rejectionResponse(status: number): Buffer {
  const reason = ERROR_REASONS[status] ?? 'Bad Request';
  return Buffer.from(`HTTP/1.1 ${status} ${reason}\r\n\r\n`, 'latin1');
}

/** An outgoing head and how its body is framed. */
export interface OutgoingHead {
  /** The start line and headers as text (Latin-1 checked when encoded). */
  readonly text: string;
  /** True when the body is written chunked. */
  readonly chunked: boolean;
  /** The body bytes the headers promise, or undefined when not fixed. */
  readonly expectedLength: number | undefined;
}

/** Frames a client's request; adds `Transfer-Encoding: chunked` to `headers` when chosen. */
export function frameRequestHead(startLine: RequestStartLine, headers: HTTPHeaders): OutgoingHead {
  const plan = planRequestBody(startLine, headers);
  if (plan.chunked) headers.set('Transfer-Encoding', 'chunked');
  return {
    text: requestHeadText(startLine, headers),
    chunked: plan.chunked,
    expectedLength: plan.expectedLength,
  };
}

/**
 * Frames a server's response to `request`; changes `headers`: `Transfer-Encoding: chunked`
 * when chosen, and the `Connection` header telling the client whether the connection stays
 * open (`close` on HTTP/1.1 when it will not, `Keep-Alive` echoed on HTTP/1.0 when it will).
 */
export function frameResponseHead(
  request: RequestStartLine,
  requestHeaders: HTTPHeaders | null,
  startLine: ResponseStartLine,
  headers: HTTPHeaders,
  disconnectOnFinish: boolean,
): OutgoingHead {
  const plan = planResponseBody(request, startLine, headers);
  if (plan.chunked) headers.set('Transfer-Encoding', 'chunked');
  if (request.version === 'HTTP/1.1' && disconnectOnFinish) {
    headers.set('Connection', 'close');
  } else if (
    request.version === 'HTTP/1.0' &&
    !disconnectOnFinish &&
    requestHeaders?.get('Connection')?.toLowerCase() === 'keep-alive'
  ) {
    headers.set('Connection', 'Keep-Alive');
  }
  return {
    text: responseHeadText(startLine, headers),
    chunked: plan.chunked,
    expectedLength: plan.expectedLength,
  };
}
