import { setTimeout as delay } from 'node:timers/promises';
import { genLog } from '@tronada/ioloop';
import { expectLog, useTestLoop } from '@tronada/testing';
import { testFetch, useAsyncHTTPTestCase } from '@tronada/web/testing';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { makeApp } from '../src/app.js';
import type { RunningProgram } from './program.js';
import { startProgram } from './program.js';

/** Seconds from now until `promise` settles, and its value. */
async function timed<T>(promise: Promise<T>): Promise<{ value: T; seconds: number }> {
  const started = performance.now();
  const value = await promise;
  return { value, seconds: (performance.now() - started) / 1000 };
}

describe('sleep in this process', () => {
  useTestLoop({ beforeEach, afterEach }, { clock: false });
  const server = useAsyncHTTPTestCase({ beforeEach, afterEach }, makeApp);

  it('serves two concurrent /sleep?seconds=0.5 in about 0.5 s, not 1 s', async () => {
    const { value, seconds } = await timed(
      Promise.all([1, 2].map(() => server.current.fetch('/sleep?seconds=0.5'))),
    );
    for (const response of value) {
      expect(response.code).toBe(200);
      expect(response.json()).toMatchObject({ slept: 0.5 });
    }
    expect(seconds).toBeGreaterThanOrEqual(0.45);
    expect(seconds).toBeLessThan(0.9);
  });

  it('refuses seconds that are not a number from 0 to 10 (400)', async () => {
    for (const bad of ['x', '-1', '11', '']) {
      const response = await expectLog(genLog, /400 GET .*seconds must be/, () =>
        server.current.fetch(`/block?seconds=${bad}`),
      );
      expect(response.code).toBe(400);
    }
  });
});

// The busy loop would block the test too if the server ran in this process, so these tests
// run the built sample in a child process and time its answers from here.
describe('sleep and block in a server process', () => {
  let program: RunningProgram;
  beforeAll(async () => {
    program = await startProgram();
  }, 10_000);
  afterAll(() => program.stop());

  /** Starts `path` on the server, then `/` a little later; times both from here. */
  async function homeDuring(path: string) {
    const slow = timed(testFetch(`${program.url}${path}`));
    let slowDone = false;
    void slow.then(() => {
      slowDone = true;
    });
    // Enough for the request to reach the handler; the assertions below leave wide margins.
    await delay(150);
    const home = await timed(testFetch(`${program.url}/`));
    const homeFinishedFirst = !slowDone;
    return { slow: await slow, home, homeFinishedFirst };
  }

  it('answers / at once while a /sleep waits', async () => {
    const { slow, home, homeFinishedFirst } = await homeDuring('/sleep?seconds=0.8');
    expect(home.value.code).toBe(200);
    expect(homeFinishedFirst).toBe(true);
    expect(home.seconds).toBeLessThan(0.4);
    expect(slow.seconds).toBeGreaterThanOrEqual(0.75);
  });

  it('holds / back until a /block busy loop ends', async () => {
    const { slow, home, homeFinishedFirst } = await homeDuring('/block?seconds=0.8');
    expect(slow.value.json()).toMatchObject({ blocked: 0.8 });
    expect(home.value.code).toBe(200);
    expect(homeFinishedFirst).toBe(false);
    // Sent 0.15 s into a 0.8 s block: it waits for most of the rest.
    expect(home.seconds).toBeGreaterThan(0.4);
  });
});
