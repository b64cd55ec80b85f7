/**
 * bindUnixSocket: a TCPServer serving a Unix domain socket (Tornado's netutil
 * `bind_unix_socket`, exercised through TCPServer as Tornado's UnixSocketTest does).
 */
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useTestLoop } from '@tronada/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConnectionAddress, IOStream } from '../src/index.js';
import { bindUnixSocket, TCPServer, UnixSocketPathError } from '../src/index.js';

useTestLoop({ beforeEach, afterEach }, { clock: false });

let dir = '';
const servers: TCPServer[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tronada-unix-'));
});

afterEach(async () => {
  for (const s of servers.splice(0)) s.stop();
  for (let i = 0; i < 3; i++) await new Promise((r) => setImmediate(r));
  rmSync(dir, { recursive: true, force: true });
});

/** Echoes one line, prefixed with how the server saw the peer. */
class LineEcho extends TCPServer {
  override async handleStream(stream: IOStream, address: ConnectionAddress): Promise<void> {
    const line = await stream.readUntil(Buffer.from('\n'));
    await stream.write(Buffer.concat([Buffer.from(`${address.family}:${address.address}:`), line]));
    stream.close();
  }
}

function ask(file: string, line: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ path: file });
    let out = '';
    socket.on('connect', () => socket.write(line));
    socket.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    socket.on('end', () => resolve(out));
    socket.on('error', reject);
  });
}

describe('bindUnixSocket', () => {
  it('serves streams over a Unix socket, the peer having no address', async () => {
    const file = join(dir, 'echo.sock');
    const server = new LineEcho();
    servers.push(server);
    server.addSocket(await bindUnixSocket(file));
    expect(await ask(file, 'hello\n')).toBe('unix::hello\n');
  });

  it('makes the socket readable and writable by its owner only by default, or as asked', async () => {
    const first = join(dir, 'a.sock');
    const second = join(dir, 'b.sock');
    const a = await bindUnixSocket(first);
    const b = await bindUnixSocket(second, { mode: 0o660 });
    try {
      expect(statSync(first).mode & 0o777).toBe(0o600);
      expect(statSync(second).mode & 0o777).toBe(0o660);
    } finally {
      a.close();
      b.close();
    }
  });

  it('replaces a socket file left behind by an earlier server', async () => {
    const file = join(dir, 'stale.sock');
    const old = await bindUnixSocket(file);
    // Closing a Node server unlinks its socket; keep the file, as a crashed process would.
    old.unref();
    const server = new LineEcho();
    servers.push(server);
    server.addSocket(await bindUnixSocket(file));
    expect(await ask(file, 'again\n')).toBe('unix::again\n');
    old.close();
  });

  it('refuses to replace a file that is not a socket', async () => {
    const file = join(dir, 'plain.txt');
    writeFileSync(file, 'keep me');
    await expect(bindUnixSocket(file)).rejects.toBeInstanceOf(UnixSocketPathError);
    expect(statSync(file).isFile()).toBe(true);
  });
});
