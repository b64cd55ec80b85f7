import { defineProject } from 'vitest/config';
import { sourceConditions } from '../tooling/vitest.shared.ts';

export default defineProject({
  ...sourceConditions,
  test: {
    name: 'docs',
    // The guide's own test samples (examples/**/*.test.ts) run beside the tests of the samples.
    include: ['test/**/*.test.ts', 'guide/examples/**/*.test.ts'],
    setupFiles: ['../tooling/vitest.setup.ts'],
    restoreMocks: true,
  },
});
