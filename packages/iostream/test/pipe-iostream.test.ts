/**
 * PipeIOStream over a FIFO's two ends (Tornado's TestPipeIOStream): the read/write contract and
 * the pipe-specific tests.
 */

import { closeSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { openFifoPair } from '../src/fifo-pair.js';
import { PipeIOStream } from '../src/pipe-iostream.js';
import { streamContract } from './stream.contract.js';
import { closeAll, closeEvent, pipePair, useStreamTestLoop } from './stream-helpers.js';

useStreamTestLoop();

streamContract('PipeIOStream', pipePair);

describe('PipeIOStream', () => {
  test('reads what the other end wrote, then the rest once it closes', async () => {
    const [rs, ws] = await pipePair();
    void ws.write('hel');
    void ws.write('lo world');
    expect((await rs.readUntil(' ')).toString()).toBe('hello ');
    expect((await rs.readBytes(3)).toString()).toBe('wor');
    ws.close();
    expect((await rs.readUntilClose()).toString()).toBe('ld');
    await closeAll(rs, ws);
  });

  test('a 1 MB write larger than the pipe buffer arrives whole', async () => {
    const [rs, ws] = await pipePair();
    const size = 1024 * 1024;
    void ws.write(Buffer.alloc(size, '1'));
    const data = await rs.readBytes(size);
    expect(data.equals(Buffer.alloc(size, '1'))).toBe(true);
    await closeAll(rs, ws);
  });

  test('fileno is the descriptor, and closing the stream closes it', async () => {
    const { readFd: r, writeFd: w } = openFifoPair();
    const rs = new PipeIOStream(r);
    const ws = new PipeIOStream(w, { readable: false, writable: true });
    expect(rs.fileno()).toBe(r);
    expect(ws.fd).toBe(w);
    const closed = closeEvent(rs);
    ws.close();
    await closed.wait();
    await closeAll(rs, ws);
    // The stream owned the descriptor: it is gone now.
    expect(() => closeSync(r)).toThrow(/EBADF/);
  });
});
