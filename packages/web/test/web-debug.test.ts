/**
 * Debug mode's settings (issue #8): the defaults `debug` turns on, tracebacks on 500 pages, and
 * templates read again on every request. Autoreload itself is in autoreload-*.test.ts.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appLog } from '@tronada/ioloop';
import { expectLog, useTestLoop } from '@tronada/testing';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Application, RequestHandler } from '../src/index.js';
import { useAsyncHTTPTestCase } from '../src/testing/index.js';

useTestLoop({ beforeEach, afterEach }, { clock: false });
const hooks = { beforeEach, afterEach };

const templateDir = mkdtempSync(join(tmpdir(), 'tronada-debug-'));
for (const name of ['debug', 'cached']) mkdirSync(join(templateDir, name));
afterAll(() => rmSync(templateDir, { recursive: true, force: true }));

class BrokenHandler extends RequestHandler {
  override get(): void {
    throw new TypeError('the widget is broken');
  }
}

class PageHandler extends RequestHandler {
  override get(): void {
    void this.render('page.html', { n: 1 });
  }
}

describe('debug settings', () => {
  it('turns on serveTraceback and autoreload and turns off the template and static caches', () => {
    const app = new Application([], { debug: true });
    expect(app.settings).toMatchObject({
      autoreload: true,
      compiledTemplateCache: false,
      staticHashCache: false,
      serveTraceback: true,
    });
  });

  it('keeps the values given next to debug', () => {
    const app = new Application([], { debug: true, autoreload: false, serveTraceback: false });
    expect(app.settings).toMatchObject({
      autoreload: false,
      compiledTemplateCache: false,
      serveTraceback: false,
    });
  });

  it('leaves every setting alone without debug', () => {
    const app = new Application([]);
    expect(app.settings.autoreload).toBeUndefined();
    expect(app.settings.serveTraceback).toBeUndefined();
  });
});

describe('serveTraceback in debug mode', () => {
  const debug = useAsyncHTTPTestCase(
    hooks,
    () => new Application([['/', BrokenHandler]], { debug: true }),
  );

  it('answers an uncaught error with its stack as plain text', async () => {
    await expectLog(appLog, /Uncaught exception GET \//, async () => {
      const response = await debug.current.fetch('/');
      expect(response.code).toBe(500);
      expect(response.headers.get('Content-Type')).toBe('text/plain');
      expect(response.text).toContain('TypeError: the widget is broken');
      expect(response.text).toMatch(/at BrokenHandler\.get/);
    });
  });
});

describe('serveTraceback off (the default)', () => {
  const plain = useAsyncHTTPTestCase(hooks, () => new Application([['/', BrokenHandler]]));

  it('answers an uncaught error with the plain error page', async () => {
    await expectLog(appLog, /Uncaught exception GET \//, async () => {
      const response = await plain.current.fetch('/');
      expect(response.code).toBe(500);
      expect(response.text).toBe(
        '<html><title>500: Internal Server Error</title><body>500: Internal Server Error</body></html>',
      );
    });
  });
});

describe('compiledTemplateCache', () => {
  const debug = useAsyncHTTPTestCase(
    hooks,
    () =>
      new Application([['/', PageHandler]], {
        templatePath: join(templateDir, 'debug'),
        debug: true,
      }),
  );
  const cached = useAsyncHTTPTestCase(
    hooks,
    () => new Application([['/', PageHandler]], { templatePath: join(templateDir, 'cached') }),
  );

  it('reads an edited template again on the next request in debug mode', async () => {
    const page = join(templateDir, 'debug', 'page.html');
    writeFileSync(page, 'first {{ n }}');
    expect((await debug.current.fetch('/')).text).toBe('first 1');
    writeFileSync(page, 'second {{ n }}');
    expect((await debug.current.fetch('/')).text).toBe('second 1');
  });

  it('keeps the compiled template otherwise', async () => {
    const page = join(templateDir, 'cached', 'page.html');
    writeFileSync(page, 'first {{ n }}');
    expect((await cached.current.fetch('/')).text).toBe('first 1');
    writeFileSync(page, 'second {{ n }}');
    expect((await cached.current.fetch('/')).text).toBe('first 1');
  });
});
