import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { testFetch } from '@tronada/web/testing';
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
    const child = spawn(process.execPath, [main, '--port', '0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const found = /Chat on (http:\/\/\S+)/.exec(out);
          if (found) resolve(found[1]!);
        });
        child.once('exit', (code) => reject(new Error(`the sample exited with ${code}: ${out}`)));
      });
      const page = await testFetch(url);
      expect(page.code).toBe(200);
      expect(page.text).toContain('<form action="/a/message/new" method="post" id="messageform">');
    } finally {
      child.kill('SIGINT');
    }
  }, 20_000);
});
