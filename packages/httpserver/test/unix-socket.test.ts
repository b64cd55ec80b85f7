/**
 * HTTPServer on a Unix domain socket (Tornado's UnixSocketTest): a proxy such as nginx can
 * reach a backend by path instead of by port.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HTTPServerRequest } from '@tronada/httputil';
import { genLog } from '@tronada/ioloop';
import { bindUnixSocket } from '@tronada/iostream';
import { expectLog, useTestLoop } from '@tronada/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HTTPServer } from '../src/index.js';
import { respond } from './helpers.js';

useTestLoop({ beforeEach, afterEach }, { clock: false });

let dir = '';
let server: HTTPServer | null = null;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tronada-unix-'));
});

afterEach(async () => {
  server?.stop();
  await server?.closeAllConnections();
  server = null;
  rmSync(dir, { recursive: true, force: true });
});

async function serveOnSocket(): Promise<string> {
  const file = join(dir, 'test.sock');
  const seen: (string | undefined)[] = [];
  server = new HTTPServer(
    (request: HTTPServerRequest) => {
      seen.push(request.remoteIp);
      if (request.path === '/hello') respond(request, `Hello world from ${request.remoteIp}`);
      else respond(request, 'not found', 404);
    },
    { logRequest: null },
  );
  server.addSocket(await bindUnixSocket(file));
  return file;
}

/** Sends `data` over the socket at `file` and collects everything until the server closes. */
function exchange(file: string, data: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ path: file });
    let out = '';
    socket.on('connect', () => socket.write(data));
    socket.on('data', (chunk: Buffer) => {
      out += chunk.toString('latin1');
    });
    socket.on('end', () => resolve(out));
    socket.on('error', reject);
  });
}

describe('UnixSocketTest', () => {
  it('serves an HTTP/1.0 request over a Unix socket, the client IP being 0.0.0.0 (test_unix_socket)', async () => {
    const file = await serveOnSocket();
    const response = await exchange(file, 'GET /hello HTTP/1.0\r\n\r\n');
    expect(response.startsWith('HTTP/1.1 200 OK\r\n')).toBe(true);
    expect(response.endsWith('\r\n\r\nHello world from 0.0.0.0')).toBe(true);
  });

  it('answers garbage with 400 and logs it (test_unix_socket_bad_request)', async () => {
    const file = await serveOnSocket();
    const response = await expectLog(genLog, /Malformed HTTP message from/, () =>
      exchange(file, 'garbage\r\n\r\n'),
    );
    expect(response).toBe('HTTP/1.1 400 Bad Request\r\n\r\n');
  });
});
