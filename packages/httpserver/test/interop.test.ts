/**
 * Real clients against a real server: curl, Node's fetch, Python Tornado's AsyncHTTPClient,
 * and 1,000 concurrent keep-alive connections. A missing peer skips its tests (saying why)
 * except in CI (TRONADA_CI=1), where the tests run and fail.
 */
import { execFile, spawnSync } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { HTTPHeaders, type HTTPServerRequest, ResponseStartLine } from '@tronada/httputil';
import { useTestLoop } from '@tronada/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, respond, serve, waitFor } from './helpers.js';

useTestLoop({ beforeEach, afterEach }, { clock: false });
afterEach(cleanup);

const inCI = process.env.TRONADA_CI !== undefined && process.env.TRONADA_CI !== '';
const hasCurl = spawnSync('curl', ['--version']).status === 0;
const python = ['/usr/bin/python3', 'python3'].find(
  (p) => spawnSync(p, ['-c', 'import tornado']).status === 0,
);

/** Runs a program without blocking the loop that serves it. */
function run(
  file: string,
  args: string[],
  input?: string,
): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = execFile(file, args, { timeout: 10_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${file} failed: ${error.message}\n${stderr}`));
      else resolve({ stdout, stderr });
    });
    if (input !== undefined) child.stdin!.end(input);
  });
}

/** Echoes method, uri, body and how many connections it has seen; `/chunked` streams. */
function app() {
  const connections = new Set<object>();
  const handler = (request: HTTPServerRequest): void => {
    connections.add(request.serverConnection!);
    if (request.path === '/chunked') {
      const conn = request.connection!;
      conn.writeHeaders(
        new ResponseStartLine('HTTP/1.1', 200, 'OK'),
        new HTTPHeaders({ 'X-Echo': 'chunked' }),
      );
      conn.write(Buffer.from('part1,'));
      conn.write(Buffer.from('part2'));
      conn.finish();
      return;
    }
    respond(request, `${request.method} ${request.uri} ${request.body.toString()}`, 200, {
      'X-Echo': request.headers.get('X-Test') ?? '-',
      'X-Version': request.version,
    });
  };
  return { handler, connections };
}

const curlTitle = hasCurl ? 'curl' : 'curl (skipped: curl is not installed)';
describe.skipIf(!hasCurl && !inCI)(curlTitle, () => {
  it('fetches two URLs over one keep-alive connection', async () => {
    const { handler, connections } = app();
    const { port } = await serve(handler);
    const base = `http://127.0.0.1:${port}`;
    const { stdout } = await run('curl', ['-sS', `${base}/a`, '-o', '-', `${base}/b`]);
    expect(stdout).toBe('GET /a GET /b ');
    expect(connections.size).toBe(1);
  });

  it('uploads a chunked body', async () => {
    const { handler } = app();
    const { port } = await serve(handler);
    const { stdout } = await run(
      'curl',
      [
        '-sS',
        '-H',
        'Transfer-Encoding: chunked',
        '--data-binary',
        '@-',
        `http://127.0.0.1:${port}/up`,
      ],
      'chunked body',
    );
    expect(stdout).toBe('POST /up chunked body');
  });

  it('waits for 100 Continue before sending the body', async () => {
    const { handler } = app();
    const { port } = await serve(handler);
    const { stdout, stderr } = await run('curl', [
      '-sS',
      '-v',
      '-H',
      'Expect: 100-continue',
      '--data-binary',
      'x'.repeat(2000),
      `http://127.0.0.1:${port}/c`,
    ]);
    expect(stderr).toMatch(/< HTTP\/1\.1 100 \(Continue\)/);
    expect(stdout).toBe(`POST /c ${'x'.repeat(2000)}`);
  });

  it('speaks HTTP/1.0 with --http1.0', async () => {
    const { handler } = app();
    const { port } = await serve(handler);
    const { stdout } = await run('curl', [
      '-sS',
      '--http1.0',
      '-D',
      '-',
      `http://127.0.0.1:${port}/chunked`,
    ]);
    expect(stdout).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(stdout).not.toMatch(/Transfer-Encoding/i);
    expect(stdout.endsWith('\r\n\r\npart1,part2')).toBe(true);
  });
});

describe('Node fetch (undici)', () => {
  it('reads status, headers and bodies, sized and chunked, over keep-alive', async () => {
    const { handler, connections } = app();
    const { port } = await serve(handler);
    const a = await fetch(`http://127.0.0.1:${port}/f?q=1`, {
      method: 'POST',
      body: 'data',
      headers: { 'X-Test': 'yes' },
    });
    expect(a.status).toBe(200);
    expect(a.headers.get('x-echo')).toBe('yes');
    expect(await a.text()).toBe('POST /f?q=1 data');
    const b = await fetch(`http://127.0.0.1:${port}/chunked`);
    expect(b.headers.get('transfer-encoding')).toBe('chunked');
    expect(await b.text()).toBe('part1,part2');
    expect(connections.size).toBeGreaterThan(0);
  });
});

const pyTitle = python
  ? 'Python Tornado AsyncHTTPClient'
  : 'Python Tornado AsyncHTTPClient (skipped: no python3 can import tornado)';
describe.skipIf(python === undefined && !inCI)(pyTitle, () => {
  it('fetches sized and chunked responses and posts a body', async () => {
    const { handler } = app();
    const { port } = await serve(handler);
    const script = `
import asyncio, sys
from tornado.httpclient import AsyncHTTPClient
async def main(base):
    client = AsyncHTTPClient()
    r = await client.fetch(base + "/py?x=1", method="POST", body="hello", headers={"X-Test": "t"})
    print(r.code, r.headers["X-Echo"], r.body.decode())
    r = await client.fetch(base + "/chunked")
    print(r.code, r.headers["X-Echo"], r.body.decode())
    r = await client.fetch(base + "/h", method="HEAD")
    print(r.code, r.headers["Content-Length"], repr(r.body))
asyncio.run(main(sys.argv[1]))
`;
    const { stdout } = await run(python ?? '/usr/bin/python3', [
      '-c',
      script,
      `http://127.0.0.1:${port}`,
    ]);
    expect(stdout.split('\n')).toEqual([
      '200 t POST /py?x=1 hello',
      '200 chunked part1,part2',
      `200 ${'HEAD /h '.length} b''`,
      '',
    ]);
  });
});

describe('many connections', () => {
  it('serves 1,000 concurrent keep-alive connections at once, all answered twice', async () => {
    const { handler, connections } = app();
    // A backlog for all of them: the kernel accepts them all before the loop gets to them.
    const { server, port } = await serve((request) => handler(request), {}, 1024);
    const n = 1000;
    const sockets: Socket[] = [];
    const received: string[] = new Array(n).fill('');
    await Promise.all(
      Array.from({ length: n }, (_, i) => {
        const s = connect(port, '127.0.0.1');
        sockets.push(s);
        s.setEncoding('latin1');
        s.on('data', (d: string) => {
          received[i] += d;
        });
        return new Promise<void>((resolve, reject) => {
          s.once('connect', () => resolve());
          s.once('error', reject);
        });
      }),
    );
    try {
      for (const s of sockets) s.write('GET /one HTTP/1.1\r\nHost: a\r\n\r\n');
      const count = (text: string) => text.split('GET /one ').length - 1;
      await waitFor(() => received.every((r) => count(r) === 1), 'first answers', 10_000);
      // All connections are still open and answer again.
      expect(server.connectionCount).toBe(n);
      for (const s of sockets) s.write('GET /one HTTP/1.1\r\nHost: a\r\n\r\n');
      await waitFor(() => received.every((r) => count(r) === 2), 'second answers', 10_000);
      expect(connections.size).toBe(n);
    } finally {
      for (const s of sockets) s.destroy();
    }
  }, 30_000);
});
