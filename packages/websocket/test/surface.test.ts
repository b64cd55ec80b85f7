// The public surface: an accidental export (or a lost one) fails here.
import { expect, it } from 'vitest';

it('exports exactly the documented names', async () => {
  expect(Object.keys(await import('../src/index.js')).sort()).toMatchSnapshot();
});
