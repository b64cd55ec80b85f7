/**
 * Tornado's testing_test.py, the HTTP parts (AsyncHTTPTestCaseTest and
 * AsyncHTTPTestCaseSetUpTearDownTest), against `@tronada/web/testing` and `bindUnusedPort`.
 */
import { connect } from 'node:net';
import { HTTPServer } from '@tronada/httpserver';
import { bindUnusedPort } from '@tronada/iostream';
import { type TestHooks, useTestLoop } from '@tronada/testing';
import { Application, RequestHandler } from '@tronada/web';
import { type AsyncHTTPTestCase, useAsyncHTTPTestCase } from '@tronada/web/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

class Named extends RequestHandler {
  override get(): void {
    this.write(String(this.settings.name));
  }
}

function named(name: string): Application {
  return new Application([['/path', Named]], { name });
}

/** Resolves true if something accepts a TCP connection on 127.0.0.1:`port`. */
function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('AsyncHTTPTestCase (testing_test AsyncHTTPTestCaseTest)', () => {
  useTestLoop({ beforeEach, afterEach }, { clock: false });
  const server = useAsyncHTTPTestCase({ beforeEach, afterEach }, () => named('main'));
  let second: { server: HTTPServer; port: number } | null = null;
  beforeEach(async () => {
    // A second server on a port of its own, as Tornado's setUp binds one with bind_unused_port.
    const [socket, port] = await bindUnusedPort();
    const httpServer = new HTTPServer(named('second'), { logRequest: null });
    httpServer.addSocket(socket);
    second = { server: httpServer, port };
  });
  afterEach(async () => {
    second?.server.stop();
    await second?.server.closeAllConnections();
    second = null;
  });

  it('fetches a path from its own server, at the URL getUrl gives', async () => {
    const response = await server.current.fetch('/path');
    expect(response.effectiveUrl).toBe(server.current.getUrl('/path'));
    expect(response.text).toBe('main');
    expect(server.current.getUrl('/path')).toBe(
      `http://127.0.0.1:${server.current.getHttpPort()}/path`,
    );
  });

  it('fetches an absolute URL as it is, not from its own server', async () => {
    const url = `http://localhost:${second!.port}/path`;
    const response = await server.current.fetch(url);
    expect(response.effectiveUrl).toBe(url);
    expect(response.text).toBe('second');
  });

  it('reports the port and protocol its server listens on', () => {
    expect(server.current.getHttpPort()).toBe(server.current.httpServer.port);
    expect(server.current.getHttpPort()).not.toBe(second!.port);
    expect(server.current.getProtocol()).toBe('http');
  });

  it('answers any status as a response, without throwing', async () => {
    const response = await server.current.fetch('/missing');
    expect(response.code).toBe(404);
  });
});

describe('bindUnusedPort (tornado.testing.bind_unused_port)', () => {
  it('binds a different free port of 127.0.0.1 each time, ready to accept', async () => {
    const [a, portA] = await bindUnusedPort();
    const [b, portB] = await bindUnusedPort();
    try {
      expect(portA).not.toBe(portB);
      expect(a.address()).toMatchObject({ address: '127.0.0.1', port: portA });
      expect(await accepts(portB)).toBe(true);
    } finally {
      a.close();
      b.close();
    }
  });
});

describe('tear down (testing_test AsyncHTTPTestCaseSetUpTearDownTest)', () => {
  useTestLoop({ beforeEach, afterEach }, { clock: false });

  it('releases the application and stops the server when the test ends', async () => {
    const before: Array<() => unknown> = [];
    const after: Array<() => unknown> = [];
    const hooks: TestHooks = {
      beforeEach: (fn) => before.push(fn),
      afterEach: (fn) => after.push(fn),
    };
    const handle = useAsyncHTTPTestCase(hooks, () => named('main'));
    for (const fn of before) await fn();

    const during: AsyncHTTPTestCase<Application> = handle.current;
    const port = during.getHttpPort();
    expect(during.app).toBeInstanceOf(Application);
    expect(await accepts(port)).toBe(true);

    for (const fn of after) await fn();
    expect(() => handle.current).toThrow(/No test is running/);
    expect(during.httpServer.port).toBeNull();
    expect(() => during.getHttpPort()).toThrow(/not listening/);
    expect(await accepts(port)).toBe(false);
  });
});
