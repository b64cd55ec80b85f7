/**
 * StreamBuffer: append / peek / advance / consume against the plain concatenation of what was
 * appended (Tornado's TestStreamBuffer, as a fast-check model test), and delimiter search across
 * chunk boundaries.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { StreamBuffer } from '../src/stream-buffer.js';

const bytes = (s: string): Buffer => Buffer.from(s, 'latin1');

/** Checks, as Tornado's check_peek does, that peeks of growing sizes are non-empty prefixes. */
function checkPeek(buf: StreamBuffer, expected: Buffer): void {
  for (let size = 1; size < 2 * expected.length; size = Math.floor((size * 3 + 1) / 2)) {
    const got = buf.peek(size);
    expect(got.length).toBeGreaterThan(0);
    expect(got.length).toBeLessThanOrEqual(size);
    expect(expected.subarray(0, got.length).equals(got)).toBe(true);
  }
}

function appendAllThenSkipAll(objs: string[], advances: (rest: number) => number): void {
  const buf = new StreamBuffer();
  let expected = Buffer.alloc(0);
  for (const o of objs) {
    expected = Buffer.concat([expected, bytes(o)]);
    buf.append(bytes(o));
    expect(buf.size).toBe(expected.length);
    checkPeek(buf, expected);
  }
  while (expected.length > 0) {
    const n = advances(expected.length);
    expected = expected.subarray(n);
    buf.advance(n);
    expect(buf.size).toBe(expected.length);
    checkPeek(buf, expected);
  }
  expect(buf.size).toBe(0);
  expect(buf.peek(10).length).toBe(0);
}

describe('StreamBuffer (Tornado TestStreamBuffer)', () => {
  test('small chunks: every peek is a prefix and advancing drops exactly n bytes', () => {
    const objs = ['12', '345', '67', '89a', 'bcde', 'fgh', 'ijklmn'];
    let seed = 42;
    const random = (rest: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return 1 + (seed % rest);
    };
    appendAllThenSkipAll(objs, random);
    appendAllThenSkipAll(objs, () => 1);
    appendAllThenSkipAll(objs, (rest) => rest);
  });

  test('large chunks: every peek is a prefix and advancing drops exactly n bytes', () => {
    const objs = ['12'.repeat(5), '345'.repeat(2), '67'.repeat(20), '89a'.repeat(12)];
    appendAllThenSkipAll([...objs, 'bcde', 'fgh'.repeat(7), 'ijklmn'.repeat(2)], (rest) =>
      Math.max(1, Math.floor(rest / 3)),
    );
  });

  test('appends keep the caller’s chunks and a consume inside one chunk is a view of it', () => {
    const buf = new StreamBuffer();
    const chunk = bytes('hello world');
    buf.append(chunk);
    buf.append(new Uint8Array(0));
    expect(buf.chunkCount).toBe(1);
    const hello = buf.consume(5);
    expect(hello.toString()).toBe('hello');
    expect(hello.buffer).toBe(chunk.buffer);
    const rest = buf.consume(6);
    expect(rest.toString()).toBe(' world');
    expect(buf.chunkCount).toBe(0);
  });

  test('a whole chunk is returned as the same Buffer, and a span across chunks is joined once', () => {
    const buf = new StreamBuffer();
    const a = bytes('abc');
    buf.append(a);
    expect(buf.consume(3)).toBe(a);
    buf.append(bytes('de'));
    buf.append(bytes('fg'));
    buf.append(bytes('h'));
    expect(buf.consume(4).toString()).toBe('defg');
    expect(buf.consumeAll().toString()).toBe('h');
  });

  test('copyOut moves bytes into a caller’s buffer at an offset', () => {
    const buf = new StreamBuffer();
    buf.append(bytes('12'));
    buf.append(bytes('345'));
    const target = Buffer.alloc(6, 0x2e);
    buf.copyOut(target, 1, 4);
    expect(target.toString()).toBe('.1234.');
    expect(buf.consumeAll().toString()).toBe('5');
  });

  test('advancing or consuming more than is held is a RangeError', () => {
    const buf = new StreamBuffer();
    buf.append(bytes('ab'));
    expect(() => buf.advance(3)).toThrow(RangeError);
    expect(() => buf.consume(3)).toThrow(RangeError);
    expect(buf.size).toBe(2);
  });

  test('a long run of consumed chunks is compacted away', () => {
    const buf = new StreamBuffer();
    for (let i = 0; i < 1000; i++) buf.append(bytes('x'));
    buf.advance(900);
    expect(buf.chunkCount).toBe(100);
    expect(buf.size).toBe(100);
    expect(buf.latin1()).toBe('x'.repeat(100));
  });
});

describe('StreamBuffer.indexOf', () => {
  test('finds a delimiter that straddles two and three chunks', () => {
    const buf = new StreamBuffer();
    for (const piece of ['ab\r', '\n', '\r', '\nrest']) buf.append(bytes(piece));
    expect(buf.indexOf(bytes('\r\n\r\n'))).toBe(2);
    expect(buf.indexOf(bytes('\n\r'))).toBe(3);
    expect(buf.indexOf(bytes('rest'))).toBe(6);
    expect(buf.indexOf(bytes('rest!'))).toBe(-1);
  });

  test('searching again from the remembered offset finds a delimiter completed later', () => {
    const buf = new StreamBuffer();
    const delimiter = bytes('--end--');
    buf.append(bytes('aaaaaaaaa--e'));
    expect(buf.indexOf(delimiter)).toBe(-1);
    const resumeAt = buf.size - delimiter.length + 1;
    buf.append(bytes('nd--tail'));
    expect(buf.indexOf(delimiter, resumeAt)).toBe(9);
  });

  test('an empty delimiter is found where the search starts', () => {
    const buf = new StreamBuffer();
    buf.append(bytes('abc'));
    expect(buf.indexOf(bytes(''), 2)).toBe(2);
  });

  test('matches Buffer.indexOf on the concatenation for any chunking, needle and start', () => {
    const alphabet = fc.constantFrom(...'ab\r\n');
    const text = fc.string({ unit: alphabet, maxLength: 60 });
    fc.assert(
      fc.property(
        fc.array(text, { maxLength: 8 }),
        fc.string({ unit: alphabet, minLength: 1, maxLength: 5 }),
        fc.nat({ max: 70 }),
        fc.nat({ max: 30 }),
        (pieces, needle, from, skip) => {
          const buf = new StreamBuffer();
          for (const p of pieces) buf.append(bytes(p));
          const whole = bytes(pieces.join(''));
          const dropped = Math.min(skip, whole.length);
          buf.advance(dropped);
          const rest = whole.subarray(dropped);
          const expected = from + needle.length > rest.length ? -1 : rest.indexOf(needle, from);
          expect(buf.indexOf(bytes(needle), from)).toBe(expected);
        },
      ),
      { seed: 20260101, numRuns: 500 },
    );
  });
});

describe('StreamBuffer model', () => {
  type Op =
    | { kind: 'append'; data: Uint8Array }
    | { kind: 'advance'; n: number }
    | { kind: 'consume'; n: number }
    | { kind: 'copyOut'; n: number };

  const op: fc.Arbitrary<Op> = fc.oneof(
    fc.record({ kind: fc.constant('append' as const), data: fc.uint8Array({ maxLength: 40 }) }),
    fc.record({ kind: fc.constant('advance' as const), n: fc.nat({ max: 50 }) }),
    fc.record({ kind: fc.constant('consume' as const), n: fc.nat({ max: 50 }) }),
    fc.record({ kind: fc.constant('copyOut' as const), n: fc.nat({ max: 50 }) }),
  );

  test('any sequence of operations behaves like slicing one growing byte string', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const buf = new StreamBuffer();
        let model = Buffer.alloc(0);
        for (const o of ops) {
          if (o.kind === 'append') {
            buf.append(o.data);
            model = Buffer.concat([model, o.data]);
          } else {
            const n = Math.min(o.n, model.length);
            const expected = model.subarray(0, n);
            if (o.kind === 'advance') buf.advance(n);
            else if (o.kind === 'consume') expect(buf.consume(n).equals(expected)).toBe(true);
            else {
              const out = Buffer.alloc(n);
              buf.copyOut(out, 0, n);
              expect(out.equals(expected)).toBe(true);
            }
            model = model.subarray(n);
          }
          expect(buf.size).toBe(model.length);
          expect(buf.latin1()).toBe(model.toString('latin1'));
        }
      }),
      { seed: 7, numRuns: 300 },
    );
  });
});
