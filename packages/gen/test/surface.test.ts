/**
 * The public surface of @tronada/gen: an export added or removed by accident fails here. After a
 * deliberate change, refresh the snapshot with `npx vitest run --project gen test/surface -u`.
 */
import { expect, test } from 'vitest';

test('the package exports exactly the names in the snapshot', async () => {
  expect(Object.keys(await import('../src/index.js')).sort()).toMatchSnapshot();
});

test('the package entry resolves to the same module as ../src/index.js', async () => {
  const byName = await import('@tronada/gen');
  const byPath = await import('../src/index.js');
  expect(Object.keys(byName).sort()).toEqual(Object.keys(byPath).sort());
  expect(byName.coroutine).toBe(byPath.coroutine);
});
