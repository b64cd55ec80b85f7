// Properties of the HTTP/1 parser (fast-check): generated valid requests parse to exactly what
// was generated under any split of the bytes; mutated requests end in messages or an
// HTTPInputError with a 4xx/5xx status, identically however the bytes arrive (a parser that
// depended on the split could be desynchronised, which is how requests get smuggled); injected
// conflicting framing never lets the following request through.
import { HTTPInputError, normalizeHeaderName } from '@tronada/httputil';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { feed, type Outcome, splitAt } from './helpers.js';

interface Chunk {
  data: Uint8Array;
  size: string;
  ext: string;
}

interface GenRequest {
  leading: string;
  method: string;
  target: string;
  version: 'HTTP/1.0' | 'HTTP/1.1';
  fields: [string, string][];
  framingAt: number;
  body:
    | { kind: 'none' }
    | { kind: 'fixed'; data: Uint8Array }
    | { kind: 'chunked'; chunks: Chunk[]; trailers: [string, string][] };
  eol: '\r\n' | '\n';
}

const SPECIAL = /^(host|content-length|transfer-encoding)$/i;
const token = fc.stringMatching(/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,16}$/);
const fieldName = fc
  .oneof(
    fc.constantFrom(
      'Accept',
      'user-agent',
      'COOKIE',
      'X-Forwarded-For',
      'sec-fetch-mode',
      'Content-Type',
      'Expect',
    ),
    token,
  )
  .filter((n) => !SPECIAL.test(n));
// Field values: no leading/trailing whitespace; inside, any byte but CR, LF and NUL.
const valueChar = (min: number) =>
  fc
    .integer({ min, max: 0xff })
    .filter((c) => c !== 0x0a && c !== 0x0d)
    .map((c) => String.fromCharCode(c));
const fieldValue = fc.oneof(
  fc.constant(''),
  valueChar(0x21),
  fc
    .tuple(valueChar(0x21), fc.string({ unit: valueChar(0x01), maxLength: 30 }), valueChar(0x21))
    .map(([a, b, c]) => a + b + c),
);
const fields = fc.array(fc.tuple(fieldName, fieldValue), { maxLength: 10 });
const method = fc.oneof(
  fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS'),
  token.filter((t) => t !== 'CONNECT'),
);
const host = fc.oneof(
  fc.constantFrom('example.com', 'localhost:8888', '127.0.0.1', '[::1]:80', ''),
  fc.stringMatching(/^[a-z0-9.-]{1,20}(:[0-9]{1,5})?$/),
);
const originTarget = fc.stringMatching(/^\/[A-Za-z0-9._~!$&'()*+,;=:@/?%\x80-\xff-]{0,40}$/);
const chunk = fc.record({
  data: fc.uint8Array({ minLength: 1, maxLength: 80 }),
  size: fc.constantFrom('lower', 'upper', 'zeros'),
  ext: fc.constantFrom('', ';a', ';a=b', ' ; name = "q \\" x"', ';x;y=1'),
});

const request: fc.Arbitrary<GenRequest> = fc
  .record({
    leading: fc.constantFrom('', '', '\r\n', '\n', '\r\n\r\n'),
    method,
    targetKind: fc.constantFrom('origin', 'origin', 'absolute', 'asterisk'),
    path: originTarget,
    version: fc.constantFrom('HTTP/1.0' as const, 'HTTP/1.1' as const),
    host: fc.option(host, { nil: undefined }),
    fields,
    framingAt: fc.nat(),
    body: fc.oneof(
      fc.constant({ kind: 'none' as const }),
      fc.record({ kind: fc.constant('fixed' as const), data: fc.uint8Array({ maxLength: 300 }) }),
      fc.record({
        kind: fc.constant('chunked' as const),
        chunks: fc.array(chunk, { maxLength: 4 }),
        trailers: fc.array(fc.tuple(fieldName, fieldValue), { maxLength: 3 }),
      }),
    ),
    eol: fc.constantFrom('\r\n' as const, '\r\n' as const, '\n' as const),
  })
  .map((r) => {
    const target =
      r.targetKind === 'absolute'
        ? `http://example.com${r.path}`
        : r.targetKind === 'asterisk' && r.method === 'OPTIONS'
          ? '*'
          : r.path;
    const hostValue = r.host ?? (r.version === 'HTTP/1.1' ? 'example.com' : undefined);
    const allFields: [string, string][] =
      hostValue === undefined ? r.fields : [['Host', hostValue], ...r.fields];
    const chunks: Chunk[] =
      r.body.kind === 'chunked'
        ? r.body.chunks.map((c) => ({ data: c.data, ext: c.ext, size: c.size }))
        : [];
    return {
      leading: r.leading,
      method: r.method,
      target,
      version: r.version,
      fields: allFields,
      framingAt: r.framingAt,
      body:
        r.body.kind === 'chunked' ? { kind: 'chunked', chunks, trailers: r.body.trailers } : r.body,
      eol: r.eol,
    } satisfies GenRequest;
  });

function hexSize(c: Chunk): string {
  const hex = c.data.length.toString(16);
  return c.size === 'upper' ? hex.toUpperCase() : c.size === 'zeros' ? `00${hex}` : hex;
}

/** The wire bytes of a generated request. */
function serialize(r: GenRequest): Buffer {
  const lines = r.fields.map(([n, v]) => `${n}: ${v}`);
  const framing =
    r.body.kind === 'fixed'
      ? `Content-Length: ${r.body.data.length}`
      : r.body.kind === 'chunked'
        ? 'Transfer-Encoding: chunked'
        : undefined;
  if (framing !== undefined) lines.splice(r.framingAt % (lines.length + 1), 0, framing);
  const head = `${r.leading}${r.method} ${r.target} ${r.version}${r.eol}${lines.map((l) => l + r.eol).join('')}${r.eol}`;
  const parts = [Buffer.from(head, 'latin1')];
  if (r.body.kind === 'fixed') parts.push(Buffer.from(r.body.data));
  if (r.body.kind === 'chunked') {
    for (const c of r.body.chunks) {
      parts.push(
        Buffer.from(`${hexSize(c)}${c.ext}\r\n`, 'latin1'),
        Buffer.from(c.data),
        Buffer.from('\r\n'),
      );
    }
    parts.push(
      Buffer.from(
        `0\r\n${r.body.trailers.map(([n, v]) => `${n}: ${v}\r\n`).join('')}\r\n`,
        'latin1',
      ),
    );
  }
  return Buffer.concat(parts);
}

/** Tornado's grouping: values of a name together, names in first-appearance order. */
function grouped(pairs: [string, string][]): [string, string][] {
  const map = new Map<string, string[]>();
  for (const [n, v] of pairs) {
    const key = normalizeHeaderName(n);
    map.set(key, [...(map.get(key) ?? []), v]);
  }
  return [...map].flatMap(([k, vs]) => vs.map((v) => [k, v] as [string, string]));
}

function expected(r: GenRequest) {
  const pairs = [...r.fields];
  if (r.body.kind === 'fixed')
    pairs.splice(r.framingAt % (pairs.length + 1), 0, [
      'Content-Length',
      String(r.body.data.length),
    ]);
  if (r.body.kind === 'chunked')
    pairs.splice(r.framingAt % (pairs.length + 1), 0, ['Transfer-Encoding', 'chunked']);
  const body =
    r.body.kind === 'fixed'
      ? Buffer.from(r.body.data)
      : r.body.kind === 'chunked'
        ? Buffer.concat(r.body.chunks.map((c) => c.data))
        : Buffer.alloc(0);
  const trailers =
    r.body.kind === 'chunked' && r.body.trailers.length > 0 ? grouped(r.body.trailers) : undefined;
  return {
    startLine: `${r.method} ${r.target} ${r.version}`,
    headers: grouped(pairs),
    body,
    ...(trailers === undefined ? {} : { trailers }),
    complete: true,
  };
}

const STATUSES = [400, 413, 414, 431, 501, 505];

/** What must not depend on the split: messages (not their piece sizes), error, state. */
function summary(o: Outcome) {
  return {
    messages: o.messages.map(({ pieces: _pieces, ...m }) => m),
    error:
      o.error === undefined
        ? undefined
        : [(o.error as HTTPInputError).rule, (o.error as HTTPInputError).status],
    state: o.parser.state,
  };
}

describe('HTTP1Parser properties', () => {
  it('parses any generated valid request sequence to exactly what was generated, however split', () => {
    fc.assert(
      fc.property(
        fc.array(request, { minLength: 1, maxLength: 4 }),
        fc.array(fc.nat(), { maxLength: 12 }),
        fc.integer({ min: 1, max: 128 }),
        (requests, cuts, chunkSize) => {
          const wire = Buffer.concat(requests.map(serialize));
          const outcome = feed(splitAt(wire, cuts), { mode: 'request', chunkSize });
          expect(outcome.error).toBeUndefined();
          expect(outcome.messages.map(({ pieces: _p, ...m }) => m)).toEqual(requests.map(expected));
          for (const m of outcome.messages)
            for (const p of m.pieces) expect(p).toBeLessThanOrEqual(chunkSize);
          expect(outcome.parser.state).toBe('start-line');
          expect(outcome.parser.end()).toBe('idle');
        },
      ),
      { numRuns: 300 },
    );
  });

  it('waits for more bytes on any truncated valid request (no hang, no message)', () => {
    fc.assert(
      fc.property(request, fc.nat(), (r, at) => {
        const wire = serialize(r);
        const cut = at % wire.length;
        const outcome = feed([wire.subarray(0, cut)]);
        expect(outcome.error).toBeUndefined();
        expect(outcome.messages.every((m) => !m.complete)).toBe(true);
        expect(['start-line', 'headers', 'body-fixed', 'body-chunked']).toContain(
          outcome.parser.state,
        );
        // The rest completes it.
        outcome.parser.push(wire.subarray(cut));
        expect(outcome.messages.map(({ pieces: _p, ...m }) => m)).toEqual([expected(r)]);
      }),
    );
  });

  it('ends any mutated input in messages or an HTTPInputError, identically however split', () => {
    const mutation = fc.record({
      at: fc.nat(),
      kind: fc.constantFrom('flip', 'flip', 'delete', 'insert', 'truncate', 'huge', 'duplicate'),
      byte: fc.oneof(
        fc.constantFrom(0x00, 0x0d, 0x0a, 0x20, 0x09, 0x3a, 0x30, 0x3b, 0x22, 0x2c, 0x7f, 0x80),
        fc.integer({ min: 0, max: 255 }),
      ),
      length: fc.integer({ min: 1, max: 40 }),
    });
    fc.assert(
      fc.property(
        fc.array(request, { minLength: 1, maxLength: 3 }),
        fc.array(mutation, { minLength: 1, maxLength: 4 }),
        fc.array(fc.nat(), { maxLength: 12 }),
        (requests, mutations, cuts) => {
          let wire = Buffer.concat(requests.map(serialize));
          for (const m of mutations) {
            const at = m.at % (wire.length + 1);
            if (m.kind === 'flip' && at < wire.length) wire[at] = m.byte;
            else if (m.kind === 'delete')
              wire = Buffer.concat([wire.subarray(0, at), wire.subarray(at + 1)]);
            else if (m.kind === 'insert')
              wire = Buffer.concat([
                wire.subarray(0, at),
                Buffer.from([m.byte]),
                wire.subarray(at),
              ]);
            else if (m.kind === 'truncate') wire = wire.subarray(0, at);
            else if (m.kind === 'huge')
              wire = Buffer.concat([
                wire.subarray(0, at),
                Buffer.alloc(70_000, 0x61),
                wire.subarray(at),
              ]);
            else wire = Buffer.concat([wire.subarray(0, at + m.length), wire.subarray(at)]);
          }
          const whole = feed([wire]);
          const split = feed(splitAt(wire, cuts));
          const bytes = wire.length <= 2000 ? feed([...wire].map((b) => Buffer.from([b]))) : split;
          for (const o of new Set([whole, split, bytes])) {
            if (o.error !== undefined) {
              expect(o.error).toBeInstanceOf(HTTPInputError);
              expect(STATUSES).toContain((o.error as HTTPInputError).status);
              expect(o.parser.state).toBe('error');
            } else {
              expect(['idle', 'incomplete']).toContain(o.parser.end());
            }
          }
          expect(summary(split)).toEqual(summary(whole));
          expect(summary(bytes)).toEqual(summary(whole));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never lets a request through after conflicting framing injected into the one before', () => {
    const injection = fc.constantFrom(
      'Content-Length: 0\r\nTransfer-Encoding: chunked',
      'Transfer-Encoding: chunked\r\nContent-Length: 5',
      'Content-Length: 1\r\nContent-Length: 2',
      'Content-Length: 1, 2',
      'Content-Length: -1',
      'Content-Length: 1e3',
      'Transfer-Encoding: chunked, identity',
      'Transfer-Encoding: identity',
      'Transfer-Encoding : chunked',
      'Transfer-Encoding:\r\n chunked',
      'X: y\r\n Transfer-Encoding: chunked',
      'Transfer-Encoding: chunked\rX: y',
      ' Content-Length: 4',
    );
    // A body valid under one reading of the framing, so that a parser which picked that reading
    // would go on to parse the smuggled request.
    const body = fc.constantFrom(
      '',
      '0\r\n\r\n',
      'a',
      'abcd',
      '4\r\nabcd\r\n0\r\n\r\n',
      '1\r\na\r\n0\r\n\r\n',
    );
    fc.assert(
      fc.property(
        request,
        injection,
        body,
        fc.nat(),
        fc.array(fc.nat(), { maxLength: 8 }),
        (r, inject, content, at, cuts) => {
          const head = serialize({ ...r, body: { kind: 'none' }, eol: '\r\n', leading: '' });
          const lines = head.toString('latin1').split('\r\n');
          // lines: start line, fields..., '', '' ; inject after the start line or a field.
          const where = 1 + (at % (lines.length - 2));
          lines.splice(where, 0, inject);
          const smuggled = 'GET /smuggled HTTP/1.1\r\nHost: evil.example\r\n\r\n';
          const wire = Buffer.from(`${lines.join('\r\n')}${content}${smuggled}`, 'latin1');
          const outcome = feed(splitAt(wire, cuts));
          expect(outcome.error).toBeInstanceOf(HTTPInputError);
          expect(outcome.messages.map((m) => m.startLine)).not.toContain('GET /smuggled HTTP/1.1');
        },
      ),
      { numRuns: 300 },
    );
  });
});
