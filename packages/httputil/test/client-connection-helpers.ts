// Helpers for the client-side connection tests: an in-memory peer that plays a server, and a
// delegate that records one response.
import type { BaseIOStream } from '@tronada/iostream';
import { memoryStreamPair } from '@tronada/iostream';
import type { HTTPMessageDelegate, ResponseStartLine } from '../src/index.js';
import { HTTP1Connection, HTTPHeaders } from '../src/index.js';

/** What a {@link recordingDelegate} saw. */
export interface Recorded {
  heads: string[];
  headers: HTTPHeaders[];
  body: string;
  finished: number;
  closed: number;
}

/** A delegate that records every call, for one response. */
export function recordingDelegate(): { got: Recorded; delegate: HTTPMessageDelegate } {
  const got: Recorded = { heads: [], headers: [], body: '', finished: 0, closed: 0 };
  const delegate: HTTPMessageDelegate = {
    headersReceived(start, headers) {
      const line = start as ResponseStartLine;
      got.heads.push(`${line.code} ${line.reason}`);
      got.headers.push(headers);
    },
    dataReceived(chunk) {
      got.body += Buffer.from(chunk).toString('latin1');
    },
    finish() {
      got.finished += 1;
    },
    onConnectionClose() {
      got.closed += 1;
    },
  };
  return { got, delegate };
}

/** A client connection over an in-memory pair, and the server's end of the pair. */
export function clientPair(): { conn: HTTP1Connection; server: BaseIOStream } {
  const [client, server] = memoryStreamPair();
  return { conn: new HTTP1Connection(client, true), server };
}

/** Reads one request head (through the empty line) from the server end. */
export async function readRequestHead(server: BaseIOStream): Promise<string> {
  return (await server.readUntil('\r\n\r\n')).toString('latin1');
}

/** Headers from a plain record. */
export function headers(init: Record<string, string>): HTTPHeaders {
  return new HTTPHeaders(init);
}

/** Lets a few event-loop turns pass (close callbacks run on the loop a turn after a close). */
export async function turns(n = 3): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
}
