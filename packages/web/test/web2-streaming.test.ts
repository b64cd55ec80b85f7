import net from 'node:net';
import { gzipSync } from 'node:zlib';
import { moment } from '@tronada/gen';
import { appLog, Future } from '@tronada/ioloop';
import { expectLog, useTestLoop } from '@tronada/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Application, HTTPError, RequestHandler, streamRequestBody } from '../src/index.js';
import { useAsyncHTTPTestCase } from '../src/testing/index.js';

useTestLoop({ beforeEach, afterEach }, { clock: false });
const hooks = { beforeEach, afterEach };

/** A raw client connection: what was received so far, and a promise of everything up to close. */
interface RawClient {
  socket: net.Socket;
  closed: Promise<Buffer>;
}

function connectRaw(port: number, head: string): Promise<RawClient> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const closed = new Promise<Buffer>((done) => {
      socket.on('data', (chunk: Buffer) => chunks.push(chunk));
      socket.on('close', () => done(Buffer.concat(chunks)));
    });
    socket.once('error', reject);
    socket.once('connect', () => {
      socket.write(head);
      resolve({ socket, closed });
    });
  });
}

function chunkedHead(path: string, connectionClose: boolean): string {
  return `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n${connectionClose ? 'Connection: close\r\n' : ''}Transfer-Encoding: chunked\r\n\r\n`;
}

interface StreamProbe {
  prepared: Future<void>;
  data: Future<Buffer>;
  finished: Future<void>;
  closed: Future<void>;
}

class StreamingBodyHandler extends RequestHandler {
  static override streamRequestBody = true;
  probe!: StreamProbe;
  override initialize(kwargs: { probe: StreamProbe }): void {
    this.probe = kwargs.probe;
  }
  override prepare(): void {
    this.probe.prepared.setResult(undefined);
  }
  override dataReceived(chunk: Buffer): void {
    this.probe.data.setResult(chunk);
  }
  override get(): void {
    this.probe.finished.setResult(undefined);
    this.write({});
  }
}

class EarlyReturnHandler extends RequestHandler {
  override prepare(): void {
    // Finishing in prepare means dataReceived (not defined here) is never called.
    throw new HTTPError(401);
  }
}
streamRequestBody(EarlyReturnHandler);

class CloseDetectionHandler extends RequestHandler {
  probe!: StreamProbe;
  override initialize(kwargs: { probe: StreamProbe }): void {
    this.probe = kwargs.probe;
  }
  override onConnectionClose(): void {
    super.onConnectionClose();
    this.probe.closed.setResult(undefined);
  }
}
streamRequestBody(CloseDetectionHandler);

describe('StreamingRequestBodyTest', () => {
  let probe: StreamProbe;
  beforeEach(() => {
    probe = {
      prepared: new Future(),
      data: new Future(),
      finished: new Future(),
      closed: new Future(),
    };
  });
  const server = useAsyncHTTPTestCase(
    hooks,
    () =>
      new Application([
        [
          '/stream_body',
          StreamingBodyHandler,
          {
            get probe() {
              return probe;
            },
          },
        ],
        ['/early_return', EarlyReturnHandler],
        [
          '/close_detection',
          CloseDetectionHandler,
          {
            get probe() {
              return probe;
            },
          },
        ],
      ]),
  );
  const port = () => server.current.getHttpPort();

  it('runs prepare on the headers and hands each chunk to dataReceived as it arrives (StreamingRequestBodyTest.test_streaming_body)', async () => {
    const client = await connectRaw(port(), chunkedHead('/stream_body', true));
    await probe.prepared;
    client.socket.write('4\r\nasdf\r\n');
    expect((await probe.data).toString()).toBe('asdf');
    probe.data = new Future();
    client.socket.write('4\r\nqwer\r\n');
    expect((await probe.data).toString()).toBe('qwer');
    client.socket.write('0\r\n\r\n');
    await probe.finished;
    const response = (await client.closed).toString();
    expect(response.startsWith('HTTP/1.1 200')).toBe(true);
    expect(response.endsWith('{}')).toBe(true);
  });

  it('answers at once when prepare refuses, without waiting for a body (StreamingRequestBodyTest.test_early_return)', async () => {
    const client = await connectRaw(port(), chunkedHead('/early_return', false));
    const response = await client.closed;
    expect(response.toString().startsWith('HTTP/1.1 401')).toBe(true);
  });

  it('answers at once when prepare refuses, even with body data sent (StreamingRequestBodyTest.test_early_return_with_data)', async () => {
    const client = await connectRaw(port(), chunkedHead('/early_return', false));
    client.socket.write('4\r\nasdf\r\n');
    const response = await client.closed;
    expect(response.toString().startsWith('HTTP/1.1 401')).toBe(true);
  });

  it('calls onConnectionClose when the client goes away mid-upload (StreamingRequestBodyTest.test_close_during_upload)', async () => {
    const client = await connectRaw(port(), chunkedHead('/close_detection', false));
    await new Promise((resolve) => setImmediate(resolve));
    client.socket.end();
    await probe.closed;
    await client.closed;
  });
});

/**
 * Records the order of prepare, dataReceived and post; each yields to the loop before it is
 * done, and no method may start while another (but prepare) is running.
 */
abstract class BaseFlowControlHandler extends RequestHandler {
  static override streamRequestBody = true;
  methods: string[] = [];
  #inMethod: string | null = null;

  enter(method: string): void {
    if (this.#inMethod !== null) throw new Error(`entered ${method} while in ${this.#inMethod}`);
    this.#inMethod = method;
    this.methods.push(method);
  }
  leave(): void {
    this.#inMethod = null;
  }

  override *prepare(): Generator<unknown, void, unknown> {
    // An asynchronous prepare does not block dataReceived's bookkeeping, so it is not "entered".
    this.methods.push('prepare');
    yield moment;
  }

  override *post(): Generator<unknown, void, unknown> {
    this.enter('post');
    yield moment;
    this.leave();
    this.write({ methods: this.methods });
  }
}

class GeneratorFlowControlHandler extends BaseFlowControlHandler {
  override *dataReceived(): Generator<unknown, void, unknown> {
    this.enter('dataReceived');
    yield moment;
    this.leave();
  }
}

class AsyncFlowControlHandler extends BaseFlowControlHandler {
  override async dataReceived(): Promise<void> {
    this.enter('dataReceived');
    await new Promise((resolve) => setImmediate(resolve));
    this.leave();
  }
}

const EXPECTED_FLOW = {
  methods: ['prepare', 'dataReceived', 'dataReceived', 'dataReceived', 'post'],
};

for (const [name, Handler] of [
  ['DecoratedStreamingRequestFlowControlTest', GeneratorFlowControlHandler],
  ['NativeStreamingRequestFlowControlTest', AsyncFlowControlHandler],
] as const) {
  describe(name, () => {
    const server = useAsyncHTTPTestCase(hooks, () => new Application([['/', Handler]]), {
      // A small chunk size makes flow control matter even when the data arrives at once.
      serverOptions: { chunkSize: 10, decompressRequest: true },
    });

    it(`waits for each dataReceived of a fixed-length body (${name}.test_flow_control_fixed_body)`, async () => {
      const response = await server.current.fetch('/', {
        method: 'POST',
        body: 'abcdefghijklmnopqrstuvwxyz',
      });
      expect(response.code).toBe(200);
      expect(response.json()).toEqual(EXPECTED_FLOW);
    });

    it(`waits for each dataReceived of a chunked body (${name}.test_flow_control_chunked_body)`, async () => {
      const client = await connectRaw(
        server.current.getHttpPort(),
        'POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\n',
      );
      client.socket.write('4\r\nabcd\r\n4\r\nefgh\r\n4\r\nijkl\r\n0\r\n\r\n');
      const response = (await client.closed).toString();
      expect(response.startsWith('HTTP/1.1 200')).toBe(true);
      expect(JSON.parse(response.slice(response.indexOf('\r\n\r\n') + 4))).toEqual(EXPECTED_FLOW);
    });

    it(`waits for each dataReceived of a gzip body, decompressed in pieces (${name}.test_flow_control_compressed_body)`, async () => {
      const response = await server.current.fetch('/', {
        method: 'POST',
        body: gzipSync(Buffer.from('abcdefghijklmnopqrstuvwxyz')),
        headers: { 'Content-Encoding': 'gzip' },
      });
      expect(response.code).toBe(200);
      expect(response.json()).toEqual(EXPECTED_FLOW);
    });
  });
}

class LimitedUpload extends RequestHandler {
  static override streamRequestBody = true;
  received = 0;
  override prepare(): void {
    this.request.connection!.setMaxBodySize(Number(this.getQueryArgument('limit')));
  }
  override dataReceived(chunk: Buffer): void {
    this.received += chunk.length;
  }
  override put(): void {
    this.write(`received ${this.received}`);
  }
}

describe('per-handler body size limit in streaming mode (beyond Tornado tests)', () => {
  const server = useAsyncHTTPTestCase(hooks, () => new Application([['/upload', LimitedUpload]]), {
    serverOptions: { maxBodySize: 100 },
  });

  it('accepts a body above the server limit when prepare raises it', async () => {
    const response = await server.current.fetch('/upload?limit=1000', {
      method: 'PUT',
      body: 'x'.repeat(500),
    });
    expect(response.code).toBe(200);
    expect(response.text).toBe('received 500');
  });

  it('refuses a body above the limit prepare lowered it to with a 413', async () => {
    const response = await server.current.fetch('/upload?limit=10', {
      method: 'PUT',
      body: 'x'.repeat(50),
    });
    expect(response.code).toBe(413);
    expect(response.text).not.toContain('received');
  });
});

describe('connection close notifications (beyond Tornado tests)', () => {
  let closes: string[] = [];
  let reached = new Future<void>();
  beforeEach(() => {
    closes = [];
    reached = new Future<void>();
  });
  class SlowHandler extends RequestHandler {
    override async post(): Promise<void> {
      reached.setResult(undefined);
      // Never answers: the client gives up first.
      await new Future<void>();
    }
    override onConnectionClose(): void {
      super.onConnectionClose();
      closes.push(`${this.constructor.name} ${this.request.body.toString()}`);
    }
  }
  class SlowStreamingHandler extends SlowHandler {
    static override streamRequestBody = true;
    override dataReceived(): void {}
  }
  class NeverCalled extends RequestHandler {
    override post(): void {
      closes.push('post called');
    }
  }
  const server = useAsyncHTTPTestCase(
    hooks,
    () =>
      new Application([
        ['/slow', SlowHandler],
        ['/slow_streaming', SlowStreamingHandler],
        ['/buffered', NeverCalled],
      ]),
  );
  const post = (path: string, body: string) =>
    `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: ${body.length}\r\n\r\n${body}`;

  for (const [path, name] of [
    ['/slow', 'SlowHandler'],
    ['/slow_streaming', 'SlowStreamingHandler'],
  ] as const) {
    it(`calls onConnectionClose once when the client leaves while ${name} runs`, async () => {
      const client = await connectRaw(server.current.getHttpPort(), post(path, 'abc'));
      await reached;
      client.socket.end();
      await client.closed;
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(closes).toEqual([
        name === 'SlowHandler' ? 'SlowHandler abc' : 'SlowStreamingHandler ',
      ]);
    });
  }

  it('runs no handler when the client leaves during a buffered upload', async () => {
    const client = await connectRaw(
      server.current.getHttpPort(),
      'POST /buffered HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 10\r\n\r\nabc',
    );
    await new Promise((resolve) => setImmediate(resolve));
    client.socket.end();
    await client.closed;
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(closes).toEqual([]);
  });
});

describe('errors in dataReceived (beyond Tornado tests)', () => {
  let posted = 0;
  beforeEach(() => {
    posted = 0;
  });
  class FailingUpload extends RequestHandler {
    static override streamRequestBody = true;
    override dataReceived(chunk: Buffer): unknown {
      if (this.getQueryArgument('async', null) === null) throw new RangeError(`refused ${chunk}`);
      return Promise.reject(new RangeError(`refused later ${chunk}`));
    }
    override post(): void {
      posted++;
      this.write('posted');
    }
  }
  const server = useAsyncHTTPTestCase(hooks, () => new Application([['/', FailingUpload]]));

  for (const query of ['', '?async=1']) {
    it(`answers 500 and skips the verb method when dataReceived fails${query ? ' asynchronously' : ''}`, async () => {
      const response = await expectLog(appLog, /Uncaught exception POST .*refused/s, () =>
        server.current.fetch(`/${query}`, { method: 'POST', body: 'abcd' }),
      );
      expect(response.code).toBe(500);
      // Give a (wrong) later call of post the time to happen.
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(posted).toBe(0);
    });
  }
});
