/**
 * Mutated requests over a real socket (fast-check): whatever a client sends, the server answers
 * a well-formed response or a 4xx/5xx and closes, never hangs, never answers a smuggled request,
 * and goes on serving other connections. Application failures stay on their connection.
 */
import { appLog, genLog } from '@tronada/ioloop';
import { useTestLoop } from '@tronada/testing';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, echo, RawClient, respond, serve } from './helpers.js';

useTestLoop({ beforeEach, afterEach }, { clock: false });
afterEach(cleanup);

const VALID = [
  'POST /a HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello',
  'POST /b HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n',
  'GET /c?x=1 HTTP/1.0\r\nConnection: keep-alive\r\n\r\n',
];
/** What a smuggled second request would look like in an answer. */
const SMUGGLED = 'GET /smuggled';

describe('mutated requests', () => {
  it('end in a response or a 4xx/5xx and a close, never a smuggled request or a hang', async () => {
    const { port } = await serve(echo, { headerTimeout: null, idleConnectionTimeout: null });
    // Silence the expected "Malformed HTTP message" lines for the whole property.
    const level = genLog.level;
    genLog.level = 'warn';
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...VALID),
          fc.array(
            fc.record({
              at: fc.nat(),
              byte: fc.constantFrom(0x00, 0x0a, 0x0d, 0x20, 0x3a, 0x30, 0x7f, 0xff),
            }),
            { minLength: 1, maxLength: 3 },
          ),
          async (request, flips) => {
            const bytes = Buffer.from(request, 'latin1');
            for (const { at, byte } of flips) bytes[at % bytes.length] = byte;
            const c = await RawClient.connect(port);
            c.write(Buffer.concat([bytes, Buffer.from(`${SMUGGLED} HTTP/1.1\r\nHost: a\r\n\r\n`)]));
            // End the input so that a request waiting for more bytes cannot hang the test.
            c.socket.end();
            const answer = (await c.readUntilClose(5000)).toString('latin1');
            const answers = answer.split(/(?=HTTP\/1\.1 \d\d\d )/).filter((a) => a.length > 0);
            for (const [i, a] of answers.entries()) {
              expect(a).toMatch(/^HTTP\/1\.1 [1-5]\d\d /);
              // After an error nothing more is read: no request behind a rejected one is ever
              // answered (the appended one included).
              if (/^HTTP\/1\.1 [45]/.test(a)) expect(i).toBe(answers.length - 1);
            }
            // The appended request is answered only after the (still valid) original.
            const smuggled = answers.findIndex((a) => a.includes(SMUGGLED));
            if (smuggled !== -1) expect(answers[0]).toMatch(/^HTTP\/1\.1 200 /);
          },
        ),
        { numRuns: 60 },
      );
    } finally {
      genLog.level = level;
    }
    // The server is unharmed.
    const other = await RawClient.connect(port);
    other.write('GET /ok HTTP/1.1\r\nHost: a\r\n\r\n');
    expect((await other.readResponse()).body.toString()).toBe('GET /ok ');
  }, 30_000);
});

describe('application failures', () => {
  it('logs an exception from a request callback and closes only that connection', async () => {
    const { port } = await serve((request) => {
      if (request.path === '/boom') throw new Error('boom');
      respond(request, 'fine');
    });
    const other = await RawClient.connect(port);
    const level = appLog.level;
    const lines: string[] = [];
    const remove = appLog.addHandler((record) => {
      lines.push(`${record.message} ${String(record.args[0])}`);
      return true;
    });
    try {
      const c = await RawClient.connect(port);
      c.write('GET /boom HTTP/1.1\r\nHost: a\r\n\r\n');
      expect(await c.readUntilClose()).toHaveLength(0);
    } finally {
      remove();
      appLog.level = level;
    }
    expect(lines).toEqual([
      'Uncaught exception in an HTTP message delegate (127.0.0.1) Error: boom',
    ]);
    other.write('GET / HTTP/1.1\r\nHost: a\r\n\r\n');
    expect((await other.readResponse()).body.toString()).toBe('fine');
  });
});
