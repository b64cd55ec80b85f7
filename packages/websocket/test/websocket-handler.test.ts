/**
 * WebSocketHandler and websocketConnect over real sockets: Tornado's WebSocketTest and
 * WebSocketNativeCoroutineTest, ported.
 */
import net from 'node:net';
import { Event, sleep } from '@tronada/gen';
import { HTTPClientError, HTTPRequest } from '@tronada/httpclient';
import { appLog, Future } from '@tronada/ioloop';
import { DictLoader } from '@tronada/template';
import { expectLog, useTestLoop } from '@tronada/testing';
import { Application, RequestHandler } from '@tronada/web';
import { useAsyncHTTPTestCase } from '@tronada/web/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  frame,
  Opcode,
  type PerMessageDeflateOptions,
  type WebSocketClientConnection,
  WebSocketClosedError,
  WebSocketError,
  WebSocketHandler,
  websocketConnect,
} from '../src/index.js';
import { websocketTestConnect } from '../src/testing/index.js';

useTestLoop({ beforeEach, afterEach }, { clock: false });

type CloseResult = [number | null, string | null];

interface TestKwargs {
  closeFuture?: Future<CloseResult>;
  compressionOptions?: PerMessageDeflateOptions | null;
}

/** Exposes onClose to the test through `closeFuture`, as Tornado's TestWebSocketHandler. */
class TestWebSocketHandler extends WebSocketHandler {
  closeFuture: Future<CloseResult> | undefined;
  compressionOptions: PerMessageDeflateOptions | null = null;

  override initialize(kwargs: TestKwargs): void {
    this.closeFuture = kwargs.closeFuture;
    this.compressionOptions = kwargs.compressionOptions ?? null;
  }

  override getCompressionOptions(): PerMessageDeflateOptions | null {
    return this.compressionOptions;
  }

  override onClose(): void {
    this.closeFuture?.setResult([this.closeCode, this.closeReason]);
  }
}

class EchoHandler extends TestWebSocketHandler {
  override *onMessage(message: string | Buffer) {
    try {
      yield this.writeMessage(message, { binary: typeof message !== 'string' });
    } catch (error) {
      if (!(error instanceof WebSocketClosedError)) throw error;
    }
  }
}

class ErrorInOnMessageHandler extends TestWebSocketHandler {
  override onMessage(): void {
    throw new Error('boom');
  }
}

class HeaderHandler extends TestWebSocketHandler {
  override open(): void {
    const attempts: Array<() => unknown> = [
      () => this.write('This should not work'),
      () => this.redirect('http://localhost/elsewhere'),
      () => this.setHeader('X-Test', ''),
      () => this.setCookie('Chocolate', 'Chip'),
      () => this.setStatus(503),
      () => this.flush(),
      () => this.finish(),
    ];
    for (const attempt of attempts) {
      expect(attempt).toThrow(/not supported for websockets/);
    }
    void this.writeMessage(this.request.headers.get('X-Test') ?? '');
  }
}

/** Answers each message with what its request still says, read long after the handshake. */
class RequestAfterOpenHandler extends TestWebSocketHandler {
  override onMessage(): void {
    const r = this.request;
    void this.writeMessage({
      method: r.method,
      uri: r.uri,
      path: r.path,
      query: r.query,
      version: r.version,
      host: r.host,
      remoteIp: r.remoteIp,
      header: r.headers.get('X-Long-Test-Header'),
      cookie: this.getCookie('flavor'),
      argument: this.getArgument('name'),
    });
  }
}

class HeaderEchoHandler extends TestWebSocketHandler {
  override setDefaultHeaders(): void {
    this.setHeader('X-Extra-Response-Header', 'Extra-Response-Value');
  }

  override prepare(): void {
    for (const [name, value] of this.request.headers.getAll()) {
      if (name.toLowerCase().startsWith('x-test')) this.setHeader(name, value);
    }
  }
}

class NonWebSocketHandler extends RequestHandler {
  override get(): void {
    this.write('ok');
  }
}

class RedirectToEcho extends RequestHandler {
  override get(): void {
    this.redirect('/echo');
  }
}

class CloseReasonHandler extends TestWebSocketHandler {
  override open(): void {
    this.close(1001, 'goodbye');
  }
}

class AsyncPrepareHandler extends TestWebSocketHandler {
  override async prepare(): Promise<void> {
    await sleep(0);
  }

  override onMessage(message: string | Buffer): void {
    void this.writeMessage(message);
  }
}

class PathArgsHandler extends TestWebSocketHandler {
  override open(arg: string | undefined): void {
    void this.writeMessage(arg ?? '');
  }
}

class CoroutineOnMessageHandler extends TestWebSocketHandler {
  sleeping = 0;

  override *onMessage(message: string | Buffer) {
    if (this.sleeping > 0) void this.writeMessage('another coroutine is already sleeping');
    this.sleeping++;
    yield sleep(0.01);
    this.sleeping--;
    void this.writeMessage(message);
  }
}

class RenderMessageHandler extends TestWebSocketHandler {
  override onMessage(message: string | Buffer): void {
    void this.writeMessage(this.renderString('message.html', { message }));
  }
}

class SubprotocolHandler extends TestWebSocketHandler {
  selectCalled = false;

  override selectSubprotocol(subprotocols: readonly string[]): string | null {
    if (this.selectCalled) throw new Error('selectSubprotocol called twice');
    this.selectCalled = true;
    return subprotocols.includes('goodproto') ? 'goodproto' : null;
  }

  override open(): void {
    if (!this.selectCalled) throw new Error('selectSubprotocol not called');
    void this.writeMessage(`subprotocol=${this.selectedSubprotocol}`);
  }
}

/** Reports, once closed, the close code and reason with the subprotocol it still knows. */
class SubprotocolCloseHandler extends SubprotocolHandler {
  override onClose(): void {
    this.closeFuture?.setResult([
      this.closeCode,
      `${this.closeReason} (subprotocol ${this.selectedSubprotocol})`,
    ]);
  }
}

const messageSent = { event: new Event() };

class OpenCoroutineHandler extends TestWebSocketHandler {
  openFinished = false;

  override async open(): Promise<void> {
    await messageSent.event.wait();
    await sleep(0.01);
    this.openFinished = true;
  }

  override onMessage(): void {
    if (!this.openFinished) throw new Error('onMessage called before open finished');
    void this.writeMessage('ok');
  }
}

class ErrorInOpenHandler extends TestWebSocketHandler {
  override open(): void {
    throw new Error('boom');
  }
}

class ErrorInAsyncOpenHandler extends TestWebSocketHandler {
  override async open(): Promise<void> {
    await sleep(0);
    throw new Error('boom');
  }
}

class NoDelayHandler extends TestWebSocketHandler {
  override open(): void {
    this.setNodelay(true);
    void this.writeMessage('hello');
  }
}

class NativeCoroutineOnMessageHandler extends TestWebSocketHandler {
  sleeping = 0;

  override async onMessage(message: string | Buffer): Promise<void> {
    if (this.sleeping > 0) void this.writeMessage('another coroutine is already sleeping');
    this.sleeping++;
    await sleep(0.01);
    this.sleeping--;
    void this.writeMessage(message);
  }
}

/** Closes from the client side and waits until the server answered and the stream closed. */
async function closeAndDrain(ws: WebSocketClientConnection): Promise<void> {
  ws.close();
  while ((await ws.readMessage()) !== null) {
    // Messages still in flight are dropped.
  }
}

/** Sends `request` on a raw socket and returns the status line and headers of the answer. */
function rawRequest(port: number, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(request));
    let data = '';
    socket.on('data', (chunk) => {
      data += chunk.toString('latin1');
      if (data.includes('\r\n\r\n')) {
        socket.destroy();
        resolve(data.slice(0, data.indexOf('\r\n\r\n')));
      }
    });
    socket.on('error', reject);
  });
}

describe('WebSocketTest', () => {
  let closeFuture = new Future<CloseResult>();
  const server = useAsyncHTTPTestCase({ beforeEach, afterEach }, () => {
    closeFuture = new Future<CloseResult>();
    messageSent.event = new Event();
    const kw = {
      get closeFuture() {
        return closeFuture;
      },
    };
    return new Application(
      [
        ['/echo', EchoHandler, kw],
        ['/non_ws', NonWebSocketHandler],
        ['/redirect', RedirectToEcho],
        ['/header', HeaderHandler, kw],
        ['/header_echo', HeaderEchoHandler, kw],
        ['/request_after_open', RequestAfterOpenHandler, kw],
        ['/close_reason', CloseReasonHandler, kw],
        ['/error_in_on_message', ErrorInOnMessageHandler, kw],
        ['/async_prepare', AsyncPrepareHandler, kw],
        ['/path_args/(.*)', PathArgsHandler, kw],
        ['/coroutine', CoroutineOnMessageHandler, kw],
        ['/native', NativeCoroutineOnMessageHandler, kw],
        ['/render', RenderMessageHandler, kw],
        ['/subprotocol', SubprotocolHandler, kw],
        ['/subprotocol_close', SubprotocolCloseHandler, kw],
        ['/open_coroutine', OpenCoroutineHandler, kw],
        ['/error_in_open', ErrorInOpenHandler],
        ['/error_in_async_open', ErrorInAsyncOpenHandler],
        ['/nodelay', NoDelayHandler],
      ],
      { templateLoader: new DictLoader({ 'message.html': '<b>{{ message }}</b>' }) },
    );
  });
  const connect = (path: string, options = {}) =>
    websocketTestConnect(server.current, path, options);
  const port = () => server.current.getHttpPort();

  it('answers a plain HTTP request with 400 (test_http_request)', async () => {
    const response = await server.current.fetch('/echo');
    expect(response.code).toBe(400);
  });

  it('answers a handshake without Sec-WebSocket-Key with 400 (test_missing_websocket_key)', async () => {
    const response = await server.current.fetch('/echo', {
      headers: { Connection: 'Upgrade', Upgrade: 'WebSocket', 'Sec-WebSocket-Version': '13' },
    });
    expect(response.code).toBe(400);
  });

  it('answers an unsupported version with 426 and Sec-WebSocket-Version: 13 (test_bad_websocket_version)', async () => {
    const response = await server.current.fetch('/echo', {
      headers: { Connection: 'Upgrade', Upgrade: 'WebSocket', 'Sec-WebSocket-Version': '12' },
    });
    expect(response.code).toBe(426);
    expect(response.headers.get('Sec-WebSocket-Version')).toBe('13');
  });

  it('answers a bad Connection header with 400 before looking at the origin', async () => {
    const head = await rawRequest(
      port(),
      'GET /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: keep-alive\r\nOrigin: http://evil.example\r\n\r\n',
    );
    expect(head).toMatch(/^HTTP\/1\.1 400 /);
  });

  it('upgrades when Upgrade and Connection are lists in any case, with spaces around', async () => {
    const head = await rawRequest(
      port(),
      'GET /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: h2c, WebSocket \r\n' +
        'Connection: keep-alive,\tUPGRADE\r\nSec-WebSocket-Version: 13\r\n' +
        'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n',
    );
    expect(head).toMatch(/^HTTP\/1\.1 101 /);
    expect(head).toMatch(/\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK\+xOo=/i);
    await closeFuture;
  });

  it('echoes a text message (test_websocket_gen)', async () => {
    const ws = await connect('/echo');
    await ws.writeMessage('hello');
    expect(await ws.readMessage()).toBe('hello');
    await closeAndDrain(ws);
    await closeFuture;
  });

  it('delivers messages to onMessageCallback, then null at the close (test_websocket_callbacks)', async () => {
    const received: Array<string | Buffer | null> = [];
    const ended = new Future<void>();
    const ws = await connect('/echo', {
      onMessageCallback: (message: string | Buffer | null) => {
        received.push(message);
        if (message === null) ended.setResult(undefined);
        else ws.close();
      },
    });
    void ws.writeMessage('hello');
    await ended;
    expect(received).toEqual(['hello', null]);
    expect(() => ws.readMessage()).toThrow(/onMessageCallback/);
  });

  it('echoes a binary message as bytes (test_binary_message)', async () => {
    const ws = await connect('/echo');
    await ws.writeMessage(Buffer.from([0, 1, 2, 255]));
    expect(await ws.readMessage()).toEqual(Buffer.from([0, 1, 2, 255]));
    await closeAndDrain(ws);
  });

  it('echoes non-ASCII text as a string (test_unicode_message)', async () => {
    const ws = await connect('/echo');
    await ws.writeMessage('hello \u00e9 \u{1f600}');
    expect(await ws.readMessage()).toBe('hello \u00e9 \u{1f600}');
    await closeAndDrain(ws);
  });

  it('throws WebSocketClosedError when the client writes after closing (test_error_in_closed_client_write_message)', async () => {
    const ws = await connect('/echo');
    ws.close();
    expect(() => ws.writeMessage('hello')).toThrow(WebSocketClosedError);
    expect(await ws.readMessage()).toBeNull();
  });

  it('renders a template into a message (test_render_message)', async () => {
    const ws = await connect('/render');
    void ws.writeMessage('hello');
    expect(await ws.readMessage()).toBe('<b>hello</b>');
    await closeAndDrain(ws);
  });

  it('logs an exception in onMessage and closes with 1011 (test_error_in_on_message)', async () => {
    const ws = await connect('/error_in_on_message');
    await expectLog(appLog, /Uncaught exception/, async () => {
      void ws.writeMessage('hello');
      expect(await ws.readMessage()).toBeNull();
    });
    expect(ws.closeCode).toBe(1011);
  });

  it('fails with the HTTP error for a path that is not found (test_websocket_http_fail)', async () => {
    const error = await connect('/notfound').then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(HTTPClientError);
    expect((error as HTTPClientError).status).toBe(404);
  });

  it('fails with WebSocketError for a handler that answers 200 (test_websocket_http_success)', async () => {
    await expect(connect('/non_ws')).rejects.toThrow(WebSocketError);
    await expect(connect('/non_ws')).rejects.toThrow(/Non-websocket response/);
  });

  it('fails with the HTTP error for a redirect, without following it (test_websocket_http_redirect)', async () => {
    const error = await connect('/redirect').then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(HTTPClientError);
    expect((error as HTTPClientError).status).toBe(302);
  });

  it('fails when nothing listens on the port (test_websocket_network_fail)', async () => {
    const unused = await new Promise<number>((resolve) => {
      const probe = net.createServer();
      probe.listen(0, '127.0.0.1', () => {
        const { port: p } = probe.address() as net.AddressInfo;
        probe.close(() => resolve(p));
      });
    });
    const error = await websocketConnect(`ws://127.0.0.1:${unused}/`, {
      connectTimeout: 3600,
    }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(Error);
    expect(String((error as Error).message)).toMatch(/ECONNREFUSED|refused|closed/i);
  });

  it('survives the client dropping the stream with messages still buffered (test_websocket_close_buffered_data)', async () => {
    const ws = await connect('/echo');
    void ws.writeMessage('hello').catch(() => {});
    void ws.writeMessage('world').catch(() => {});
    ws.protocol.stream.close();
    await closeFuture;
  });

  it('passes request headers through websocketConnect (test_websocket_headers)', async () => {
    const ws = await websocketConnect(
      new HTTPRequest(`ws://127.0.0.1:${port()}/header`, { headers: { 'X-Test': 'hello' } }),
    );
    expect(await ws.readMessage()).toBe('hello');
    await closeAndDrain(ws);
  });

  it('keeps the request readable after open: start line, host, headers, cookies, arguments', async () => {
    const ws = await connect('/request_after_open?name=a-value-long-enough-to-be-a-slice', {
      headers: {
        'X-Long-Test-Header': 'a header value that is well over thirteen characters',
        Cookie: 'flavor=chocolate-chip-with-walnuts; other=1',
      },
    });
    ws.writeMessage('tell me');
    const first = JSON.parse((await ws.readMessage()) as string);
    expect(first).toEqual({
      method: 'GET',
      uri: '/request_after_open?name=a-value-long-enough-to-be-a-slice',
      path: '/request_after_open',
      query: 'name=a-value-long-enough-to-be-a-slice',
      version: 'HTTP/1.1',
      host: `127.0.0.1:${port()}`,
      remoteIp: '127.0.0.1',
      header: 'a header value that is well over thirteen characters',
      cookie: 'chocolate-chip-with-walnuts',
      argument: 'a-value-long-enough-to-be-a-slice',
    });
    // Idle for a while, then again: the same answers.
    await sleep(0.05);
    ws.writeMessage('again');
    expect(JSON.parse((await ws.readMessage()) as string)).toEqual(first);
    await closeAndDrain(ws);
  });

  it('returns headers set in prepare and setDefaultHeaders with the 101 (test_websocket_header_echo)', async () => {
    const ws = await connect('/header_echo', { headers: { 'X-Test-Hello': 'hello' } });
    expect(ws.headers.get('X-Test-Hello')).toBe('hello');
    expect(ws.headers.get('X-Extra-Response-Header')).toBe('Extra-Response-Value');
    await closeAndDrain(ws);
  });

  it('reports the server close code and reason, echoed back to the server (test_server_close_reason)', async () => {
    const ws = await connect('/close_reason');
    expect(await ws.readMessage()).toBeNull();
    expect(ws.closeCode).toBe(1001);
    expect(ws.closeReason).toBe('goodbye');
    const [code] = await closeFuture;
    expect(code).toBe(1001);
  });

  it('reports the client close code and reason to the server (test_client_close_reason)', async () => {
    const ws = await connect('/echo');
    ws.close(1001, 'goodbye');
    expect(await closeFuture).toEqual([1001, 'goodbye']);
  });

  it('throws WebSocketClosedError on a write after the server closed (test_write_after_close)', async () => {
    const ws = await connect('/close_reason');
    expect(await ws.readMessage()).toBeNull();
    expect(() => ws.writeMessage('hello')).toThrow(WebSocketClosedError);
  });

  it('opens after an async prepare (test_async_prepare)', async () => {
    const ws = await connect('/async_prepare');
    void ws.writeMessage('hello');
    expect(await ws.readMessage()).toBe('hello');
    await closeAndDrain(ws);
  });

  it('passes the path groups to open (test_path_args)', async () => {
    const ws = await connect('/path_args/hello');
    expect(await ws.readMessage()).toBe('hello');
    await closeAndDrain(ws);
  });

  it('waits for a generator onMessage before the next message (test_coroutine)', async () => {
    const ws = await connect('/coroutine');
    void ws.writeMessage('hello1');
    void ws.writeMessage('hello2');
    expect(await ws.readMessage()).toBe('hello1');
    expect(await ws.readMessage()).toBe('hello2');
    await closeAndDrain(ws);
  });

  it('waits for an async onMessage before the next message (WebSocketNativeCoroutineTest.test_native_coroutine)', async () => {
    const ws = await connect('/native');
    void ws.writeMessage('hello1');
    void ws.writeMessage('hello2');
    expect(await ws.readMessage()).toBe('hello1');
    expect(await ws.readMessage()).toBe('hello2');
    await closeAndDrain(ws);
  });

  it.each([
    ['test_check_origin_valid_no_path', (p: number) => `http://127.0.0.1:${p}`],
    ['test_check_origin_valid_with_path', (p: number) => `http://127.0.0.1:${p}/something`],
  ])('accepts a same-origin request (%s)', async (_name, origin) => {
    const ws = await connect('/echo', { headers: { Origin: origin(port()) } });
    void ws.writeMessage('hello');
    expect(await ws.readMessage()).toBe('hello');
    await closeAndDrain(ws);
  });

  it.each([
    ['test_check_origin_invalid_partial_url', () => '127.0.0.1'],
    ['test_check_origin_invalid', () => 'http://somewhereelse.com'],
    ['test_check_origin_invalid_subdomains', (p: number) => `http://subtenant.localhost:${p}`],
  ])('rejects a cross-origin request with 403 (%s)', async (_name, origin) => {
    const error = await connect('/echo', { headers: { Origin: origin(port()) } }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(HTTPClientError);
    expect((error as HTTPClientError).status).toBe(403);
  });

  it('negotiates the subprotocol the handler picks (test_subprotocols)', async () => {
    const ws = await connect('/subprotocol', { subprotocols: ['badproto', 'goodproto'] });
    expect(ws.selectedSubprotocol).toBe('goodproto');
    expect(await ws.readMessage()).toBe('subprotocol=goodproto');
    await closeAndDrain(ws);
  });

  it('keeps the subprotocol next to the close code and reason once closed', async () => {
    const ws = await connect('/subprotocol_close', { subprotocols: ['goodproto'] });
    expect(await ws.readMessage()).toBe('subprotocol=goodproto');
    ws.close(1001, 'goodbye');
    expect(await closeFuture).toEqual([1001, 'goodbye (subprotocol goodproto)']);
  });

  it('calls selectSubprotocol with an empty list when none is offered (test_subprotocols_not_offered)', async () => {
    const ws = await connect('/subprotocol');
    expect(ws.selectedSubprotocol).toBeNull();
    expect(await ws.readMessage()).toBe('subprotocol=null');
    await closeAndDrain(ws);
  });

  it('delivers no message before an async open is done (test_open_coroutine)', async () => {
    const ws = await connect('/open_coroutine');
    await ws.writeMessage('hello');
    messageSent.event.set();
    expect(await ws.readMessage()).toBe('ok');
    await closeAndDrain(ws);
  });

  it('logs an exception in open and closes (test_error_in_open)', async () => {
    await expectLog(appLog, /Uncaught exception/, async () => {
      const ws = await connect('/error_in_open');
      expect(await ws.readMessage()).toBeNull();
      expect(ws.closeCode).toBe(1011);
    });
  });

  it('logs an exception in an async open and closes (test_error_in_async_open)', async () => {
    await expectLog(appLog, /Uncaught exception/, async () => {
      const ws = await connect('/error_in_async_open');
      expect(await ws.readMessage()).toBeNull();
    });
  });

  it('writes after setNodelay(true) (test_nodelay)', async () => {
    const ws = await connect('/nodelay');
    expect(await ws.readMessage()).toBe('hello');
    await closeAndDrain(ws);
  });

  it('iterates over messages with for await until the close', async () => {
    const ws = await connect('/echo');
    for (const m of ['a', 'b', 'c']) void ws.writeMessage(m);
    const seen: Array<string | Buffer> = [];
    for await (const message of ws) {
      seen.push(message);
      if (seen.length === 3) ws.close(1000);
    }
    expect(seen).toEqual(['a', 'b', 'c']);
    expect(await closeFuture).toEqual([1000, null]);
  });

  it('keeps frames that arrive in the same packet as the handshake', async () => {
    const key = 'dGhlIHNhbXBsZSBub25jZQ==';
    const request = [
      'GET /echo HTTP/1.1',
      `Host: 127.0.0.1:${port()}`,
      'Upgrade: websocket',
      'Connection: Upgrade',
      `Sec-WebSocket-Key: ${key}`,
      'Sec-WebSocket-Version: 13',
    ].join('\r\n');
    const hello = frame(Buffer.from('early'), { opcode: Opcode.TEXT, mask: true });
    const reply = await new Promise<Buffer>((resolve, reject) => {
      const socket = net.connect(port(), '127.0.0.1', () =>
        socket.write(Buffer.concat([Buffer.from(`${request}\r\n\r\n`), hello])),
      );
      let data = Buffer.alloc(0);
      socket.on('data', (chunk: Buffer) => {
        data = Buffer.concat([data, chunk]);
        const end = data.indexOf('\r\n\r\n');
        if (end >= 0 && data.length >= end + 4 + 7) {
          socket.destroy();
          resolve(data.subarray(end + 4));
        }
      });
      socket.on('error', reject);
    });
    expect(reply.subarray(0, 7)).toEqual(frame(Buffer.from('early'), { opcode: Opcode.TEXT }));
    await closeFuture;
  });

  it('sends an object as JSON text', async () => {
    const ws = await connect('/echo');
    void ws.writeMessage({ hello: [1, 2] });
    expect(await ws.readMessage()).toBe('{"hello":[1,2]}');
    await closeAndDrain(ws);
  });
});
