import { readFileSync } from 'node:fs';
import { appLog } from '@tronada/ioloop';
import { expectLog, useTestLoop } from '@tronada/testing';
import { testFetch, useAsyncHTTPTestCase } from '@tronada/web/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as debug from '../guide/examples/running/debug.js';
import { main } from '../guide/examples/running/main.js';
import { serve } from '../guide/examples/running/multi-process.js';
import * as staticFiles from '../guide/examples/running/static-files.js';

const hooks = { beforeEach, afterEach };
useTestLoop(hooks, { clock: false });

describe('running/main.ts', () => {
  it('listens, answers, and shuts down gracefully', async () => {
    const before = new Set(process.listeners('SIGTERM'));
    const server = await main(0);
    try {
      expect((await testFetch(`http://127.0.0.1:${server.port}/`)).text).toBe('Hello, world');
    } finally {
      await server.shutdown({ timeout: 1 });
      for (const listener of process.listeners('SIGTERM')) {
        if (!before.has(listener)) process.off('SIGTERM', listener);
      }
    }
  });
});

describe('running/multi-process.ts', () => {
  it('serves through bind + start (one process here), trusting X-Real-Ip', async () => {
    const server = await serve(0, 1);
    try {
      const response = await testFetch(`http://127.0.0.1:${server.port}/`, {
        headers: { 'X-Real-Ip': '203.0.113.9' },
      });
      expect(response.json()).toEqual({ worker: null, client: '203.0.113.9' });
    } finally {
      server.stop();
      await server.closeAllConnections();
    }
  });
});

describe('running/static-files.ts', () => {
  const server = useAsyncHTTPTestCase(hooks, staticFiles.makeApp);

  it('links the file with a version and serves it', async () => {
    const page = (await server.current.fetch('/')).text;
    const href = /href="([^"]+)"/.exec(page)![1]!;
    expect(href).toMatch(/^\/static\/site\.css\?v=[0-9a-f]+$/);
    const css = await server.current.fetch(href);
    const file = new URL('../guide/examples/running/static/site.css', import.meta.url);
    expect(css.text).toBe(readFileSync(file, 'utf8'));
    expect(css.headers.get('Cache-Control')).toBe('max-age=315360000');
  });
});

describe('running/debug.ts', () => {
  const withDebug = useAsyncHTTPTestCase(hooks, () => debug.makeApp(true));
  const withoutDebug = useAsyncHTTPTestCase(hooks, () => debug.makeApp(false));

  it('shows the stack trace only in debug mode', async () => {
    const shown = await expectLog(appLog, /something broke/, () =>
      withDebug.current.fetch('/broken'),
    );
    expect(shown.code).toBe(500);
    expect(shown.text).toContain('Error: something broke');
    const hidden = await expectLog(appLog, /something broke/, () =>
      withoutDebug.current.fetch('/broken'),
    );
    expect(hidden.text).not.toContain('something broke');
  });
});
