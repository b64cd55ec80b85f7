import { useTestLoop } from '@tronada/testing';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { twoSleepers } from '../src/sleepers.js';

const handle = useTestLoop({ beforeEach, afterEach });

it('prints both "sleeping" lines before either "awake!", and wakes after one sleep', async () => {
  const lines: string[] = [];
  const done = twoSleepers(1, (line) => lines.push(`${handle.testLoop.loop.time()} ${line}`));
  expect(lines).toEqual(['0 first: sleeping', '0 second: sleeping']);
  await handle.testLoop.advance(1);
  expect(done.done()).toBe(true);
  expect(lines).toEqual([
    '0 first: sleeping',
    '0 second: sleeping',
    '1 first: awake!',
    '1 second: awake!',
  ]);
});
