/**
 * `pathArgs` and `pathKwargs`: the path's groups, decoded, as the verb method and the handler
 * see them. A route without groups allocates nothing for them until they are read, and every
 * request still gets values of its own.
 */
import { useTestLoop } from '@tronada/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Application, RequestHandler } from '../src/index.js';
import { useAsyncHTTPTestCase } from '../src/testing/index.js';

useTestLoop({ beforeEach, afterEach }, { clock: false });

/** Reports what it sees of the groups, then mutates them (which must not leak to the next). */
class GroupsHandler extends RequestHandler {
  override get(...args: (string | undefined)[]): void {
    const { pathArgs, pathKwargs } = this;
    const report = {
      args,
      pathArgs: [...pathArgs],
      pathKwargs: { ...pathKwargs },
      // Reading twice gives the same objects, so mutations through one read are seen by the next.
      stableArgs: this.pathArgs === pathArgs,
      stableKwargs: this.pathKwargs === pathKwargs,
    };
    pathArgs.push('mutated');
    pathKwargs.mutated = 'yes';
    this.write(report);
  }
}

/** Replaces the groups in `prepare`; the verb method gets the new ones. */
class ReplacedHandler extends RequestHandler {
  override prepare(): void {
    this.pathArgs = ['from-prepare'];
    this.pathKwargs = { key: 'value' };
  }
  override get(...args: (string | undefined)[]): void {
    this.write({ args, pathKwargs: this.pathKwargs });
  }
}

describe('pathArgs and pathKwargs', () => {
  const server = useAsyncHTTPTestCase({ beforeEach, afterEach }, () => {
    return new Application([
      ['/plain', GroupsHandler],
      ['/positional/([^/]+)/(x)?', GroupsHandler],
      ['/named/(?<year>\\d+)/(?<slug>[^/]+)', GroupsHandler],
      ['/replaced', ReplacedHandler],
    ]);
  });
  const getJson = async (path: string) => JSON.parse((await server.current.fetch(path)).text);

  it('gives a route without groups empty values of its own on every request', async () => {
    const expected = {
      args: [],
      pathArgs: [],
      pathKwargs: {},
      stableArgs: true,
      stableKwargs: true,
    };
    expect(await getJson('/plain')).toEqual(expected);
    // The first request pushed into its pathArgs and set a pathKwargs key; the second sees none.
    expect(await getJson('/plain')).toEqual(expected);
  });

  it('decodes positional groups, undefined for a group that did not take part', async () => {
    const first = await getJson('/positional/a%20b/');
    expect(first).toMatchObject({ args: ['a b', null], pathArgs: ['a b', null], pathKwargs: {} });
    const second = await getJson('/positional/c/x');
    expect(second).toMatchObject({ args: ['c', 'x'], pathArgs: ['c', 'x'], pathKwargs: {} });
  });

  it('passes named groups positionally and by name, fresh on every request', async () => {
    const expected = {
      args: ['2026', 'hello'],
      pathArgs: ['2026', 'hello'],
      pathKwargs: { year: '2026', slug: 'hello' },
    };
    expect(await getJson('/named/2026/hello')).toMatchObject(expected);
    expect(await getJson('/named/2026/hello')).toMatchObject(expected);
  });

  it('passes groups assigned in prepare to the verb method', async () => {
    expect(await getJson('/replaced')).toEqual({
      args: ['from-prepare'],
      pathKwargs: { key: 'value' },
    });
  });
});
