/**
 * Futures driven by real socket I/O (after Tornado's capitalization client and server in
 * concurrent_test.py): a client returns a Future that a TCP exchange settles, and the loop
 * watches it with addFuture or awaits it inside runSync.
 */
import { once } from 'node:events';
import type { AddressInfo, Server } from 'node:net';
import { connect, createServer } from 'node:net';
import type { IOLoop } from '@tronada/ioloop';
import { Future } from '@tronada/ioloop';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { virtualLoop } from './helpers.js';

class CapError extends Error {
  override readonly name = 'CapError';
}

/** Answers one line per connection: "ok\tLINE" upper-cased, or an error if already upper-case. */
function capServer(): Server {
  return createServer((socket) => {
    let buffered = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      buffered += chunk;
      const end = buffered.indexOf('\n');
      if (end < 0) return;
      const line = buffered.slice(0, end);
      socket.end(
        line === line.toUpperCase()
          ? 'error\talready capitalized\n'
          : `ok\t${line.toUpperCase()}\n`,
      );
    });
  });
}

/** Sends `text` to the server and returns a Future of the capitalized answer. */
function capitalize(loop: IOLoop, port: number, text: string): Future<string> {
  const result = new Future<string>();
  const socket = connect(port, '127.0.0.1');
  socket.setEncoding('utf8');
  let answer = '';
  socket.on('data', (chunk: string) => {
    answer += chunk;
  });
  socket.on('error', (error) => loop.addCallback(() => result.setException(error)));
  socket.on('end', () => {
    // Settle on the loop, as an IOStream-based client would.
    loop.addCallback(() => {
      const match = /^(.*)\t(.*)\n$/.exec(answer);
      if (match === null)
        result.setException(new Error(`did not match: ${JSON.stringify(answer)}`));
      else if (match[1] === 'ok') result.setResult(match[2]!);
      else result.setException(new CapError(match[2]));
    });
  });
  socket.write(`${text}\n`);
  return result;
}

let server: Server;
let port: number;

beforeEach(async () => {
  server = capServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  port = (server.address() as AddressInfo).port;
});

afterEach(async () => {
  server.close();
  await once(server, 'close');
});

describe('Futures settled by socket I/O', () => {
  test('addFuture calls back with the client’s result', async () => {
    const { loop } = virtualLoop();
    // Wrapped in an object: awaiting a Future whose result is itself a thenable would unwrap it.
    const watched = new Future<{ seen: Future<string> }>();
    const future = capitalize(loop, port, 'hello');
    loop.addFuture(future, (f) => watched.setResult({ seen: f }));
    const { seen } = await watched;
    expect(seen).toBe(future);
    expect(seen.result()).toBe('HELLO');
  });

  test('addFuture calls back with the client’s failure', async () => {
    const { loop } = virtualLoop();
    const watched = new Future<{ seen: Future<string> }>();
    loop.addFuture(capitalize(loop, port, 'HELLO'), (f) => watched.setResult({ seen: f }));
    const { seen } = await watched;
    expect(seen.exception()).toBeInstanceOf(CapError);
    expect(() => seen.result()).toThrow('already capitalized');
  });

  test('runSync can await the client’s Future', async () => {
    const { loop } = virtualLoop();
    const answer = await loop.runSync(async () => {
      const result = await capitalize(loop, port, 'hello');
      expect(result).toBe('HELLO');
      return result;
    });
    expect(answer).toBe('HELLO');
  });

  test('inside runSync the client’s failure is an exception the code can catch', async () => {
    const { loop } = virtualLoop();
    const caught = await loop.runSync(async () => {
      try {
        await capitalize(loop, port, 'HELLO');
        return 'no error';
      } catch (error) {
        return error instanceof CapError ? error.message : String(error);
      }
    });
    expect(caught).toBe('already capitalized');
  });
});
