/**
 * A minimal HTTP/1.1 client over one raw keep-alive socket, for tests that hold thousands of
 * long polls open (node:http's agent would pool and queue them).
 */
import net from 'node:net';

/** One response read off the socket. */
export interface RawResponse {
  readonly status: number;
  readonly headers: ReadonlyMap<string, string>;
  readonly body: string;
}

/** A keep-alive connection that sends requests and reads their responses in order. */
export class RawConnection {
  readonly #socket: net.Socket;
  #buffer = Buffer.alloc(0);
  #waiting: ((response: RawResponse) => void) | null = null;
  #ready: RawResponse[] = [];
  #closed = false;

  private constructor(socket: net.Socket) {
    this.#socket = socket;
    socket.on('data', (chunk: Buffer) => {
      this.#buffer = Buffer.concat([this.#buffer, chunk]);
      this.#parse();
    });
    socket.on('close', () => {
      this.#closed = true;
    });
    // A reset after the test is done with the socket is not a failure of the test.
    socket.on('error', () => {});
  }

  /** Connects to 127.0.0.1:`port`. */
  static connect(port: number): Promise<RawConnection> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => resolve(new RawConnection(socket)));
      socket.once('error', reject);
    });
  }

  /** True once the server (or {@link destroy}) closed the socket. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Writes a whole request. */
  send(request: string): void {
    this.#socket.write(request);
  }

  /** The next response on this connection (the one already read, or the next to arrive). */
  nextResponse(): Promise<RawResponse> {
    const ready = this.#ready.shift();
    if (ready !== undefined) return Promise.resolve(ready);
    return new Promise((resolve) => {
      this.#waiting = resolve;
    });
  }

  /** True when a complete response has arrived and was not taken yet. */
  hasResponse(): boolean {
    return this.#ready.length > 0;
  }

  /** Drops the connection at once, as a browser tab that closes. */
  destroy(): void {
    this.#socket.destroy();
  }

  #parse(): void {
    for (;;) {
      const headEnd = this.#buffer.indexOf('\r\n\r\n');
      if (headEnd < 0) return;
      const [statusLine = '', ...lines] = this.#buffer
        .subarray(0, headEnd)
        .toString()
        .split('\r\n');
      const headers = new Map<string, string>();
      for (const line of lines) {
        const colon = line.indexOf(':');
        headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
      }
      const length = Number(headers.get('content-length') ?? '0');
      const bodyStart = headEnd + 4;
      if (this.#buffer.length < bodyStart + length) return;
      const body = this.#buffer.subarray(bodyStart, bodyStart + length).toString();
      this.#buffer = this.#buffer.subarray(bodyStart + length);
      const response = { status: Number(statusLine.split(' ')[1]), headers, body };
      const waiting = this.#waiting;
      this.#waiting = null;
      if (waiting !== null) waiting(response);
      else this.#ready.push(response);
    }
  }
}

/** The raw text of a long-poll request carrying the XSRF token as cookie and header. */
export function updatesRequest(port: number, xsrf: string, cursor: string | null): string {
  const body = cursor === null ? '' : `cursor=${encodeURIComponent(cursor)}`;
  return [
    'POST /a/message/updates HTTP/1.1',
    `Host: 127.0.0.1:${port}`,
    `Cookie: _xsrf=${xsrf}`,
    `X-XSRFToken: ${xsrf}`,
    'Content-Type: application/x-www-form-urlencoded',
    `Content-Length: ${Buffer.byteLength(body)}`,
    '',
    body,
  ].join('\r\n');
}
