/**
 * Serving a request with a plain Node `(req, res)` handler (an Express or Connect app, say).
 *
 * The handler gets a real `http.IncomingMessage` and `http.ServerResponse` over an in-memory
 * socket. What Node writes to that socket (status line, headers, body in its own framing) is
 * read back with our HTTP/1 parser and replayed on the Tronada connection, which does its own
 * framing and keep-alive. Hop-by-hop headers Node chose (Connection, Keep-Alive,
 * Transfer-Encoding) are dropped for that reason.
 */
import http from 'node:http';
import type { Socket } from 'node:net';
import { Duplex } from 'node:stream';
import type { HTTPConnection, HTTPServerRequest } from '@tronada/httputil';
import { HTTP1Parser, type HTTPHeaders, type ResponseStartLine } from '@tronada/httputil';
import { Future } from '@tronada/ioloop';

/** A Node request handler: `(req, res)`, or Express's `(req, res, next)`. */
export type NodeRequestHandler = (
  req: http.IncomingMessage,
  res: http.ServerResponse,
  next?: (error?: unknown) => void,
) => unknown;

const HOP_BY_HOP = ['Connection', 'Keep-Alive', 'Transfer-Encoding'];

function nodeHeaders(request: HTTPServerRequest): {
  headers: http.IncomingHttpHeaders;
  raw: string[];
} {
  const headers: Record<string, string | string[]> = {};
  const raw: string[] = [];
  for (const [name, value] of request.headers) {
    raw.push(name, value);
    const key = name.toLowerCase();
    const seen = headers[key];
    if (seen === undefined) headers[key] = key === 'set-cookie' ? [value] : value;
    else if (Array.isArray(seen)) seen.push(value);
    else headers[key] = key === 'cookie' ? `${seen}; ${value}` : `${seen}, ${value}`;
  }
  return { headers, raw };
}

/**
 * Runs `handler` on `request` and replays its response on the request's connection. Resolves
 * when the response is finished (or the handler's `next` is called with nothing sent, which
 * answers 404, or with an error, which answers 500).
 */
export function serveWithNodeHandler(
  handler: NodeRequestHandler,
  request: HTTPServerRequest,
): Future<void> {
  const connection = request.connection as HTTPConnection;
  const done = new Future<void>();
  let headersSent = false;
  const parser = new HTTP1Parser(
    {
      onHeaders(startLine: ResponseStartLine, headers: HTTPHeaders) {
        for (const name of HOP_BY_HOP) headers.delete(name);
        headersSent = true;
        void connection.writeHeaders(startLine, headers);
      },
      onData(chunk: Buffer) {
        void connection.write(chunk);
      },
      onMessageComplete() {
        connection.finish().addDoneCallback(() => {
          if (!done.done()) done.setResult(undefined);
        });
      },
    },
    {
      mode: 'response',
      maxBodySize: Number.MAX_SAFE_INTEGER,
      expectBody: () => request.method !== 'HEAD',
    },
  );
  const socket = new Duplex({
    read() {},
    write(chunk: Buffer, _encoding, callback) {
      try {
        parser.push(chunk);
        callback();
      } catch (error) {
        callback(error as Error);
      }
    },
  });
  Object.defineProperties(socket, {
    remoteAddress: { value: request.remoteIp },
    encrypted: { value: request.protocol === 'https' },
  });
  const req = new http.IncomingMessage(socket as unknown as Socket);
  const { headers, raw } = nodeHeaders(request);
  req.method = request.method;
  req.url = request.uri;
  req.httpVersion = '1.1';
  req.httpVersionMajor = 1;
  req.httpVersionMinor = 1;
  req.headers = headers;
  req.rawHeaders = raw;
  if (request.body.length > 0) req.push(request.body);
  req.push(null);
  req.complete = true;
  const res = new http.ServerResponse(req);
  res.shouldKeepAlive = true;
  res.assignSocket(socket as unknown as Socket);
  const fail = (status: number): void => {
    if (headersSent || res.headersSent) return;
    res.statusCode = status;
    res.setHeader('Content-Type', 'text/plain; charset=utf-8');
    res.end(status === 404 ? 'Not Found' : 'Internal Server Error');
  };
  try {
    handler(req, res, (error?: unknown) => fail(error === undefined ? 404 : 500));
  } catch (error) {
    fail(500);
    if (!done.done()) done.setException(error);
  }
  return done;
}
