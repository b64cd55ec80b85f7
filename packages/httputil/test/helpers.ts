// Shared helpers for the parser tests: a sink that records what the parser reports, and a way
// to push bytes split at given points.
import {
  HTTP1Parser,
  type HTTP1ParserMode,
  type HTTP1ParserOptions,
  type HTTPHeaders,
  type RequestStartLine,
  type ResponseStartLine,
} from '@tronada/httputil';

/** One parsed message as the sink saw it. */
export interface Message {
  startLine: string;
  headers: [string, string][];
  body: Buffer;
  pieces: number[];
  trailers?: [string, string][];
  complete: boolean;
}

/** A sink that records messages; `messages` includes the one in progress. */
export class Recorder {
  readonly messages: Message[] = [];
  onHeaders(startLine: RequestStartLine | ResponseStartLine, headers: HTTPHeaders): void {
    this.messages.push({
      startLine: String(startLine),
      headers: [...headers],
      body: Buffer.alloc(0),
      pieces: [],
      complete: false,
    });
  }
  onData(chunk: Buffer): void {
    const m = this.current();
    m.body = Buffer.concat([m.body, chunk]);
    m.pieces.push(chunk.length);
  }
  onTrailers(trailers: HTTPHeaders): void {
    this.current().trailers = [...trailers];
  }
  onMessageComplete(): void {
    this.current().complete = true;
  }
  current(): Message {
    const m = this.messages[this.messages.length - 1];
    if (m === undefined) throw new Error('no message started');
    return m;
  }
}

/** Splits `data` at the given points (any numbers; taken modulo the length, deduplicated). */
export function splitAt(data: Uint8Array, cuts: readonly number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => c % (data.length + 1)))].sort((a, b) => a - b);
  const pieces: Buffer[] = [];
  let prev = 0;
  for (const p of [...points, data.length]) {
    if (p > prev) pieces.push(Buffer.from(data.subarray(prev, p)));
    prev = p;
  }
  return pieces;
}

/** The outcome of feeding bytes to a fresh parser: the messages, and the error if any. */
export interface Outcome {
  messages: Message[];
  error: unknown;
  parser: HTTP1Parser;
}

/** Pushes `pieces` into a new parser with a Recorder sink; stops at the first error. */
export function feed(
  pieces: readonly Uint8Array[],
  options: HTTP1ParserOptions<HTTP1ParserMode> = { mode: 'request' },
): Outcome {
  const recorder = new Recorder();
  const parser = new HTTP1Parser(recorder, options);
  let error: unknown;
  try {
    for (const piece of pieces) parser.push(piece);
  } catch (e) {
    error = e;
  }
  return { messages: recorder.messages, error, parser };
}

/** Bytes of `text` with every `\n` turned into CRLF. */
export function crlf(text: string): Buffer {
  return Buffer.from(text.replace(/\n/g, '\r\n'), 'latin1');
}
