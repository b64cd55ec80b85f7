import { defineProject } from 'vitest/config';
import { sourceConditions } from '../../tooling/vitest.shared.ts';

export default defineProject({
  ...sourceConditions,
  test: {
    name: 'async-fetch',
    include: ['test/**/*.test.ts'],
    setupFiles: ['../../tooling/vitest.setup.ts'],
  },
});
