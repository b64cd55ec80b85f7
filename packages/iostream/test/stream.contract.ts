/**
 * The read/write contract every stream implementation passes (Tornado's TestReadWriteMixin):
 * one stream reads what the other writes. Each implementation's test file calls
 * `streamContract` with a function making its pairs; the reader is the first of the pair.
 */
import { createHash } from 'node:crypto';
import { coroutine } from '@tronada/gen';
import { genLog } from '@tronada/ioloop';
import { expectLog } from '@tronada/testing';
import { describe, expect, test } from 'vitest';
import { StreamClosedError, UnsatisfiableReadError } from '../src/errors.js';
import type { MakePair, StreamPair } from './stream-helpers.js';
import { closeAll, closeEvent, prng, turns, waitFor } from './stream-helpers.js';

const MB = 1024 * 1024;

/** Registers the contract's tests for one implementation. */
export function streamContract(name: string, makePair: MakePair): void {
  /** Runs `body` with a fresh pair and always closes it afterwards. */
  async function withPair(
    body: (pair: StreamPair) => Promise<void>,
    options?: Parameters<MakePair>[0],
  ): Promise<void> {
    const pair = await makePair(options);
    try {
      await body(pair);
    } finally {
      await closeAll(...pair);
    }
  }

  describe(`${name}: read/write contract`, () => {
    test('writing zero bytes resolves without looping', () =>
      withPair(async ([, ws]) => {
        const f = ws.write(new Uint8Array(0));
        expect(f.done()).toBe(true);
        await f;
      }));

    test('data read before the writer closed is followed by the rest after it closed', () =>
      withPair(async ([rs, ws]) => {
        void ws.write('12');
        const first = await rs.readBytes(1);
        ws.close();
        const second = await rs.readBytes(1);
        expect([first.toString(), second.toString()]).toEqual(['1', '2']);
      }));

    test('buffered data stays readable after the close reached the reader', () =>
      withPair(
        async ([rs, ws]) => {
          void ws.write(Buffer.alloc(512, 'A'));
          expect((await rs.readBytes(256)).equals(Buffer.alloc(256, 'A'))).toBe(true);
          ws.close();
          // Let the close propagate (Tornado sleeps 10 ms); the data is not lost to it.
          await turns(20);
          expect((await rs.readBytes(256)).equals(Buffer.alloc(256, 'A'))).toBe(true);
          await waitFor(() => rs.closed(), 'the reader to see the close');
        },
        { readChunkSize: 256 },
      ));

    test('readUntilClose after the writer closed gives what was not read yet', () =>
      withPair(async ([rs, ws]) => {
        void ws.write('1234');
        expect((await rs.readBytes(1)).toString()).toBe('1');
        ws.close();
        expect((await rs.readUntilClose()).toString()).toBe('234');
      }));

    test('a 4 MB readUntil arriving in 4096 writes completes in linear time', () =>
      withPair(async ([rs, ws]) => {
        const kb = Buffer.alloc(1024, 'A');
        for (let i = 0; i < 4096; i++) void ws.write(kb);
        void ws.write('\r\n');
        const data = await rs.readUntil('\r\n');
        expect(data.length).toBe(4096 * 1024 + 2);
      }));

    test('readUntil completes when the delimiter arrives with the close, after a larger packet (#2717)', () =>
      withPair(async ([rs, ws]) => {
        const read = rs.readUntil('done');
        await ws.write(Buffer.alloc(2048, 'x'));
        void ws.write('done');
        ws.close();
        expect((await read).length).toBe(2052);
      }));

    test('readUntil unsatisfied at close fails with StreamClosedError, not UnsatisfiableReadError', () =>
      withPair(async ([rs, ws]) => {
        const read = rs.readUntil('done');
        await ws.write(Buffer.alloc(2048, 'x'));
        void ws.write('foo');
        ws.close();
        await expect(read).rejects.toBeInstanceOf(StreamClosedError);
      }));

    test('the close callback runs even when a read is pending', () =>
      withPair(async ([rs, ws]) => {
        const closed = closeEvent(rs);
        void ws.write('OK\r\n');
        expect((await rs.readUntil('\r\n')).toString()).toBe('OK\r\n');
        ws.close();
        void rs.readUntil('\r\n');
        await closed.wait();
      }));

    test('the close callback runs after a completed read, once the writer closes', () =>
      withPair(async ([rs, ws]) => {
        let closes = 0;
        const closed = closeEvent(rs);
        const base = closed.set.bind(closed);
        rs.setCloseCallback(() => {
          closes++;
          base();
        });
        void ws.write('a');
        expect((await rs.readBytes(1)).toString()).toBe('a');
        expect(closes).toBe(0);
        ws.close();
        await closed.wait();
        await turns(3);
        expect(closes).toBe(1);
      }));

    test('a typed-array view is written as its bytes', () =>
      withPair(async ([rs, ws]) => {
        const read = rs.readBytes(4);
        const hello = Buffer.from('hello');
        void ws.write(new DataView(hello.buffer, hello.byteOffset, 5));
        expect((await read).toString()).toBe('hell');
      }));

    test('readBytes with partial returns what is there, at most n, and readBytes(0) is empty', () =>
      withPair(async ([rs, ws]) => {
        let read = rs.readBytes(50, { partial: true });
        void ws.write('hello');
        expect((await read).toString()).toBe('hello');
        read = rs.readBytes(3, { partial: true });
        void ws.write('world');
        expect((await read).toString()).toBe('wor');
        const empty = rs.readBytes(0, { partial: true });
        expect(empty.done()).toBe(true);
        expect((await empty).length).toBe(0);
      }));

    test('readUntil with maxBytes: within the limit it reads, past it the stream closes', () =>
      withPair(async ([rs, ws]) => {
        const closed = closeEvent(rs);
        let read = rs.readUntil('def', { maxBytes: 50 });
        void ws.write('abcdef');
        expect((await read).toString()).toBe('abcdef');
        read = rs.readUntil('def', { maxBytes: 6 });
        void ws.write('abcdef');
        expect((await read).toString()).toBe('abcdef');
        await expectLog(
          genLog,
          /Unsatisfiable read/,
          async () => {
            const failing = rs.readUntil('def', { maxBytes: 5 });
            void ws.write('123456');
            await closed.wait();
            const error = await failing.then(
              () => null,
              (e: unknown) => e,
            );
            expect(error).toBeInstanceOf(StreamClosedError);
            expect((error as StreamClosedError).realError).toBeInstanceOf(UnsatisfiableReadError);
            expect(rs.error).toBeInstanceOf(UnsatisfiableReadError);
          },
          { level: 'info' },
        );
      }));

    test('readUntil with maxBytes over buffered data fails through its Future, not by throwing', () =>
      withPair(async ([rs, ws]) => {
        const closed = closeEvent(rs);
        void ws.write('123456');
        await waitFor(() => rs.readBufferSize >= 6, 'the data to be buffered');
        await expectLog(
          genLog,
          /Unsatisfiable read/,
          async () => {
            const read = rs.readUntil('def', { maxBytes: 5 });
            expect(read.done()).toBe(true);
            await expect(read).rejects.toBeInstanceOf(StreamClosedError);
          },
          { level: 'info' },
        );
        await closed.wait();
      }));

    test('readUntil with maxBytes fails even when the delimiter arrives in the same packet', () =>
      withPair(async ([rs, ws]) => {
        const closed = closeEvent(rs);
        void ws.write('abcdef');
        await expectLog(
          genLog,
          /Unsatisfiable read/,
          async () => {
            void rs.readUntil('def', { maxBytes: 5 });
            await closed.wait();
          },
          { level: 'info' },
        );
      }));

    test('readUntilRegex with maxBytes: within the limit it reads, past it the stream closes', () =>
      withPair(async ([rs, ws]) => {
        const closed = closeEvent(rs);
        let read = rs.readUntilRegex(/def/, { maxBytes: 50 });
        void ws.write('abcdef');
        expect((await read).toString()).toBe('abcdef');
        read = rs.readUntilRegex(/def/, { maxBytes: 6 });
        void ws.write('abcdef');
        expect((await read).toString()).toBe('abcdef');
        await expectLog(
          genLog,
          /Unsatisfiable read/,
          async () => {
            void rs.readUntilRegex(/def/, { maxBytes: 5 });
            void ws.write('123456');
            await closed.wait();
          },
          { level: 'info' },
        );
      }));

    test('readUntilRegex with maxBytes over buffered data closes the stream', () =>
      withPair(async ([rs, ws]) => {
        const closed = closeEvent(rs);
        void ws.write('123456');
        await waitFor(() => rs.readBufferSize >= 6, 'the data to be buffered');
        await expectLog(
          genLog,
          /Unsatisfiable read/,
          async () => {
            void rs.readUntilRegex(/def/, { maxBytes: 5 });
            await closed.wait();
          },
          { level: 'info' },
        );
      }));

    test('readUntilRegex with maxBytes fails even when the match arrives in the same packet', () =>
      withPair(async ([rs, ws]) => {
        const closed = closeEvent(rs);
        void ws.write('abcdef');
        await expectLog(
          genLog,
          /Unsatisfiable read/,
          async () => {
            void rs.readUntilRegex(/def/, { maxBytes: 5 });
            await closed.wait();
          },
          { level: 'info' },
        );
      }));

    test('small reads from a large backlog do not overflow a small maxBufferSize', () =>
      withPair(
        async ([rs, ws]) => {
          void ws.write(Buffer.alloc(100 * 1024, 'a'));
          for (let i = 0; i < 100; i++) {
            expect((await rs.readBytes(1024)).equals(Buffer.alloc(1024, 'a'))).toBe(true);
          }
        },
        { maxBufferSize: 10 * 1024 },
      ));

    test('small readUntils from a large backlog do not overflow a small maxBufferSize', () =>
      withPair(
        async ([rs, ws]) => {
          const line = Buffer.concat([Buffer.alloc(1023, 'a'), Buffer.from('\n')]);
          void ws.write(Buffer.concat(Array.from({ length: 100 }, () => line)));
          for (let i = 0; i < 100; i++) {
            expect((await rs.readUntil('\n', { maxBytes: 4096 })).equals(line)).toBe(true);
          }
        },
        { maxBufferSize: 10 * 1024 },
      ));

    test('flow control: a writer ahead of a slow reader waits instead of filling memory', () =>
      withPair(
        async ([rs, ws]) => {
          const written = ws.write(Buffer.alloc(10 * MB, 'a'));
          await rs.readBytes(MB);
          await turns(50);
          // The writer is held back and the reader buffers about one read-ahead, not 9 MB.
          expect(written.done()).toBe(false);
          expect(rs.readBufferSize).toBeLessThan(MB);
          for (let i = 0; i < 9; i++) await rs.readBytes(MB);
          await written;
        },
        { maxBufferSize: 5 * MB },
      ));

    test('readInto fills the caller’s buffer, using buffered data first', () =>
      withPair(async ([rs, ws]) => {
        let buf = Buffer.alloc(10);
        let read = rs.readInto(buf);
        await ws.write('hello');
        await turns(5);
        expect(rs.reading()).toBe(true);
        void ws.write('world!!');
        expect(await read).toBe(10);
        expect(rs.reading()).toBe(false);
        expect(buf.toString()).toBe('helloworld');

        read = rs.readInto(buf);
        await turns(5);
        expect(rs.reading()).toBe(true);
        void ws.write('1234567890');
        expect(await read).toBe(10);
        expect(rs.reading()).toBe(false);
        expect(buf.toString()).toBe('!!12345678');

        buf = Buffer.alloc(4);
        void ws.write('abcdefghi');
        await waitFor(() => rs.readBufferSize >= 11, 'the data to be buffered');
        read = rs.readInto(buf);
        expect(read.done()).toBe(true);
        expect(await read).toBe(4);
        expect(buf.toString()).toBe('90ab');
        expect((await rs.readBytes(7)).toString()).toBe('cdefghi');
      }));

    test('readInto with partial resolves with what arrived, up to the buffer’s length', () =>
      withPair(async ([rs, ws]) => {
        const buf = Buffer.alloc(10);
        const read = rs.readInto(buf, { partial: true });
        void ws.write('hello');
        expect(await read).toBe(5);
        expect(rs.reading()).toBe(false);
        expect(buf.equals(Buffer.from('hello\0\0\0\0\0', 'latin1'))).toBe(true);

        void ws.write('world!1234567890');
        await waitFor(() => rs.readBufferSize >= 16, 'the data to be buffered');
        expect(await rs.readInto(buf, { partial: true })).toBe(10);
        expect(buf.toString()).toBe('world!1234');
        expect(await rs.readInto(buf, { partial: true })).toBe(6);
        expect(buf.toString()).toBe('5678901234');
      }));

    test('readInto an empty buffer resolves with 0 at once', () =>
      withPair(async ([rs]) => {
        const read = rs.readInto(Buffer.alloc(0));
        expect(read.done()).toBe(true);
        expect(read.result()).toBe(0);
      }));

    test('mixed readBytes and readInto of random sizes lose and duplicate nothing', () =>
      withPair(async ([rs, ws]) => {
        const total = 1_000_000;
        const random = prng(42);
        const size = (remaining: number): number =>
          1 + Math.floor(random() * Math.min(1000, remaining));
        const produced = createHash('sha1');
        const consumed = createHash('sha1');
        const produce = coroutine(function* () {
          for (let remaining = total; remaining > 0; ) {
            const data = Buffer.alloc(size(remaining));
            for (let i = 0; i < data.length; i++) data[i] = Math.floor(random() * 256);
            produced.update(data);
            yield ws.write(data);
            remaining -= data.length;
          }
        });
        const consume = coroutine(function* () {
          for (let remaining = total; remaining > 0; ) {
            const n = size(remaining);
            if (random() > 0.5) {
              const data = yield* rs.readBytes(n);
              consumed.update(data);
            } else {
              const buf = Buffer.alloc(n);
              expect(yield* rs.readInto(buf)).toBe(n);
              consumed.update(buf);
            }
            remaining -= n;
          }
        });
        await Promise.all([produce(), consume()]);
        expect(consumed.digest('hex')).toBe(produced.digest('hex'));
      }));
  });
}
