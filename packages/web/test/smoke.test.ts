import { sleep } from '@tronada/gen';
import { useTestLoop } from '@tronada/testing';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { Application, HTTPError, RequestHandler } from '../src/index.js';
import { useAsyncHTTPTestCase } from '../src/testing/index.js';

useTestLoop({ beforeEach, afterEach }, { clock: false });

class Hello extends RequestHandler {
  override get() {
    this.write('Hello, world');
  }
}
class Json extends RequestHandler {
  override async get() {
    await sleep(0.001);
    this.write({ a: 1 });
  }
}
class Gen extends RequestHandler {
  override *get(name?: string) {
    yield sleep(0.001);
    this.write(`hi ${name}`);
  }
}
class Teapot extends RequestHandler {
  override get() {
    throw new HTTPError(418);
  }
}
const server = useAsyncHTTPTestCase(
  { beforeEach, afterEach },
  () =>
    new Application([
      ['/', Hello],
      ['/json', Json],
      ['/gen/(.*)', Gen],
      ['/teapot', Teapot],
    ]),
);

it('smoke', async () => {
  const r = await server.current.fetch('/');
  expect(r.code).toBe(200);
  expect(r.text).toBe('Hello, world');
  expect(r.headers.get('Etag')).toMatch(/^"[0-9a-f]{40}"$/);
  const j = await server.current.fetch('/json');
  expect(j.json()).toEqual({ a: 1 });
  expect(j.headers.get('Content-Type')).toBe('application/json; charset=UTF-8');
  expect((await server.current.fetch('/gen/%C3%A9')).text).toBe('hi é');
  expect((await server.current.fetch('/nope')).code).toBe(404);
  const p = await server.current.fetch('/', { method: 'POST', body: '' });
  expect(p.code).toBe(405);
  expect(p.headers.get('Allow')).toBe('GET');
  expect((await server.current.fetch('/teapot')).code).toBe(418);
});
