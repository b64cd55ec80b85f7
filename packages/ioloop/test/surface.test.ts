import { expect, test } from 'vitest';

test('the public entry exports exactly the documented names', async () => {
  expect(Object.keys(await import('../src/index.js')).sort()).toMatchSnapshot();
});
