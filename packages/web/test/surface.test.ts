import { expect, it } from 'vitest';

it('exports exactly the documented names', async () => {
  expect(Object.keys(await import('../src/index.js')).sort()).toMatchSnapshot();
});

it('exports exactly the documented testing names', async () => {
  expect(Object.keys(await import('../src/testing/index.js')).sort()).toMatchSnapshot();
});

it('gives its errors stable codes and names', async () => {
  const web = await import('../src/index.js');
  const codes = [
    new web.NonReversibleUrlError('m'),
    new web.ReverseArgumentsError('m'),
    new web.MixedGroupsError('m'),
    new web.InvalidPathEncodingError('m'),
  ].map((e) => [e.name, e.code]);
  expect(codes).toEqual([
    ['NonReversibleUrlError', 'ERR_URL_NOT_REVERSIBLE'],
    ['ReverseArgumentsError', 'ERR_REVERSE_ARGUMENTS'],
    ['MixedGroupsError', 'ERR_MIXED_URL_GROUPS'],
    ['InvalidPathEncodingError', 'ERR_INVALID_PATH_ENCODING'],
  ]);
});
