/**
 * BaseIOStream over the in-memory pair and a scripted transport: the read/write contract, and
 * the model's details (inline completion, one read at a time, closing, limits, flow control,
 * legacy callbacks, async iteration). No sockets, no sleeps.
 */
import { coroutine } from '@tronada/gen';
import { appLog, Future, genLog } from '@tronada/ioloop';
import { expectLog } from '@tronada/testing';
import { describe, expect, test } from 'vitest';
import type { IOStreamOptions } from '../src/base-iostream.js';
import { BaseIOStream } from '../src/base-iostream.js';
import {
  AlreadyReadingError,
  StreamBufferFullError,
  StreamClosedError,
  UnsatisfiableReadError,
} from '../src/errors.js';
import { memoryStreamPair } from '../src/memory-stream.js';
import type { Transport, TransportSink } from '../src/transport.js';
import { streamContract } from './stream.contract.js';
import { closeAll, closeEvent, memoryPair, turns, useStreamTestLoop } from './stream-helpers.js';

const loop = useStreamTestLoop();

streamContract('memoryStreamPair', memoryPair);

/** A transport driven by the test: it records calls and lets the test emit events. */
class ScriptedTransport implements Transport {
  sink: TransportSink | null = null;
  readonly writes: Array<{ data: string; sink: TransportSink | null }> = [];
  paused = false;
  destroyed = false;
  noDelay: boolean | null = null;

  attach(sink: TransportSink): void {
    this.sink = sink;
  }
  detach(): void {
    this.sink = null;
  }
  /** Writes whose data starts with '!' count as handed to the kernel at once. */
  write(data: Uint8Array | string): boolean {
    const text = Buffer.from(data).toString('latin1');
    if (text.startsWith('!')) return true;
    this.writes.push({ data: text, sink: this.sink });
    return false;
  }
  pause(): void {
    this.paused = true;
  }
  resume(): void {
    this.paused = false;
  }
  destroy(): void {
    this.destroyed = true;
  }
  ended = false;
  end(): void {
    this.ended = true;
  }
  setNoDelay(value: boolean): void {
    this.noDelay = value;
  }
  /** Delivers `data` as one chunk. */
  push(data: string): void {
    this.sink?.data(Buffer.from(data, 'latin1'));
  }
  /** Completes the oldest pending write. */
  flush(error?: Error): void {
    this.writes.shift()?.sink?.written(error ?? null);
  }
}

class ScriptedStream extends BaseIOStream {
  fileno(): null {
    return null;
  }
}

function scripted(options: IOStreamOptions = {}): [ScriptedStream, ScriptedTransport] {
  const transport = new ScriptedTransport();
  return [new ScriptedStream(transport, options), transport];
}

describe('reads', () => {
  test('a read the buffer satisfies returns a Future that is already done', () => {
    const [stream, t] = scripted();
    t.push('line one\r\nline two\r\n');
    const f = stream.readUntil('\r\n');
    expect(f.done()).toBe(true);
    expect(f.result().toString()).toBe('line one\r\n');
    expect(stream.readBytes(4).result().toString()).toBe('line');
    expect(stream.readUntilRegex(/\r\n/).result().toString()).toBe(' two\r\n');
    stream.close();
  });

  test('a coroutine reading buffered lines runs to the end without waiting for a turn', () => {
    const [stream, t] = scripted();
    t.push('a\nb\nc\n');
    const lines = coroutine(function* () {
      const out: string[] = [];
      for (let i = 0; i < 3; i++) out.push((yield* stream.readUntil('\n')).toString());
      return out;
    })();
    expect(lines.done()).toBe(true);
    expect(lines.result()).toEqual(['a\n', 'b\n', 'c\n']);
    stream.close();
  });

  test('a read completes when the data arrives, across any number of chunks', async () => {
    const [stream, t] = scripted();
    const f = stream.readUntil('\r\n\r\n');
    for (const piece of ['GET / HTTP/1.1\r', '\nHost: x\r\n', '\r', '\nbody']) {
      expect(f.done()).toBe(false);
      t.push(piece);
    }
    expect((await f).toString()).toBe('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(stream.readBufferSize).toBe(4);
    stream.close();
  });

  test('readUntilRegex matches against the unread data only, as latin1 text', async () => {
    const [stream, t] = scripted();
    t.push('xx12;');
    expect((await stream.readBytes(2)).toString()).toBe('xx');
    const f = stream.readUntilRegex(/^\d+;/);
    expect(f.result().toString()).toBe('12;');
    t.push('\xff\xfe!');
    expect(stream.readUntilRegex('[\\xfe]').result()).toEqual(Buffer.from([0xff, 0xfe]));
    stream.close();
  });

  test('readUntilRegex leaves the caller’s regex untouched', () => {
    const [stream, t] = scripted();
    const regex = /;/g;
    regex.lastIndex = 3;
    t.push('a;b;');
    expect(stream.readUntilRegex(regex).result().toString()).toBe('a;');
    expect(regex.lastIndex).toBe(3);
    stream.close();
  });

  test('a second read while one is pending throws AlreadyReadingError', () => {
    const [stream] = scripted();
    const first = stream.readBytes(1);
    expect(() => stream.readUntil('\n')).toThrow(AlreadyReadingError);
    expect(stream.reading()).toBe(true);
    stream.close();
    expect(() => first.result()).toThrow(StreamClosedError);
  });

  test('a read on a closed stream with nothing to satisfy it throws StreamClosedError at once', () => {
    const [stream, t] = scripted();
    t.push('ab');
    stream.close();
    expect(() => stream.readBytes(3)).toThrow(StreamClosedError);
    expect(stream.readBytes(2).result().toString()).toBe('ab');
    expect(stream.readUntilClose().result().length).toBe(0);
  });

  test('readBytes rejects a negative or fractional count', () => {
    const [stream] = scripted();
    expect(() => stream.readBytes(-1)).toThrow(RangeError);
    expect(() => stream.readBytes(1.5)).toThrow(RangeError);
    expect(stream.reading()).toBe(false);
    stream.close();
  });

  test('readBytes with a streamingCallback delivers chunks and resolves empty after n bytes', async () => {
    const [stream, t] = scripted();
    const chunks: string[] = [];
    t.push('ab');
    const f = stream.readBytes(6, { streamingCallback: (c) => chunks.push(c.toString()) });
    t.push('cd');
    t.push('efgh');
    expect((await f).length).toBe(0);
    expect(chunks).toEqual(['ab', 'cd', 'ef']);
    expect(stream.readBytes(2).result().toString()).toBe('gh');
    stream.close();
  });

  test('readUntilClose with a streamingCallback delivers everything, then resolves empty', async () => {
    const [stream, t] = scripted();
    const chunks: string[] = [];
    const f = stream.readUntilClose({ streamingCallback: (c) => chunks.push(c.toString()) });
    t.push('one');
    t.push('two');
    t.sink?.end();
    expect((await f).length).toBe(0);
    expect(chunks).toEqual(['one', 'two']);
  });

  test('a streamingCallback that throws closes the stream and is logged', async () => {
    const [stream, t] = scripted();
    const boom = new Error('boom');
    const f = stream.readUntilClose({
      streamingCallback: () => {
        throw boom;
      },
    });
    await expectLog(appLog, /streamingCallback/, async () => {
      t.push('x');
      await expect(f).rejects.toBeInstanceOf(StreamClosedError);
    });
    expect(stream.closed()).toBe(true);
    expect(stream.error).toBe(boom);
  });

  test('legacy callbacks run on the loop with the result, and not on failure', async () => {
    const [stream, t] = scripted();
    const seen: unknown[] = [];
    void stream.readUntil('\n', (data) => seen.push(data.toString()));
    t.push('hi\n12345');
    void stream.readBytes(0, { partial: true }, (data) => seen.push(data.length));
    void stream.readBytes(2, null, (data) => seen.push(data.toString()));
    void stream.readInto(Buffer.alloc(3), (n) => seen.push(n));
    void stream.write('out', () => seen.push('written'));
    t.flush();
    await turns(3);
    expect(seen).toEqual(['hi\n', 0, '12', 3, 'written']);
    void stream.readBytes(10, (data) => seen.push(data));
    stream.close();
    await turns(3);
    expect(seen).toHaveLength(5);
  });

  test('async iteration yields the chunks and ends when the peer closes', async () => {
    const [a, b] = memoryStreamPair({ chunkSize: 4 });
    void a.write('0123456789');
    a.close();
    const chunks: string[] = [];
    for await (const chunk of b) chunks.push(chunk.toString());
    expect(chunks.join('')).toBe('0123456789');
    expect(chunks.length).toBeGreaterThan(1);
    await closeAll(a, b);
  });

  test('async iteration throws the StreamClosedError of a close caused by an error', async () => {
    const [stream, t] = scripted();
    const seen: string[] = [];
    const run = (async () => {
      for await (const chunk of stream) seen.push(chunk.toString());
    })();
    t.push('a');
    await turns(1);
    const reset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    t.sink?.error(reset);
    const error = await run.then(
      () => null,
      (e: unknown) => e,
    );
    expect(seen).toEqual(['a']);
    expect((error as StreamClosedError).realError).toBe(reset);
  });

  test('breaking out of the iteration leaves the stream open for other reads', async () => {
    const [stream, t] = scripted({ readChunkSize: 2 });
    t.push('abcdef');
    for await (const chunk of stream) {
      expect(chunk.toString()).toBe('ab');
      break;
    }
    expect(stream.closed()).toBe(false);
    expect(stream.readBytes(4).result().toString()).toBe('cdef');
    stream.close();
  });
});

describe('readChunk (reads without a Future)', () => {
  function receiver() {
    const got: string[] = [];
    const failures: unknown[] = [];
    return {
      got,
      failures,
      chunkRead(chunk: Buffer) {
        got.push(chunk.toString('latin1'));
      },
      chunkReadFailed(error: StreamClosedError) {
        failures.push(error);
      },
    };
  }

  test('hands buffered bytes over inside the call, at most the number asked for', () => {
    const [stream, t] = scripted();
    t.push('abcdef');
    const r = receiver();
    stream.readChunk(4, r);
    expect(r.got).toEqual(['abcd']);
    expect(stream.reading()).toBe(false);
    stream.readChunk(4, r);
    expect(r.got).toEqual(['abcd', 'ef']);
    stream.close();
  });

  test('hands bytes over as they arrive; the receiver may read again from inside', () => {
    const [stream, t] = scripted();
    const got: string[] = [];
    const again = {
      chunkRead(chunk: Buffer) {
        got.push(chunk.toString('latin1'));
        if (got.length < 2) stream.readChunk(64, again);
      },
      chunkReadFailed() {},
    };
    stream.readChunk(64, again);
    expect(stream.reading()).toBe(true);
    t.push('one');
    expect(got).toEqual(['one']);
    expect(stream.reading()).toBe(true);
    t.push('two');
    expect(got).toEqual(['one', 'two']);
    expect(stream.reading()).toBe(false);
    stream.close();
  });

  test('a close fails the pending read with StreamClosedError, after close() returned', async () => {
    const [stream] = scripted();
    const r = receiver();
    stream.readChunk(16, r);
    stream.close();
    expect(r.failures).toEqual([]);
    await Promise.resolve();
    expect(r.failures).toHaveLength(1);
    expect(r.failures[0]).toBeInstanceOf(StreamClosedError);
    expect(() => stream.readChunk(16, r)).toThrow(StreamClosedError);
  });

  test('cancelChunkRead abandons the read: later bytes wait for the next read', () => {
    const [stream, t] = scripted();
    const r = receiver();
    stream.readChunk(16, r);
    stream.cancelChunkRead(r);
    expect(stream.reading()).toBe(false);
    t.push('kept');
    expect(r.got).toEqual([]);
    expect(stream.readBytes(4).result().toString()).toBe('kept');
    stream.close();
  });

  test('one read at a time, and the size must be a positive integer', () => {
    const [stream] = scripted();
    const pending = stream.readBytes(3);
    expect(() => stream.readChunk(8, receiver())).toThrow(AlreadyReadingError);
    pending.cancel();
    expect(() => stream.readChunk(0, receiver())).toThrow(RangeError);
    stream.close();
  });
});

describe('closing', () => {
  test('pending reads fail with StreamClosedError carrying the cause, then the close callback runs once', async () => {
    const [stream] = scripted();
    const order: string[] = [];
    stream.setCloseCallback(() => order.push('close callback'));
    const read = stream.readBytes(10);
    read.addDoneCallback(() => order.push('read failed'));
    const cause = new Error('cause');
    stream.close(cause);
    stream.close();
    await turns(3);
    expect(order).toEqual(['read failed', 'close callback']);
    expect(read.exception()).toBeInstanceOf(StreamClosedError);
    expect((read.exception() as StreamClosedError).realError).toBe(cause);
    expect(stream.error).toBe(cause);
  });

  test('a pending read the buffer can satisfy still resolves when the peer closes', async () => {
    const [stream, t] = scripted();
    t.push('ab');
    const read = stream.readBytes(2);
    expect(read.done()).toBe(true);
    const next = stream.readUntil('!');
    t.push('xyz!');
    t.sink?.end();
    expect((await next).toString()).toBe('xyz!');
  });

  test('readUntilClose resolves with what remains when the peer closes', async () => {
    const [stream, t] = scripted();
    const f = stream.readUntilClose();
    t.push('a');
    t.push('bc');
    expect(f.done()).toBe(false);
    t.sink?.end();
    expect((await f).toString()).toBe('abc');
    expect(stream.closed()).toBe(true);
    expect(stream.error).toBeNull();
    expect(t.destroyed).toBe(true);
  });

  test('close() lets bytes already written finish sending, and their Futures resolve', async () => {
    const [stream, t] = scripted();
    const w1 = stream.write('one');
    const w2 = stream.write('two');
    t.flush();
    stream.close();
    expect(t.ended).toBe(true);
    expect(t.destroyed).toBe(false);
    expect(() => stream.write('three')).toThrow(StreamClosedError);
    t.flush();
    await w1;
    await w2;
    expect(stream.writing()).toBe(false);
  });

  test('close(error) drops unsent bytes and fails their Futures, and nobody has to await them', async () => {
    const [stream, t] = scripted();
    const w1 = stream.write('one');
    const abort = new Error('abort');
    stream.close(abort);
    expect(t.destroyed).toBe(true);
    expect((w1.exception() as StreamClosedError).realError).toBe(abort);
    const [other, t2] = scripted();
    const w2 = other.write('two');
    other.close();
    other.close(abort);
    expect(t2.destroyed).toBe(true);
    await expect(w2).rejects.toBeInstanceOf(StreamClosedError);
    await turns(2);
  });

  test('a transport error closes the stream, logs a warning and reaches pending reads', async () => {
    const [stream, t] = scripted();
    const read = stream.readBytes(1);
    const failure = new Error('disk on fire');
    await expectLog(genLog, /Error on stream.*disk on fire/, async () => {
      t.sink?.error(failure);
      t.sink?.error(failure);
      await expect(read).rejects.toThrow(/disk on fire/);
    });
    expect(stream.error).toBe(failure);
  });

  test('a connection reset closes the stream quietly', async () => {
    const [stream, t] = scripted();
    const closed = closeEvent(stream);
    const reset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    t.sink?.error(reset);
    await closed.wait();
    expect(stream.error).toBe(reset);
  });

  test('a close callback set after the close still runs, once', async () => {
    const [stream] = scripted();
    stream.close();
    let calls = 0;
    stream.setCloseCallback(() => calls++);
    await turns(2);
    expect(calls).toBe(1);
  });

  test('setCloseCallback(null) removes the callback', async () => {
    const [stream] = scripted();
    let calls = 0;
    stream.setCloseCallback(() => calls++);
    stream.setCloseCallback(null);
    stream.close();
    await turns(2);
    expect(calls).toBe(0);
  });

  test('a write error closes the stream with that error', async () => {
    const [stream, t] = scripted();
    const w = stream.write('data');
    const reset = Object.assign(new Error('write EPIPE'), { code: 'EPIPE' });
    t.flush(reset);
    await expect(w).rejects.toBeInstanceOf(StreamClosedError);
    expect(stream.error).toBe(reset);
  });
});

describe('writes', () => {
  test('writes resolve in order as the transport reports them flushed', async () => {
    const [stream, t] = scripted();
    const order: number[] = [];
    const futures = [1, 2, 3].map((i) => {
      const f = stream.write(`w${i}`);
      f.addDoneCallback(() => order.push(i));
      return f;
    });
    expect(stream.writing()).toBe(true);
    const empty = stream.write('');
    expect(empty.done()).toBe(false);
    t.flush();
    t.flush();
    await turns(1);
    expect(order).toEqual([1, 2]);
    t.flush();
    await Promise.all(futures);
    await empty;
    expect(stream.writing()).toBe(false);
    expect(t.writes).toHaveLength(0);
    stream.close();
  });

  test('a write the transport hands to the kernel at once resolves on return', () => {
    const [stream, t] = scripted();
    const f = stream.write('!now');
    expect(f.done()).toBe(true);
    expect(stream.writing()).toBe(false);
    const later = stream.write('later');
    expect(later.done()).toBe(false);
    t.flush();
    stream.close();
  });

  test('maxWriteBufferSize: a write past the limit throws StreamBufferFullError and writes nothing', () => {
    const [stream, t] = scripted({ maxWriteBufferSize: 10 });
    void stream.write('12345678');
    expect(() => stream.write('abc')).toThrow(StreamBufferFullError);
    expect(t.writes).toHaveLength(1);
    t.flush();
    void stream.write('abcdefghij');
    stream.close();
  });

  test('setNodelay reaches the transport', () => {
    const [stream, t] = scripted();
    stream.setNodelay(true);
    expect(t.noDelay).toBe(true);
    stream.close();
  });
});

describe('a stream whose transport comes later', () => {
  class LateStream extends BaseIOStream {
    fileno(): null {
      return null;
    }
    attach(transport: Transport): void {
      this.attachTransport(transport);
    }
  }

  test('reads wait and writes queue until the transport is attached', async () => {
    const stream = new LateStream(null);
    const read = stream.readBytes(2);
    const written = stream.write('queued');
    const t = new ScriptedTransport();
    stream.attach(t);
    expect(t.writes.map((w) => w.data)).toEqual(['queued']);
    t.flush();
    t.push('ok');
    expect((await read).toString()).toBe('ok');
    await written;
    stream.close();
  });
});

describe('limits and flow control', () => {
  test('a read needing more than maxBufferSize closes the stream with StreamBufferFullError', async () => {
    const [stream, t] = scripted({ maxBufferSize: 100 });
    const f = stream.readUntil('\n');
    await expectLog(genLog, /Reached maximum read buffer size/, async () => {
      t.push('x'.repeat(60));
      t.push('x'.repeat(60));
      await expect(f).rejects.toBeInstanceOf(StreamClosedError);
    });
    expect(stream.error).toBeInstanceOf(StreamBufferFullError);
    expect((f.exception() as StreamClosedError).realError).toBe(stream.error);
  });

  test('readUntilClose past maxBufferSize fails instead of resolving with truncated data', async () => {
    const [stream, t] = scripted({ maxBufferSize: 100 });
    const f = stream.readUntilClose();
    await expectLog(genLog, /Reached maximum read buffer size/, async () => {
      t.push('y'.repeat(101));
      await expect(f).rejects.toBeInstanceOf(StreamClosedError);
    });
  });

  test('a read started over an already oversized backlog fails at once', async () => {
    const [stream, t] = scripted({ maxBufferSize: 10 });
    t.push('z'.repeat(30));
    expect(stream.readBytes(5).result().toString()).toBe('zzzzz');
    await expectLog(genLog, /Reached maximum read buffer size/, async () => {
      const f = stream.readUntil('\n');
      expect(f.done()).toBe(true);
      await expect(f).rejects.toBeInstanceOf(StreamClosedError);
    });
  });

  test('maxBytes beyond the data closes with UnsatisfiableReadError only past the limit', async () => {
    const [stream, t] = scripted();
    const f = stream.readUntil('END', { maxBytes: 8 });
    t.push('12345');
    t.push('678');
    expect(stream.closed()).toBe(false);
    await expectLog(
      genLog,
      /Unsatisfiable read.*"END" not found within 8 bytes/,
      async () => {
        t.push('9');
        await expect(f).rejects.toBeInstanceOf(StreamClosedError);
      },
      { level: 'info' },
    );
    expect(stream.error).toBeInstanceOf(UnsatisfiableReadError);
  });

  test('with no read pending the stream pauses at readChunkSize and resumes when a read needs data', () => {
    const [stream, t] = scripted({ readChunkSize: 10 });
    t.push('12345');
    expect(t.paused).toBe(false);
    t.push('67890');
    expect(t.paused).toBe(true);
    expect(stream.readBytes(3).result().toString()).toBe('123');
    expect(t.paused).toBe(false);
    t.push('abcdef');
    expect(t.paused).toBe(true);
    const big = stream.readBytes(20);
    expect(t.paused).toBe(false);
    expect(big.done()).toBe(false);
    stream.close();
  });

  test('readChunkSize is capped at half of maxBufferSize', () => {
    const [stream] = scripted({ maxBufferSize: 1000, readChunkSize: 900 });
    expect(stream.readChunkSize).toBe(500);
    expect(stream.maxWriteBufferSize).toBeNull();
    stream.close();
  });

  test('a reader that stops reading holds back the writer of the memory pair', async () => {
    const [a, b] = memoryStreamPair({ bufferSize: 1024, readChunkSize: 512 });
    const big = a.write(Buffer.alloc(100 * 1024));
    await turns(20);
    expect(big.done()).toBe(false);
    expect(b.readBufferSize).toBeLessThanOrEqual(512 + 1024);
    const all = await b.readBytes(100 * 1024);
    expect(all.length).toBe(100 * 1024);
    await big;
    await closeAll(a, b);
  });
});

describe('memoryStreamPair', () => {
  test('delivers writes in a later turn and ends the peer after the data when closed', async () => {
    const [a, b] = memoryStreamPair();
    const read = b.readBytes(5);
    void a.write('hello');
    expect(read.done()).toBe(false);
    expect((await read).toString()).toBe('hello');
    const closed = closeEvent(b);
    void a.write('bye');
    a.close();
    expect((await b.readUntilClose()).toString()).toBe('bye');
    await closed.wait();
    expect(b.error).toBeNull();
  });

  test('a write racing the peer’s close fails, and the stream closes quietly', async () => {
    const [a, b] = memoryStreamPair();
    const closed = closeEvent(a);
    b.close();
    await expect(a.write('x')).rejects.toBeInstanceOf(StreamClosedError);
    await closed.wait();
    expect(() => a.write('y')).toThrow(StreamClosedError);
  });

  test('a memory transport whose peer is gone reports a broken pipe to writes', async () => {
    const [a, b] = memoryStreamPair();
    const t = (a as unknown as { transport: Transport }).transport;
    b.close();
    const error = await new Promise<Error | null>((resolve) => {
      const ignore = (): void => {};
      t.attach({ data: ignore, end: ignore, error: ignore, close: ignore, written: resolve });
      expect(t.write('x')).toBe(false);
    });
    expect(error).toMatchObject({ code: 'EPIPE' });
    await closeAll(a, b);
  });

  test('the loop of the streams is the current loop at creation', async () => {
    const [a, b] = memoryStreamPair();
    expect(a.ioLoop).toBe(loop.testLoop.loop);
    expect(a.fileno()).toBeNull();
    await closeAll(a, b);
  });

  test('cancelling a pending read abandons it without losing data', async () => {
    const [a, b] = memoryStreamPair();
    const read = b.readBytes(3);
    read.cancel();
    expect(b.reading()).toBe(false);
    void a.write('abcdef');
    expect((await b.readBytes(3)).toString()).toBe('abc');
    expect(read.cancelled()).toBe(true);
    expect(read).toBeInstanceOf(Future);
    await closeAll(a, b);
  });
});
