import { defineProject } from 'vitest/config';
import { sourceConditions } from '../../tooling/vitest.shared.ts';

export default defineProject({
  ...sourceConditions,
  test: {
    name: 'sample-cli',
    include: ['test/**/*.test.ts'],
    setupFiles: ['../../tooling/vitest.setup.ts'],
  },
});
