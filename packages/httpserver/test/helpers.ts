/**
 * Test helpers: a server on 127.0.0.1 port 0, raw socket clients that read HTTP/1.1 responses
 * byte-exactly, and simple answering callbacks.
 */
import { connect, type Socket } from 'node:net';
import {
  HTTPHeaders,
  type HTTPServerConnectionDelegate,
  type HTTPServerRequest,
  ResponseStartLine,
} from '@tronada/httputil';
import { TimeoutError } from '@tronada/ioloop';
import { HTTPServer, type HTTPServerOptions, type RequestCallback } from '../src/index.js';

const servers: HTTPServer[] = [];
const clients: RawClient[] = [];

/** Stops every server and socket a test made; await it in afterEach. */
export async function cleanup(): Promise<void> {
  for (const c of clients.splice(0)) c.socket.destroy();
  for (const s of servers.splice(0)) {
    s.stop();
    await s.closeAllConnections();
  }
  for (let i = 0; i < 3; i++) await new Promise((r) => setImmediate(r));
}

/** Has {@link cleanup} stop `server` and close its connections. */
export function track(server: HTTPServer): HTTPServer {
  servers.push(server);
  return server;
}

/**
 * What the servers of these tests carry connections on: `'handle'` (the default), or
 * `'socket'` when the suite runs again for the socket transport (`TRONADA_TEST_TRANSPORT=socket`).
 */
export const serverTransport: 'socket' | 'handle' =
  process.env.TRONADA_TEST_TRANSPORT === 'socket' ? 'socket' : 'handle';

/** Starts an HTTPServer (access log off) on a free port of 127.0.0.1. */
export async function serve(
  callback: RequestCallback | HTTPServerConnectionDelegate,
  options: HTTPServerOptions = {},
  backlog?: number,
): Promise<{ server: HTTPServer; port: number }> {
  const server = new HTTPServer(callback, {
    logRequest: null,
    transport: serverTransport,
    ...options,
  });
  servers.push(server);
  await server.listen(0, '127.0.0.1', backlog === undefined ? {} : { backlog });
  return { server, port: server.port! };
}

/** Answers `body` (default: a description of the request) with Content-Length. */
export function respond(
  request: HTTPServerRequest,
  body: string | Buffer,
  status = 200,
  extra: Record<string, string> = {},
): void {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  const headers = new HTTPHeaders({ 'Content-Length': String(bytes.length), ...extra });
  const reason = status === 200 ? 'OK' : 'Status';
  // A HEAD answer carries the GET's headers but no body.
  const chunk = request.method === 'HEAD' ? undefined : bytes;
  request.connection!.writeHeaders(
    new ResponseStartLine('HTTP/1.1', status, reason),
    headers,
    chunk,
  );
  request.connection!.finish();
}

/** A callback answering `Hello, world`. */
export const hello: RequestCallback = (request) => respond(request, 'Hello, world');

/** A callback echoing `METHOD path body`. */
export const echo: RequestCallback = (request) =>
  respond(request, `${request.method} ${request.uri} ${request.body.toString('latin1')}`);

/** A response as read off the wire. */
export interface RawResponse {
  statusLine: string;
  code: number;
  headers: HTTPHeaders;
  body: Buffer;
  /** The exact bytes of the response. */
  raw: Buffer;
}

/** A plain TCP client that writes raw bytes and reads responses exactly. */
export class RawClient {
  readonly socket: Socket;
  #data = Buffer.alloc(0);
  #ended = false;
  #waiters: Array<() => void> = [];

  constructor(socket: Socket) {
    this.socket = socket;
    socket.on('data', (d: Buffer) => {
      this.#data = Buffer.concat([this.#data, d]);
      this.#wake();
    });
    const end = () => {
      this.#ended = true;
      this.#wake();
    };
    socket.on('end', end);
    socket.on('close', end);
    socket.on('error', end);
  }

  static async connect(port: number): Promise<RawClient> {
    const socket = connect(port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    const client = new RawClient(socket);
    clients.push(client);
    return client;
  }

  write(data: string | Buffer): void {
    this.socket.write(typeof data === 'string' ? Buffer.from(data, 'latin1') : data);
  }

  /** Bytes received and not yet consumed. */
  get buffered(): Buffer {
    return this.#data;
  }

  /** True once the server closed the connection. */
  get ended(): boolean {
    return this.#ended;
  }

  async #wait(ready: () => boolean, what: string, ms = 3000): Promise<void> {
    const until = Date.now() + ms;
    while (!ready()) {
      if (this.#ended && !ready()) throw new Error(`connection closed while waiting for ${what}`);
      if (Date.now() > until) throw new TimeoutError(`gave up waiting for ${what}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 50);
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  #wake(): void {
    for (const w of this.#waiters.splice(0)) w();
  }

  /** Reads until `delimiter` and returns everything up to and including it. */
  async readUntil(delimiter: string): Promise<Buffer> {
    const d = Buffer.from(delimiter, 'latin1');
    await this.#wait(() => this.#data.indexOf(d) !== -1, JSON.stringify(delimiter));
    const end = this.#data.indexOf(d) + d.length;
    const out = this.#data.subarray(0, end);
    this.#data = this.#data.subarray(end);
    return out;
  }

  /** Reads `n` bytes. */
  async readBytes(n: number): Promise<Buffer> {
    await this.#wait(() => this.#data.length >= n, `${n} bytes`);
    const out = this.#data.subarray(0, n);
    this.#data = this.#data.subarray(n);
    return out;
  }

  /** Resolves with everything left once the server closes the connection. */
  async readUntilClose(ms = 3000): Promise<Buffer> {
    await this.#wait(() => this.#ended, 'the connection to close', ms);
    const out = this.#data;
    this.#data = Buffer.alloc(0);
    return out;
  }

  /** Reads one response (Content-Length, chunked, or none for HEAD/1xx/204/304). */
  async readResponse(options: { head?: boolean; untilClose?: boolean } = {}): Promise<RawResponse> {
    const head = await this.readUntil('\r\n\r\n');
    const text = head.toString('latin1');
    const [statusLine, ...lines] = text.slice(0, -4).split('\r\n');
    const headers = new HTTPHeaders();
    for (const line of lines) headers.parseLine(line);
    const code = Number(statusLine!.split(' ')[1]);
    let body: Buffer = Buffer.alloc(0);
    let raw: Buffer = head;
    if (options.head || code === 204 || code === 304 || (code >= 100 && code < 200)) {
      // no body
    } else if (headers.get('Transfer-Encoding') === 'chunked') {
      const pieces: Buffer[] = [];
      for (;;) {
        const sizeLine = await this.readUntil('\r\n');
        raw = Buffer.concat([raw, sizeLine]);
        const size = Number.parseInt(sizeLine.toString('latin1'), 16);
        const data = await this.readBytes(size + 2);
        raw = Buffer.concat([raw, data]);
        if (size === 0) break;
        pieces.push(data.subarray(0, size));
      }
      body = Buffer.concat(pieces);
    } else if (headers.has('Content-Length')) {
      body = await this.readBytes(Number(headers.get('Content-Length')));
      raw = Buffer.concat([raw, body]);
    } else if (options.untilClose) {
      body = await this.readUntilClose();
      raw = Buffer.concat([raw, body]);
    }
    return { statusLine: statusLine!, code, headers, body, raw };
  }
}

/** Polls `condition` (real time) until it holds. */
export async function waitFor(condition: () => boolean, what: string, ms = 3000): Promise<void> {
  const until = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > until) throw new TimeoutError(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
