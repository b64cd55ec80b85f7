/**
 * How path groups and query arguments are decoded (Tornado's RequestEncodingTest).
 */
import { genLog } from '@tronada/ioloop';
import { expectLog, useTestLoop } from '@tronada/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Application, RequestHandler } from '../src/index.js';
import { useAsyncHTTPTestCase } from '../src/testing/index.js';

useTestLoop({ beforeEach, afterEach }, { clock: false });

/**
 * Echoes the path, the decoded path groups and the arguments, after checking that raw
 * arguments are bytes and decoded ones (and path groups) are strings.
 */
class EchoHandler extends RequestHandler {
  override get(...pathArgs: (string | undefined)[]) {
    const args: Record<string, string[]> = {};
    for (const [key, values] of Object.entries(this.request.arguments)) {
      for (const value of values) {
        if (!Buffer.isBuffer(value)) throw new Error(`raw argument ${key} is not bytes`);
      }
      for (const value of this.getArguments(key)) {
        if (typeof value !== 'string') throw new Error(`decoded argument ${key} is not a string`);
      }
      args[key] = values.map((value) => value.toString('utf8'));
    }
    for (const arg of pathArgs) {
      if (typeof arg !== 'string') throw new Error('path argument is not a string');
    }
    this.write({ path: this.request.path, path_args: pathArgs, args });
  }
}

describe('RequestEncodingTest', () => {
  const server = useAsyncHTTPTestCase(
    { beforeEach, afterEach },
    () =>
      new Application([
        ['/group/(.*)', EchoHandler],
        ['/slashes/([^/]*)/([^/]*)', EchoHandler],
      ]),
  );

  async function fetchJson(path: string): Promise<unknown> {
    const response = await server.current.fetch(path);
    expect(response.code).toBe(200);
    return response.json();
  }

  it('decodes an escaped question mark in the path and the query alike (RequestEncodingTest.test_group_question_mark)', async () => {
    expect(await fetchJson('/group/%3F')).toEqual({
      path: '/group/%3F',
      path_args: ['?'],
      args: {},
    });
    expect(await fetchJson('/group/%3F?%3F=%3F')).toEqual({
      path: '/group/%3F',
      path_args: ['?'],
      args: { '?': ['?'] },
    });
  });

  it('decodes UTF-8 in path groups and query arguments the same way (RequestEncodingTest.test_group_encoding)', async () => {
    expect(await fetchJson('/group/%C3%A9?arg=%C3%A9')).toEqual({
      path: '/group/%C3%A9',
      path_args: ['é'],
      args: { arg: ['é'] },
    });
  });

  it('matches escaped slashes as part of one group and unescapes them for the handler (RequestEncodingTest.test_slashes)', async () => {
    expect(await fetchJson('/slashes/foo/bar')).toEqual({
      path: '/slashes/foo/bar',
      path_args: ['foo', 'bar'],
      args: {},
    });
    expect(await fetchJson('/slashes/a%2Fb/c%2Fd')).toEqual({
      path: '/slashes/a%2Fb/c%2Fd',
      path_args: ['a/b', 'c/d'],
      args: {},
    });
  });

  it('answers 400 for invalid UTF-8 and logs it without mangling percent signs (RequestEncodingTest.test_error)', async () => {
    const response = await expectLog(genLog, /Invalid unicode/, () =>
      server.current.fetch('/group/?arg=%25%e9'),
    );
    expect(response.code).toBe(400);
    // Percent signs from the request must reach the log as they are, not as format directives.
    const lines: string[] = [];
    const remove = genLog.addHandler((record) => {
      lines.push(record.message);
      return true;
    });
    try {
      expect((await server.current.fetch('/group/?arg=%25s%25%25%e9')).code).toBe(400);
    } finally {
      remove();
    }
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('%s%%');
  });
});
