/**
 * Interop with Python peers in both directions, with and without permessage-deflate: Tornado's
 * own websocket client and server (python3-tornado), and the `websockets` package
 * (python3-websockets). Each suite is skipped, saying why, when its Python module is missing.
 */
import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Future } from '@tronada/ioloop';
import { useTestLoop } from '@tronada/testing';
import { Application } from '@tronada/web';
import { useAsyncHTTPTestCase } from '@tronada/web/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type PerMessageDeflateOptions, WebSocketHandler, websocketConnect } from '../src/index.js';

useTestLoop({ beforeEach, afterEach }, { clock: false });

const PYTHON = '/usr/bin/python3';

function hasModule(name: string): boolean {
  return spawnSync(PYTHON, ['-c', `import ${name}`]).status === 0;
}

const peers = [
  {
    name: 'Tornado',
    script: fileURLToPath(new URL('./fixtures/tornado_peer.py', import.meta.url)),
    available: hasModule('tornado.websocket'),
    missing: 'python3-tornado not installed',
  },
  {
    name: 'Python websockets',
    script: fileURLToPath(new URL('./fixtures/websockets_peer.py', import.meta.url)),
    available: hasModule('websockets'),
    missing: 'python3-websockets not installed',
  },
];

/** What the Python scripts exchange (the same list as theirs). */
const MESSAGES: Array<string | Buffer> = [
  '',
  'hello',
  'h\u00e9llo \u{1f600}',
  'x'.repeat(200),
  Buffer.from([0, 1, 2, 254, 255]),
  Buffer.alloc(70_000, 7),
  'repeat '.repeat(20_000),
];

/** Runs a Python client to completion and parses the JSON line it prints. */
function runClient(
  script: string,
  url: string,
  deflate: boolean,
): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const args = [script, 'client', url, ...(deflate ? ['deflate'] : [])];
    const child = spawn(PYTHON, args);
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (status) => {
      if (status !== 0) reject(new Error(`python client exited with ${status}: ${err}`));
      else resolve(JSON.parse(out.trim()) as Record<string, unknown>);
    });
  });
}

/** Starts a Python echo server and resolves with its port once it prints it. */
function startServer(
  script: string,
  deflate: boolean,
): Promise<{ port: number; child: ChildProcessWithoutNullStreams }> {
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, [script, 'server', ...(deflate ? ['deflate'] : [])]);
    child.on('error', reject);
    let err = '';
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    child.on('exit', (status) => reject(new Error(`python server exited with ${status}: ${err}`)));
    createInterface({ input: child.stdout }).once('line', (line) =>
      resolve({ port: Number(line), child }),
    );
  });
}

class EchoHandler extends WebSocketHandler {
  compression: PerMessageDeflateOptions | null = null;
  closed: Future<[number | null, string | null]> | undefined;
  override initialize(kwargs: {
    compression: PerMessageDeflateOptions | null;
    closed: () => Future<[number | null, string | null]>;
  }): void {
    this.compression = kwargs.compression;
    this.closed = kwargs.closed();
  }
  override getCompressionOptions(): PerMessageDeflateOptions | null {
    return this.compression;
  }
  override onMessage(message: string | Buffer) {
    return this.writeMessage(message);
  }
  override onClose(): void {
    this.closed?.setResult([this.closeCode, this.closeReason]);
  }
}

for (const peer of peers) {
  const title = peer.available ? peer.name : `${peer.name} (skipped: ${peer.missing})`;
  describe.skipIf(!peer.available)(title, () => {
    describe.each([
      { mode: 'without compression', deflate: false },
      { mode: 'with permessage-deflate', deflate: true },
    ])('$mode', ({ deflate }) => {
      describe('its client against WebSocketHandler', () => {
        let closed = new Future<[number | null, string | null]>();
        const server = useAsyncHTTPTestCase({ beforeEach, afterEach }, () => {
          closed = new Future();
          return new Application([
            ['/echo', EchoHandler, { compression: deflate ? {} : null, closed: () => closed }],
          ]);
        });

        it('gets every message back intact and closes with its code', async () => {
          const url = `ws://127.0.0.1:${server.current.getHttpPort()}/echo`;
          const result = await runClient(peer.script, url, deflate);
          expect(result).toMatchObject({ echoed: MESSAGES.length, deflate, end: null });
          expect(await closed).toEqual([4000, 'py done']);
        });
      });

      describe('websocketConnect against its server', () => {
        let child: ChildProcessWithoutNullStreams | null = null;
        afterEach(() => {
          child?.kill();
          child = null;
        });

        it('gets every message back intact, then the server close code', async () => {
          const started = await startServer(peer.script, deflate);
          child = started.child;
          const ws = await websocketConnect(`ws://127.0.0.1:${started.port}/`, {
            compressionOptions: deflate ? {} : null,
          });
          expect(ws.protocol.permessageDeflate !== undefined).toBe(deflate);
          for (const message of MESSAGES) {
            void ws.writeMessage(message);
            const echo = await ws.readMessage();
            expect(typeof echo).toBe(typeof message);
            expect(Buffer.from(echo!).equals(Buffer.from(message))).toBe(true);
          }
          void ws.writeMessage('close please');
          expect(await ws.readMessage()).toBeNull();
          expect(ws.closeCode).toBe(4002);
          expect(ws.closeReason).toBe('done');
        });
      });
    });
  });
}
