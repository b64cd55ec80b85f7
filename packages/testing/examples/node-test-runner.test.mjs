// The Tronada test helpers under Node's own test runner (`node --test`), no vitest involved:
// a loop per test with leak checks, a generator test body, an expected log line, an
// application served on a free port, and a websocket to it. Run it after a build:
//
//   npx tsc -b packages/testing packages/web packages/websocket
//   node --test packages/testing/examples/node-test-runner.test.mjs
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { sleep } from '@tronada/gen';
import { appLog, IOLoop } from '@tronada/ioloop';
import { bindUnusedPort } from '@tronada/iostream';
import { expectLog, genTest, installTestGuards, useTestLoop } from '@tronada/testing';
import { Application, RequestHandler } from '@tronada/web';
import { useAsyncHTTPTestCase } from '@tronada/web/testing';
import { WebSocketHandler } from '@tronada/websocket';
import { websocketTestConnect } from '@tronada/websocket/testing';

// Fail a test that leaves an unhandled rejection or an unexpected warning/error log line.
installTestGuards({ beforeEach, afterEach });

class Hello extends RequestHandler {
  get() {
    this.write('Hello, world');
  }
}

class Echo extends WebSocketHandler {
  onMessage(message) {
    return this.writeMessage(message);
  }
}

describe('on the virtual clock', () => {
  const t = useTestLoop({ beforeEach, afterEach });

  it('fires an hour of timers without waiting', async () => {
    let fired = 0;
    t.testLoop.loop.callLater(3600, () => {
      fired += 1;
    });
    await t.testLoop.advance(3600);
    assert.equal(fired, 1);
  });

  it('claims an expected error line', () => {
    expectLog(appLog, /disk full/, () => appLog.error('write failed: disk full'));
  });
});

describe('an application on a free port', () => {
  useTestLoop({ beforeEach, afterEach }, { clock: false });
  const server = useAsyncHTTPTestCase(
    { beforeEach, afterEach },
    () =>
      new Application([
        ['/', Hello],
        ['/echo', Echo],
      ]),
  );

  it('answers GET / (fetch, getUrl, getHttpPort)', async () => {
    const response = await server.current.fetch('/');
    assert.equal(response.code, 200);
    assert.equal(response.text, 'Hello, world');
    assert.equal(response.effectiveUrl, `http://127.0.0.1:${server.current.getHttpPort()}/`);
  });

  it(
    'runs a generator test body on the test loop',
    genTest(function* () {
      assert.ok(IOLoop.current() instanceof IOLoop);
      yield sleep(0.01);
      const response = yield server.current.fetch('/nothing');
      assert.equal(response.code, 404);
    }),
  );

  it('echoes over a websocket', async () => {
    const ws = await websocketTestConnect(server.current, '/echo');
    await ws.writeMessage('ping');
    assert.equal(await ws.readMessage(), 'ping');
    ws.close(1000);
    while ((await ws.readMessage()) !== null) {
      // drain until the server's close frame
    }
  });
});

describe('bindUnusedPort', () => {
  it('gives a listening server on a free port of 127.0.0.1', async () => {
    const [listener, port] = await bindUnusedPort();
    try {
      assert.ok(port > 0);
      assert.equal(listener.address().port, port);
    } finally {
      listener.close();
    }
  });
});
