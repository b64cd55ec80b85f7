import { fileURLToPath } from 'node:url';
import { testFetch } from '@tronada/web/testing';
import { startProcess } from '@tronada-apps/sample-cli/testing';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PORT, parseOptions } from '../src/options.js';

describe('the chat program', () => {
  it('listens on 8890 by default, --port or PORT otherwise', () => {
    expect(DEFAULT_PORT).toBe(8890);
    expect(parseOptions([], {}).port).toBe(8890);
    expect(parseOptions(['--port', '9000'], { PORT: '7000' }).port).toBe(9000);
    expect(parseOptions([], { PORT: '7000' }).port).toBe(7000);
    expect(() => parseOptions(['--port', '70000'], {})).toThrow(/whole number/);
  });

  it('runs as a program (the built dist/main.js) that serves the chat page', async () => {
    const main = fileURLToPath(new URL('../dist/main.js', import.meta.url));
    const program = await startProcess(process.execPath, [main, '--port', '0'], {
      ready: /Chat on (http:\/\/\S+)/,
    });
    try {
      const url = program.match[1]!;
      const page = await testFetch(url);
      expect(page.code).toBe(200);
      expect(page.text).toContain('<form action="/a/message/new" method="post" id="messageform">');
    } finally {
      await program.stop('SIGINT');
    }
  }, 20_000);
});
