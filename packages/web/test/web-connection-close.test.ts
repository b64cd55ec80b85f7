/**
 * `onConnectionClose` when the client goes away while a handler waits (Tornado's
 * ConnectionCloseTest).
 */
import net from 'node:net';
import { Event, sleep } from '@tronada/gen';
import { Future } from '@tronada/ioloop';
import { useTestLoop } from '@tronada/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Application, RequestHandler } from '../src/index.js';
import { useAsyncHTTPTestCase } from '../src/testing/index.js';

useTestLoop({ beforeEach, afterEach }, { clock: false });

interface CloseProbe {
  cleanup: Event;
  handlerWaiting(): void;
  connectionClosed(): void;
  handlerDone(): void;
}

class ConnectionCloseHandler extends RequestHandler {
  probe!: CloseProbe;

  override initialize(kwargs: { probe: CloseProbe }): void {
    this.probe = kwargs.probe;
  }

  override *get() {
    this.probe.handlerWaiting();
    yield this.probe.cleanup.wait();
    this.probe.handlerDone();
  }

  override onConnectionClose(): void {
    super.onConnectionClose();
    this.probe.connectionClosed();
  }
}

describe('ConnectionCloseTest', () => {
  let socket: net.Socket | null = null;
  const closed = { future: new Future<void>(), done: new Future<void>() };
  const probe: CloseProbe = {
    cleanup: new Event(),
    handlerWaiting: () => socket?.destroy(),
    connectionClosed: () => closed.future.setResult(undefined),
    handlerDone: () => closed.done.setResult(undefined),
  };
  const server = useAsyncHTTPTestCase({ beforeEach, afterEach }, () => {
    probe.cleanup = new Event();
    closed.future = new Future<void>();
    closed.done = new Future<void>();
    return new Application([['/', ConnectionCloseHandler, { probe }]]);
  });

  it('calls onConnectionClose when the client disconnects while the handler waits (ConnectionCloseTest.test_connection_close)', async () => {
    const port = server.current.getHttpPort();
    socket = net.connect(port, '127.0.0.1', () => socket!.write('GET / HTTP/1.0\r\n\r\n'));
    socket.on('error', () => {});
    await closed.future;
    expect(closed.future.done()).toBe(true);
    // Let the waiting coroutine finish now that its client is gone.
    probe.cleanup.set();
    await closed.done;
    await sleep(0);
  });
});
