/**
 * A file that grows while it is served: the response stops at the Content-Length it announced
 * instead of failing half-way (the size is read before the content, so the file may have grown
 * in between).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { useTestLoop } from '@tronada/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Application, StaticFileHandler } from '../src/index.js';
import { useAsyncHTTPTestCase } from '../src/testing/index.js';

useTestLoop({ beforeEach, afterEach }, { clock: false });

const ROOT = fileURLToPath(new URL('./fixtures/static/', import.meta.url));

/** Sees the file as 10 bytes shorter than it is, as if it grew after the size was read. */
class GrowingFileHandler extends StaticFileHandler {
  override async getContentSize(): Promise<number> {
    return (await super.getContentSize()) - 10;
  }
}

const server = useAsyncHTTPTestCase(
  { beforeEach, afterEach },
  () => new Application([['/(.*)', GrowingFileHandler, { path: ROOT }]]),
);

describe('a static file that grows while it is served', () => {
  it('sends exactly the announced Content-Length, the start of the file', async () => {
    const whole = await server.current.fetch('/large.txt');
    const announced = Number(whole.headers.get('Content-Length'));
    expect(whole.code).toBe(200);
    expect(whole.body.length).toBe(announced);
    const file = readFileSync(`${ROOT}large.txt`);
    expect(announced).toBe(file.length - 10);
    expect(whole.body.equals(file.subarray(0, announced))).toBe(true);
  });
});
