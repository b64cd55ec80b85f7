/**
 * docs/deploy/nginx.conf in a real nginx: the file is copied with the two upstream ports, the
 * listen port and the static directory filled in, and nginx runs (as a child process, ended by
 * its PID) in front of two Tronada servers with `xheaders: true`. Without /usr/sbin/nginx the
 * tests skip, except in CI (TRONADA_CI=1), where they run and fail.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { chmod } from 'node:fs/promises';
import { request } from 'node:http';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { HTTPServer } from '@tronada/httpserver';
import { useTestLoop } from '@tronada/testing';
import { Application, RequestHandler } from '@tronada/web';
import { WebSocketHandler, websocketConnect } from '@tronada/websocket';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const NGINX = '/usr/sbin/nginx';
const CONF = new URL('../deploy/nginx.conf', import.meta.url);
const inCI = process.env.TRONADA_CI !== undefined && process.env.TRONADA_CI !== '';
const hasNginx = existsSync(NGINX);

useTestLoop({ beforeEach, afterEach }, { clock: false });

type Args = { readonly name: string };

/** Says which backend answered and what it learnt about the client from nginx's headers. */
class WhoHandler extends RequestHandler {
  name = '';
  override initialize(kwargs: Args): void {
    this.name = kwargs.name;
  }
  override get(): void {
    this.write({
      backend: this.name,
      client: this.request.remoteIp,
      protocol: this.request.protocol,
      host: this.request.host,
    });
  }
}

/** Echoes each message with the backend's name. */
class EchoSocket extends WebSocketHandler {
  name = '';
  override initialize(kwargs: Args): void {
    this.name = kwargs.name;
  }
  override onMessage(message: string | Buffer): void {
    void this.writeMessage(`${this.name}: ${String(message)}`);
  }
}

async function startBackend(name: string): Promise<HTTPServer> {
  const app = new Application([
    ['/', WhoHandler, { name }],
    ['/chatsocket', EchoSocket, { name }],
  ]);
  const server = new HTTPServer(app, { xheaders: true });
  await server.listen(0, '127.0.0.1');
  return server;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** Resolves once something accepts connections on the port, failing after `seconds`. */
async function untilListening(port: number, seconds: number): Promise<void> {
  const deadline = performance.now() + seconds * 1000;
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ port, host: '127.0.0.1' });
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    if (performance.now() > deadline)
      throw new Error(`nothing listened on ${port} in ${seconds} s`);
    await delay(20);
  }
}

/** The shipped config with this machine's ports and paths in place of the example ones. */
function fillConfig(
  text: string,
  listen: number,
  upstreams: readonly number[],
  staticDir: string,
): string {
  const servers = [...text.matchAll(/^\s*server 127\.0\.0\.1:\d+;$/gm)];
  expect(servers).toHaveLength(upstreams.length);
  let filled = text;
  servers.forEach((server, i) => {
    filled = filled.replace(server[0], server[0].replace(/:\d+;/, `:${upstreams[i]};`));
  });
  expect(filled).toContain('listen 80;');
  expect(filled).toContain('alias /srv/tronada/static/;');
  return filled
    .replace('listen 80;', `listen 127.0.0.1:${listen};`)
    .replace('alias /srv/tronada/static/;', `alias ${staticDir}/;`);
}

interface Front {
  readonly port: number;
  readonly staticDir: string;
}

/** Two backends and nginx in front of them, for one test; everything is ended afterwards. */
async function withNginx(use: (front: Front) => Promise<void>): Promise<void> {
  const backends = [await startBackend('one'), await startBackend('two')];
  const dir = mkdtempSync(join(tmpdir(), 'tronada-nginx-'));
  // nginx's workers drop root for nobody, who must be able to read the static files.
  await chmod(dir, 0o755);
  const staticDir = join(dir, 'static');
  mkdirSync(staticDir);
  mkdirSync(join(dir, 'logs'));
  writeFileSync(join(staticDir, 'site.css'), 'body { color: teal; }\n');
  const port = await freePort();
  const conf = join(dir, 'nginx.conf');
  const ports = backends.map((b) => b.port!);
  writeFileSync(conf, fillConfig(readFileSync(CONF, 'utf8'), port, ports, staticDir));
  const globals = `daemon off; pid ${dir}/nginx.pid; error_log stderr;`;
  const nginx = spawn(NGINX, ['-p', dir, '-c', conf, '-g', globals], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let errors = '';
  nginx.stderr.on('data', (chunk: Buffer) => {
    errors += chunk.toString();
  });
  const exited = new Promise<void>((resolve) => nginx.once('exit', () => resolve()));
  try {
    await Promise.race([
      untilListening(port, 10),
      exited.then(() => {
        throw new Error(`nginx exited: ${errors}`);
      }),
    ]);
    await use({ port, staticDir });
  } finally {
    if (nginx.exitCode === null && nginx.signalCode === null && nginx.pid !== undefined) {
      // SIGTERM: nginx's fast shutdown, the master ends its workers.
      process.kill(nginx.pid, 'SIGTERM');
      const late = delay(5_000).then(() => 'late' as const);
      if ((await Promise.race([exited, late])) === 'late') {
        process.kill(nginx.pid, 'SIGKILL');
        await exited;
      }
    }
    for (const backend of backends) {
      backend.stop();
      await backend.closeAllConnections();
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/** A GET from `localAddress` (another loopback address than nginx's own connections). */
function get(port: number, path: string, localAddress = '127.0.0.1'): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, localAddress, agent: false, timeout: 10_000 },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          body += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`GET ${path} timed out`)));
    req.on('error', reject);
    req.end();
  });
}

describe.skipIf(!hasNginx && !inCI)(
  hasNginx ? 'docs/deploy/nginx.conf' : 'docs/deploy/nginx.conf (skipped: nginx not installed)',
  () => {
    it('spreads requests over both processes and passes the client address on', async () => {
      await withNginx(async ({ port }) => {
        const seen = new Set<string>();
        for (let i = 0; i < 4; i++) {
          // From 127.0.0.3, while nginx reaches the backends from 127.0.0.1: only X-Real-IP
          // (read with xheaders) can tell the backend the client's address.
          const answer = await get(port, '/', '127.0.0.3');
          expect(answer.status).toBe(200);
          const who = JSON.parse(answer.body) as Record<string, string>;
          expect(who.client).toBe('127.0.0.3');
          expect(who.protocol).toBe('http');
          expect(who.host).toBe(`127.0.0.1:${port}`);
          seen.add(who.backend!);
        }
        expect([...seen].sort()).toEqual(['one', 'two']);
      });
    }, 30_000);

    it('serves static files itself, cached forever when versioned', async () => {
      await withNginx(async ({ port }) => {
        const css = await get(port, '/static/site.css?v=abc123');
        expect(css.status).toBe(200);
        expect(css.body).toBe('body { color: teal; }\n');
        expect(css.headers['content-type']).toBe('text/css');
        expect(css.headers['cache-control']).toBe('max-age=315360000');
        const plain = await get(port, '/static/site.css');
        expect(plain.headers['cache-control']).toBeUndefined();
        // The backends have no static path: this 404 is nginx's, not a process's.
        expect((await get(port, '/static/missing.css')).headers.server).toMatch(/^nginx/);
      });
    }, 30_000);

    it('upgrades a websocket through to a backend', async () => {
      await withNginx(async ({ port }) => {
        const ws = await websocketConnect(`ws://127.0.0.1:${port}/chatsocket`);
        await ws.writeMessage('hello');
        expect(await ws.readMessage()).toMatch(/^(one|two): hello$/);
        ws.close(1000);
        while ((await ws.readMessage()) !== null) {
          // drain until the close handshake ends
        }
      });
    }, 30_000);
  },
);

describe('docs/deploy.md', () => {
  it('shows docs/deploy/nginx.conf byte for byte, so the page shows the tested file', () => {
    const page = readFileSync(new URL('../deploy.md', import.meta.url), 'utf8');
    const block = /```nginx\n([\s\S]*?)```\n/.exec(page);
    expect(block?.[1]).toBe(readFileSync(CONF, 'utf8'));
  });
});
