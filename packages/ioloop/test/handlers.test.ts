import { once } from 'node:events';
import type { AddressInfo, Socket } from 'node:net';
import { connect, createServer } from 'node:net';
import { appLog, Future, IOLoop } from '@tronada/ioloop';
import { describe, expect, onTestFinished, test } from 'vitest';
import { captureLog, turns, virtualLoop } from './helpers.js';

/** A connected TCP pair over 127.0.0.1 on an ephemeral port; both ends are destroyed after the test. */
async function socketPair(): Promise<{ client: Socket; server: Socket }> {
  const listener = createServer();
  listener.listen(0, '127.0.0.1');
  await once(listener, 'listening');
  const { port } = listener.address() as AddressInfo;
  const accepted = once(listener, 'connection') as Promise<[Socket]>;
  const client = connect(port, '127.0.0.1');
  const [[server]] = await Promise.all([accepted, once(client, 'connect')]);
  listener.close();
  onTestFinished(() => {
    client.destroy();
    server.destroy();
  });
  return { client, server };
}

/** Waits until `socket` has data buffered (without consuming it). */
async function whenBuffered(socket: Socket): Promise<void> {
  while (socket.readableLength === 0) await once(socket, 'readable');
}

describe('READ', () => {
  test('the handler is called with READ and the same handle when data arrives', async () => {
    const { loop } = virtualLoop();
    const { client, server } = await socketPair();
    const got = new Future<{ handle: Socket; events: number; data: string }>();
    loop.addHandler(
      server,
      (handle, events) => {
        const chunk = handle.read() as Buffer | null;
        if (chunk !== null && !got.done())
          got.setResult({ handle, events, data: chunk.toString() });
      },
      IOLoop.READ,
    );
    client.write('abc');
    const { handle, events, data } = await got;
    expect(handle).toBe(server);
    expect(events).toBe(IOLoop.READ);
    expect(data).toBe('abc');
    loop.removeHandler(server);
  });

  test('a writable socket watched only for READ never reports WRITE', async () => {
    const { loop, clock } = virtualLoop();
    const { client, server } = await socketPair();
    const events: number[] = [];
    const got = new Future<void>();
    loop.addHandler(
      client,
      (handle, ready) => {
        events.push(ready);
        handle.read();
        got.setResult(undefined);
      },
      IOLoop.READ,
    );
    await turns(3);
    expect(events).toEqual([]);
    loop.callLater(0.01, () => server.write('asdf'));
    await clock.advance(0.01);
    await got;
    expect(events).toEqual([IOLoop.READ]);
    loop.removeHandler(client);
  });

  test('is level-triggered: a handler that leaves data unread is called again next iteration', async () => {
    const { loop } = virtualLoop();
    const { client, server } = await socketPair();
    client.write('unread');
    await whenBuffered(server);
    let calls = 0;
    const thirdCall = new Future<void>();
    loop.addHandler(
      server,
      (handle) => {
        calls++;
        if (calls === 3) {
          expect(handle.readableLength).toBeGreaterThan(0);
          handle.read();
          thirdCall.setResult(undefined);
        }
      },
      IOLoop.READ,
    );
    await thirdCall;
    await turns(3);
    expect(calls).toBe(3);
    loop.removeHandler(server);
  });
});

describe('WRITE', () => {
  test('a connected socket watched for WRITE reports WRITE until the handler stops watching', async () => {
    const { loop } = virtualLoop();
    const { client } = await socketPair();
    let calls = 0;
    const stopped = new Future<void>();
    loop.addHandler(
      client,
      (handle, events) => {
        expect(events).toBe(IOLoop.WRITE);
        calls++;
        if (calls === 2) {
          loop.updateHandler(handle, IOLoop.NONE);
          stopped.setResult(undefined);
        }
      },
      IOLoop.WRITE,
    );
    await stopped;
    await turns(3);
    expect(calls).toBe(2);
    loop.removeHandler(client);
  });

  test('WRITE is not reported while the socket is still connecting', async () => {
    const { loop } = virtualLoop();
    const listener = createServer((socket) => socket.destroy());
    listener.listen(0, '127.0.0.1');
    await once(listener, 'listening');
    onTestFinished(() => {
      listener.close();
    });
    const client = connect((listener.address() as AddressInfo).port, '127.0.0.1');
    onTestFinished(() => {
      client.destroy();
    });
    const connectingWhenCalled = new Future<boolean>();
    loop.addHandler(
      client,
      (handle, events) => {
        if (events & IOLoop.WRITE && !connectingWhenCalled.done()) {
          connectingWhenCalled.setResult(handle.connecting);
          loop.removeHandler(handle);
        }
      },
      IOLoop.WRITE,
    );
    expect(client.connecting).toBe(true);
    expect(await connectingWhenCalled).toBe(false);
  });

  test('WRITE waits while the write buffer is over its high-water mark and comes back after drain', async () => {
    const { loop } = virtualLoop();
    const { client, server } = await socketPair();
    server.pause();
    const big = Buffer.alloc(32 * 1024 * 1024, 1);
    expect(client.write(big)).toBe(false);
    let drained = false;
    client.once('drain', () => {
      drained = true;
    });
    const called = new Future<{ drained: boolean; needDrain: boolean }>();
    loop.addHandler(
      client,
      (handle) => {
        if (!called.done()) called.setResult({ drained, needDrain: handle.writableNeedDrain });
        loop.removeHandler(handle);
      },
      IOLoop.WRITE,
    );
    await turns(5);
    expect(called.done()).toBe(false);
    server.resume();
    expect(await called).toEqual({ drained: true, needDrain: false });
  });
});

describe('ERROR', () => {
  test('a socket destroyed locally reports ERROR exactly once, even when only READ was asked for', async () => {
    const { loop } = virtualLoop();
    const { server } = await socketPair();
    const events: number[] = [];
    loop.addHandler(server, (_handle, ready) => events.push(ready), IOLoop.READ);
    server.destroy();
    await once(server, 'close');
    await turns(5);
    expect(events).toEqual([IOLoop.ERROR]);
    loop.removeHandler(server);
  });

  test('a connection reset by the peer reports ERROR exactly once', async () => {
    const { loop } = virtualLoop();
    const { client, server } = await socketPair();
    const events: number[] = [];
    const errored = new Future<void>();
    loop.addHandler(
      server,
      (_handle, ready) => {
        events.push(ready);
        if (ready & IOLoop.ERROR) errored.setResult(undefined);
      },
      IOLoop.ERROR,
    );
    client.resetAndDestroy();
    await errored;
    await turns(5);
    expect(events).toEqual([IOLoop.ERROR]);
    loop.removeHandler(server);
  });

  test('a peer closing its end makes READ report end-of-stream, then ERROR once the socket closes', async () => {
    const { loop } = virtualLoop();
    const { client, server } = await socketPair();
    const seen: string[] = [];
    const finished = new Future<void>();
    loop.addHandler(
      server,
      (handle, ready) => {
        if (ready & IOLoop.READ) {
          const chunk = handle.read() as Buffer | null;
          seen.push(chunk === null ? 'eof' : chunk.toString());
        }
        if (ready & IOLoop.ERROR) {
          seen.push('error');
          loop.removeHandler(handle);
          finished.setResult(undefined);
        }
      },
      IOLoop.READ | IOLoop.ERROR,
    );
    client.end('last words');
    await finished;
    expect(seen[0]).toBe('last words');
    expect(seen.at(-1)).toBe('error');
    expect(seen.filter((s) => s === 'error')).toHaveLength(1);
  });
});

describe('registration', () => {
  test('removeHandler from inside a handler stops a handler already due in the same iteration', async () => {
    const { loop } = virtualLoop();
    const first = await socketPair();
    const second = await socketPair();
    first.client.write('abc');
    second.client.write('abc');
    await Promise.all([whenBuffered(first.server), whenBuffered(second.server)]);
    const chunks: string[] = [];
    const handleRead = (handle: Socket): void => {
      chunks.push(String(handle.read()));
      loop.removeHandler(handle === first.server ? second.server : first.server);
      loop.removeHandler(handle);
    };
    loop.addHandler(first.server, handleRead, IOLoop.READ);
    loop.addHandler(second.server, handleRead, IOLoop.READ);
    await turns(5);
    expect(chunks).toEqual(['abc']);
    expect(loop.handlerCount).toBe(0);
  });

  test('adding the same handle twice throws; removing an unknown one is a no-op', async () => {
    const { loop } = virtualLoop();
    const { server } = await socketPair();
    loop.addHandler(server, () => undefined, IOLoop.READ);
    expect(() => loop.addHandler(server, () => undefined, IOLoop.READ)).toThrow(
      /already registered/,
    );
    loop.removeHandler(server);
    expect(() => loop.removeHandler(server)).not.toThrow();
    expect(() => loop.updateHandler(server, IOLoop.READ)).toThrow(/not registered/);
  });

  test('a raw file descriptor is refused with an explanation', () => {
    const { loop } = virtualLoop();
    expect(() => loop.addHandler(3 as never, () => undefined, IOLoop.READ)).toThrow(TypeError);
    expect(() => loop.addHandler(3 as never, () => undefined, IOLoop.READ)).toThrow(
      /file descriptors/,
    );
  });

  test('an exception in a handler is logged on appLog and the loop keeps running', async () => {
    const { loop } = virtualLoop();
    const records = captureLog(appLog);
    const { client, server } = await socketPair();
    const afterwards = new Future<void>();
    loop.addHandler(
      server,
      (handle) => {
        handle.read();
        loop.removeHandler(handle);
        loop.addCallback(() => afterwards.setResult(undefined));
        throw new Error('handler failure');
      },
      IOLoop.READ,
    );
    client.write('x');
    await afterwards;
    expect(records.map((r) => (r.args[0] as Error).message)).toEqual(['handler failure']);
  });

  test('the event constants have Tornado’s values', () => {
    expect([IOLoop.NONE, IOLoop.READ, IOLoop.WRITE, IOLoop.ERROR]).toEqual([0, 1, 4, 0x18]);
  });
});

describe('close', () => {
  test('close(true) destroys every registered handle', async () => {
    const loop = new IOLoop();
    const { client, server } = await socketPair();
    loop.addHandler(server, () => undefined, IOLoop.READ);
    loop.addHandler(client, () => undefined, IOLoop.READ);
    loop.close(true);
    expect(server.destroyed).toBe(true);
    expect(client.destroyed).toBe(true);
    expect(loop.handlerCount).toBe(0);
  });

  test('close() unregisters handles but leaves them open', async () => {
    const loop = new IOLoop();
    const { client, server } = await socketPair();
    let calls = 0;
    loop.addHandler(
      server,
      () => {
        calls++;
      },
      IOLoop.READ,
    );
    loop.close();
    expect(server.destroyed).toBe(false);
    expect(loop.handlerCount).toBe(0);
    client.write('ignored');
    await whenBuffered(server);
    await turns(3);
    expect(calls).toBe(0);
  });
});
