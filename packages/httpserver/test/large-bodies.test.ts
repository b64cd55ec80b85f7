/**
 * Large response bodies over real sockets, read by Node's own HTTP client: bodies of 64 KiB and
 * more leave the server uncopied (after the head, or between a chunk's size line and CRLF), and
 * the connection stays usable for the next request.
 */
import { createHash } from 'node:crypto';
import * as http from 'node:http';
import { HTTPHeaders, type HTTPServerRequest, ResponseStartLine } from '@tronada/httputil';
import { useTestLoop } from '@tronada/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, respond, serve } from './helpers.js';

useTestLoop({ beforeEach, afterEach }, { clock: false });
afterEach(cleanup);

/** Bytes whose value depends on their position, so a misplaced run shows. */
function patterned(size: number): Buffer {
  const bytes = Buffer.alloc(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 31 + 7) & 0xff;
  return bytes;
}

const sha1 = (bytes: Buffer): string => createHash('sha1').update(bytes).digest('hex');

const big = patterned(1024 * 1024);
const pieces = [patterned(70_000), patterned(10), patterned(65_536)];

function app(request: HTTPServerRequest): void {
  if (request.path === '/chunked') {
    const conn = request.connection!;
    conn.writeHeaders(new ResponseStartLine('HTTP/1.1', 200, 'OK'), new HTTPHeaders(), pieces[0]);
    conn.write(pieces[1]!);
    conn.write(pieces[2]!);
    conn.finish();
    return;
  }
  respond(request, request.path === '/big' ? big : 'small');
}

/** GETs `path` with `agent`; resolves with the status, headers and whole body. */
function get(port: number, path: string, agent: http.Agent) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }>(
    (resolve, reject) => {
      http
        .get({ host: '127.0.0.1', port, path, agent }, (res) => {
          const parts: Buffer[] = [];
          res.on('data', (part: Buffer) => parts.push(part));
          res.on('end', () =>
            resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(parts) }),
          );
          res.on('error', reject);
        })
        .on('error', reject);
    },
  );
}

describe('large response bodies', () => {
  it('sends a 1 MiB body whole, then answers the next request on the same connection', async () => {
    const { server, port } = await serve(app);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const first = await get(port, '/big', agent);
      expect(first.status).toBe(200);
      expect(first.headers['content-length']).toBe(String(big.length));
      expect(sha1(first.body)).toBe(sha1(big));
      const second = await get(port, '/small', agent);
      expect(second.body.toString()).toBe('small');
      expect(server.connectionCount).toBe(1);
    } finally {
      agent.destroy();
    }
  });

  it('frames large and small chunked pieces so a client reads them whole', async () => {
    const { port } = await serve(app);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const response = await get(port, '/chunked', agent);
      expect(response.headers['transfer-encoding']).toBe('chunked');
      expect(sha1(response.body)).toBe(sha1(Buffer.concat(pieces)));
      expect((await get(port, '/small', agent)).body.toString()).toBe('small');
    } finally {
      agent.destroy();
    }
  });
});
