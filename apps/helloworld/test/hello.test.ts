import { fileURLToPath } from 'node:url';
import { useTestLoop } from '@tronada/testing';
import { testFetch, useAsyncHTTPTestCase } from '@tronada/web/testing';
import { startProcess } from '@tronada-apps/sample-cli/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeApp } from '../src/hello-app.js';
import { DEFAULT_PORT, parseOptions } from '../src/options.js';

useTestLoop({ beforeEach, afterEach }, { clock: false });
const server = useAsyncHTTPTestCase({ beforeEach, afterEach }, makeApp);

describe('helloworld', () => {
  it('answers GET / with Hello, world', async () => {
    const response = await server.current.fetch('/');
    expect(response.code).toBe(200);
    expect(response.text).toBe('Hello, world');
    expect(response.headers.get('Content-Type')).toBe('text/html; charset=UTF-8');
  });

  it('answers 404 elsewhere', async () => {
    expect((await server.current.fetch('/nothing')).code).toBe(404);
  });

  it('listens on 8888 by default, --port or PORT otherwise', () => {
    expect(parseOptions([], {}).port).toBe(DEFAULT_PORT);
    expect(DEFAULT_PORT).toBe(8888);
    expect(parseOptions(['--port', '9000'], { PORT: '7000' }).port).toBe(9000);
    expect(parseOptions([], { PORT: '7000' }).port).toBe(7000);
    expect(() => parseOptions(['--port', 'x'], {})).toThrow(/whole number/);
  });

  it('runs as a program (the built dist/main.js) that serves until interrupted', async () => {
    const main = fileURLToPath(new URL('../dist/main.js', import.meta.url));
    const program = await startProcess(process.execPath, [main, '--port', '0'], {
      ready: /Listening on (http:\/\/\S+)/,
    });
    try {
      const url = program.match[1]!;
      expect((await testFetch(url)).text).toBe('Hello, world');
    } finally {
      await program.stop('SIGINT');
    }
  }, 20_000);
});
