import { appLog, genLog } from '@tronada/ioloop';
import { expectLog, useTestLoop } from '@tronada/testing';
import { useAsyncHTTPTestCase } from '@tronada/web/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as argumentsExample from '../guide/examples/structure/arguments.js';
import * as asyncHandlers from '../guide/examples/structure/async-handlers.js';
import * as errors from '../guide/examples/structure/errors.js';
import { Database, makeApp as makeStoryApp } from '../guide/examples/structure/initialize.js';
import * as mainHandler from '../guide/examples/structure/main-handler.js';
import * as prepare from '../guide/examples/structure/prepare.js';
import * as redirects from '../guide/examples/structure/redirects.js';
import * as streaming from '../guide/examples/structure/streaming.js';
import { closeHttpClient } from './http-client.js';

useTestLoop({ beforeEach, afterEach }, { clock: false });
closeHttpClient({ afterEach });
const hooks = { beforeEach, afterEach };

describe('structure/main-handler.ts', () => {
  const server = useAsyncHTTPTestCase(hooks, mainHandler.makeApp);

  it('routes / and passes the story id from the path', async () => {
    expect((await server.current.fetch('/')).text).toContain('href="/story/1"');
    expect((await server.current.fetch('/story/42')).text).toBe('this is story 42');
    expect((await server.current.fetch('/story/x')).code).toBe(404);
  });
});

describe('structure/initialize.ts', () => {
  const db = new Database();
  db.add({ id: '7', title: 'Seven' });
  const server = useAsyncHTTPTestCase(hooks, () => makeStoryApp(db));

  it('hands the database to each handler and reverses the named rule', async () => {
    const response = await server.current.fetch('/story/7');
    expect(response.json()).toEqual({ title: 'Seven', link: '/story/7' });
  });

  it('answers 404 for a story that is not there', async () => {
    const response = await expectLog(genLog, /404 GET \/story\/8 .*no story 8/, () =>
      server.current.fetch('/story/8'),
    );
    expect(response.code).toBe(404);
  });
});

describe('structure/arguments.ts', () => {
  const server = useAsyncHTTPTestCase(hooks, argumentsExample.makeApp);

  it('shows the form and echoes what was posted', async () => {
    expect((await server.current.fetch('/myform')).text).toContain('name="message"');
    const posted = await server.current.fetch('/myform', {
      method: 'POST',
      body: 'message=hi+there',
    });
    expect(posted.text).toBe('You wrote hi there');
  });

  it('answers 400 when the argument is missing', async () => {
    const response = await expectLog(genLog, /Missing argument message/, () =>
      server.current.fetch('/myform', { method: 'POST', body: '' }),
    );
    expect(response.code).toBe(400);
  });

  it('reads a JSON body', async () => {
    const response = await server.current.fetch('/api/greet', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'Ada' }),
    });
    expect(response.json()).toEqual({ greeting: 'hello, Ada' });
  });
});

describe('structure/prepare.ts', () => {
  const server = useAsyncHTTPTestCase(hooks, prepare.makeApp);

  it('sets default headers, can finish in prepare, and calls onFinish', async () => {
    prepare.finished.length = 0;
    const home = await server.current.fetch('/');
    expect(home.text).toBe('home');
    expect(home.headers.get('Server')).toBe('Tronada');
    const down = await server.current.fetch('/', { headers: { 'X-Maintenance': '1' } });
    expect([down.code, down.text]).toEqual([503, 'down for maintenance']);
    expect(prepare.finished).toEqual(['GET / 200', 'GET / 503']);
  });
});

describe('structure/errors.ts', () => {
  const server = useAsyncHTTPTestCase(hooks, errors.makeApp);

  it('renders HTTPError and unexpected errors through writeError', async () => {
    const teapot = await expectLog(genLog, /418 GET \/teapot .*logged, never shown/, () =>
      server.current.fetch('/teapot'),
    );
    expect(teapot.code).toBe(418);
    expect(teapot.json()).toEqual({ error: 418, reason: "I'm a teapot" });
    const broken = await expectLog(appLog, /Uncaught exception/, () =>
      server.current.fetch('/broken'),
    );
    expect(broken.json()).toEqual({ error: 500, reason: 'Internal Server Error' });
  });
});

describe('structure/redirects.ts', () => {
  const server = useAsyncHTTPTestCase(hooks, redirects.makeApp);

  it('redirects with redirect() and with RedirectHandler', async () => {
    const old = await server.current.fetch('/old-page', { followRedirects: false });
    expect([old.code, old.headers.get('Location')]).toEqual([302, '/new-page']);
    expect((await server.current.fetch('/old-page')).text).toBe('the new page');
    const pictures = await server.current.fetch('/pictures/cat.jpg', { followRedirects: false });
    expect([pictures.code, pictures.headers.get('Location')]).toEqual([301, '/photos/cat.jpg']);
  });
});

describe('structure/async-handlers.ts', () => {
  const server = useAsyncHTTPTestCase(hooks, asyncHandlers.makeApp);

  it('fetches from generator and async handlers', async () => {
    const target = encodeURIComponent(server.current.getUrl('/square/3'));
    expect((await server.current.fetch(`/generator?url=${target}`)).text).toBe('fetched 12 bytes');
    expect((await server.current.fetch(`/async?url=${target}`)).text).toBe('fetched 12 bytes');
    expect((await server.current.fetch('/square/3')).json()).toEqual({ square: 9 });
  });
});

describe('structure/streaming.ts', () => {
  const server = useAsyncHTTPTestCase(hooks, streaming.makeApp);

  it('hashes an upload as it arrives', async () => {
    const body = Buffer.alloc(300_000, 'x');
    const response = await server.current.fetch('/upload', { method: 'PUT', body });
    const { createHash } = await import('node:crypto');
    expect(response.json()).toEqual({
      bytes: body.length,
      sha256: createHash('sha256').update(body).digest('hex'),
    });
  });

  it('streams a response in flushed pieces', async () => {
    const response = await server.current.fetch('/countdown');
    expect(response.text).toBe('3\n2\n1\nliftoff\n');
    expect(response.headers.get('Transfer-Encoding')).toBe('chunked');
  });
});
