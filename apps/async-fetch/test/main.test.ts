import { testFetch } from '@tronada/web/testing';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PORT, parseOptions } from '../src/options.js';
import { startProgram } from './program.js';

describe('the async-fetch program', () => {
  it('listens on 8894 by default, --port or PORT otherwise', () => {
    expect(DEFAULT_PORT).toBe(8894);
    expect(parseOptions([], {}).port).toBe(8894);
    expect(parseOptions(['--port', '9000'], { PORT: '7000' }).port).toBe(9000);
    expect(parseOptions([], { PORT: '7000' }).port).toBe(7000);
    expect(() => parseOptions(['--port', 'x'], {})).toThrow(/whole number/);
  });

  it('runs as a program (the built dist/main.js) whose default fetch reaches its own /page', async () => {
    const program = await startProgram();
    try {
      const page = await testFetch(`${program.url}/fetch/generator`);
      expect(page.code).toBe(200);
      expect(page.text).toContain('<dd>A page to fetch</dd>');
    } finally {
      program.stop();
    }
  }, 20_000);
});
