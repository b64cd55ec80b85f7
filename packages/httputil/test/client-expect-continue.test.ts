// The client's `Expect: 100-continue` flow on HTTP1Connection: the head goes out, the body
// waits for `100 Continue`, and a final status that comes first means the body is never sent.
import { useTestLoop } from '@tronada/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RequestStartLine } from '../src/index.js';
import {
  clientPair,
  headers,
  readRequestHead,
  recordingDelegate,
  turns,
} from './client-connection-helpers.js';

useTestLoop({ beforeEach, afterEach }, { clock: false });
// Close callbacks run a turn after a close; let them run before the loop's leak check.
afterEach(() => turns());

function put(): RequestStartLine {
  return new RequestStartLine('PUT', '/upload', 'HTTP/1.1');
}

function expecting(): ReturnType<typeof headers> {
  return headers({ Host: 'x', 'Content-Length': '5', Expect: '100-continue' });
}

describe('HTTP1Connection (client) with Expect: 100-continue', () => {
  it('sends the body only after the server answered 100 Continue', async () => {
    const { conn, server } = clientPair();
    conn.writeHeaders(put(), expecting());
    const { got, delegate } = recordingDelegate();
    const reading = conn.readResponse(delegate);
    const waiting = conn.waitForContinue();
    expect(await readRequestHead(server)).toContain('Expect: 100-continue');
    await new Promise((r) => setImmediate(r));
    expect(waiting.done()).toBe(false);
    expect(server.readBufferSize).toBe(0);
    server.write('HTTP/1.1 100 Continue\r\n\r\n');
    expect(await waiting).toBe(true);
    conn.write(Buffer.from('hello'));
    conn.finish();
    expect((await server.readBytes(5)).toString()).toBe('hello');
    server.write('HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n');
    expect(await reading).toBe(true);
    expect(got).toMatchObject({ heads: ['201 Created'], finished: 1 });
    conn.close();
    server.close();
  });

  it('does not send the body when a final status comes before 100, and closes after it', async () => {
    const { conn, server } = clientPair();
    conn.writeHeaders(put(), expecting());
    const { got, delegate } = recordingDelegate();
    const reading = conn.readResponse(delegate);
    await readRequestHead(server);
    server.write('HTTP/1.1 413 Content Too Large\r\nContent-Length: 4\r\n\r\nbig!');
    expect(await conn.waitForContinue()).toBe(false);
    expect(await reading).toBe(false);
    expect(got).toMatchObject({ heads: ['413 Content Too Large'], body: 'big!', finished: 1 });
    expect(conn.stream.closed()).toBe(true);
    // The server end sees the connection end with no body bytes after the head.
    expect((await server.readUntilClose()).length).toBe(0);
  });

  it('answers false when the connection closes before any response', async () => {
    const { conn, server } = clientPair();
    conn.writeHeaders(put(), expecting());
    const { got, delegate } = recordingDelegate();
    const reading = conn.readResponse(delegate);
    const waiting = conn.waitForContinue();
    await readRequestHead(server);
    server.close();
    expect(await waiting).toBe(false);
    expect(await reading).toBe(false);
    expect(got.heads).toEqual([]);
  });

  it('resolves at once for a request sent without Expect', async () => {
    const { conn, server } = clientPair();
    conn.writeHeaders(put(), headers({ Host: 'x', 'Content-Length': '0' }));
    const waiting = conn.waitForContinue();
    expect(waiting.done() && waiting.result()).toBe(true);
    conn.close();
    server.close();
  });
});
