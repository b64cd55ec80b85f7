/**
 * The echo sample against a real server on a free port, and its command-line options.
 */
import { genLog } from '@tronada/ioloop';
import { StreamClosedError, TCPClient } from '@tronada/iostream';
import { expectLog, useTestLoop } from '@tronada/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { echoLines } from '../src/echo-client.js';
import { EchoServer, MAX_LINE_BYTES } from '../src/echo-server.js';
import { DEFAULT_PORT, parseOptions } from '../src/options.js';

useTestLoop({ beforeEach, afterEach }, { clock: false });

let server: EchoServer;
let client: TCPClient;
let port: number;

beforeEach(async () => {
  server = new EchoServer();
  await server.listen(0, '127.0.0.1');
  port = server.port!;
  client = new TCPClient();
});

afterEach(async () => {
  server.stop();
  client.close();
  // Close callbacks run on the loop; let them run before the loop is checked for leaks.
  for (let i = 0; i < 3; i++) await new Promise((r) => setImmediate(r));
});

describe('EchoServer', () => {
  it('sends every line back, in order', async () => {
    const lines = ['hello', 'world', '', 'ünïcödé ✓', 'a'.repeat(10_000)];
    expect(await echoLines(client, '127.0.0.1', port, lines)).toEqual(lines);
  });

  it('serves several clients at once, each its own lines', async () => {
    const replies = await Promise.all(
      [0, 1, 2, 3].map((n) => echoLines(client, '127.0.0.1', port, [`client ${n}`, `bye ${n}`])),
    );
    expect(replies).toEqual([0, 1, 2, 3].map((n) => [`client ${n}`, `bye ${n}`]));
    expect(server.connections).toBe(4);
  });

  it('closes a connection whose line is longer than the limit', async () => {
    const tooLong = 'x'.repeat(MAX_LINE_BYTES + 1);
    // The server's stream notes the unsatisfiable read (info on genLog) and closes.
    await expectLog(genLog, /Unsatisfiable read/, async () => {
      await expect(echoLines(client, '127.0.0.1', port, [tooLong])).rejects.toThrow(
        StreamClosedError,
      );
    });
    expect(await echoLines(client, '127.0.0.1', port, ['still serving'])).toEqual([
      'still serving',
    ]);
  });
});

describe('parseOptions', () => {
  it(`uses port ${DEFAULT_PORT}, host 127.0.0.1 and one process by default`, () => {
    expect(parseOptions([], {})).toEqual({
      port: DEFAULT_PORT,
      host: '127.0.0.1',
      processes: 1,
      lines: [],
    });
  });

  it('takes the port from --port, then from PORT', () => {
    expect(parseOptions(['--port', '9000'], { PORT: '9001' }).port).toBe(9000);
    expect(parseOptions([], { PORT: '9001' }).port).toBe(9001);
    expect(parseOptions(['--port=0'], {}).port).toBe(0);
  });

  it('takes --host, --processes and the lines to send', () => {
    expect(parseOptions(['--host', '::1', '--processes', '0', 'a', 'b'], {})).toMatchObject({
      host: '::1',
      processes: 0,
      lines: ['a', 'b'],
    });
  });

  it('rejects a port that is not a whole number in range', () => {
    expect(() => parseOptions(['--port', 'http'], {})).toThrow(/the port must be a whole number/);
    expect(() => parseOptions([], { PORT: '70000' })).toThrow(RangeError);
  });
});
