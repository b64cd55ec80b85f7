/**
 * Test helpers: servers on 127.0.0.1 port 0 (our HTTPServer, node:http, a raw TCP server that
 * writes given bytes), clients that the cleanup closes, and small waits.
 */
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import { HTTPServer, type HTTPServerOptions, type RequestCallback } from '@tronada/httpserver';
import { HTTPHeaders, type HTTPServerRequest, ResponseStartLine } from '@tronada/httputil';
import { AsyncHTTPClient, type AsyncHTTPClientOptions } from '../src/index.js';

const ours: HTTPServer[] = [];
const nodes: Array<Server | NetServer> = [];
const sockets = new Set<Socket>();
const clients: AsyncHTTPClient[] = [];

/** Closes every client and server a test made; await it in afterEach. */
export async function cleanup(): Promise<void> {
  for (const c of clients.splice(0)) c.close();
  for (const s of ours.splice(0)) {
    s.stop();
    await s.closeAllConnections();
  }
  for (const s of sockets) s.destroy();
  sockets.clear();
  for (const s of nodes.splice(0)) {
    if ('closeAllConnections' in s) s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
  await turns();
}

/** Lets a few event-loop turns pass (close callbacks run a turn after a close). */
export async function turns(n = 3): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
}

/** A client of its own (closed by {@link cleanup}). */
export function newClient(options: AsyncHTTPClientOptions = {}): AsyncHTTPClient {
  const client = new AsyncHTTPClient({ forceInstance: true, ...options });
  clients.push(client);
  return client;
}

/** Starts our HTTPServer (access log off); resolves with its base URL and the server. */
export async function serve(
  callback: RequestCallback,
  options: HTTPServerOptions = {},
): Promise<{ server: HTTPServer; url: string; port: number }> {
  const server = new HTTPServer(callback, { logRequest: null, ...options });
  ours.push(server);
  await server.listen(0, '127.0.0.1');
  const port = server.port!;
  const scheme = options.sslOptions === undefined ? 'http' : 'https';
  return { server, port, url: `${scheme}://127.0.0.1:${port}` };
}

/** Answers `body` with Content-Length (no body for HEAD) from one of our server's callbacks. */
export function respond(
  request: HTTPServerRequest,
  body: string | Buffer,
  status = 200,
  extra: Record<string, string | string[]> = {},
): void {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  const headers = new HTTPHeaders({ 'Content-Length': String(bytes.length), ...extra });
  request.connection!.writeHeaders(
    new ResponseStartLine('HTTP/1.1', status, status === 200 ? 'OK' : 'Status'),
    headers,
    request.method === 'HEAD' ? undefined : bytes,
  );
  request.connection!.finish();
}

/** Starts a node:http server; resolves with its base URL and the number of connections made. */
export async function nodeServe(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<{ url: string; port: number; connections: () => number; server: Server }> {
  const server = createHttpServer(handler);
  let count = 0;
  server.on('connection', (s: Socket) => {
    count += 1;
    sockets.add(s);
  });
  nodes.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return { url: `http://127.0.0.1:${port}`, port, connections: () => count, server };
}

/**
 * Starts a raw TCP server: `answer(requestHead, socket, connectionIndex)` is called for each
 * request head that arrives (write the response bytes there; request bodies are not read).
 */
export async function rawServe(
  answer: (head: string, socket: Socket, index: number) => void,
): Promise<{ url: string; port: number; connections: () => number }> {
  let count = 0;
  const server = createNetServer((socket) => {
    const index = count++;
    sockets.add(socket);
    let head = '';
    let answered = false;
    socket.on('error', () => {});
    socket.on('data', (data) => {
      if (answered) return;
      head += data.toString('latin1');
      if (head.includes('\r\n\r\n')) {
        answered = true;
        answer(head, socket, index);
        // Ready for the next request on a kept-alive connection.
        head = '';
        answered = false;
      }
    });
  });
  nodes.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return { url: `http://127.0.0.1:${port}`, port, connections: () => count };
}

/** The body of a node:http request. */
export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
