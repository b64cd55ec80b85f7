import { defineProject } from 'vitest/config';
import { sourceConditions } from '../../tooling/vitest.shared.ts';

/** The server tests again, with connections on `net.Socket` instead of the default handles. */
export default defineProject({
  ...sourceConditions,
  test: {
    name: 'httpserver (socket transport)',
    include: ['test/**/*.test.ts'],
    exclude: ['test/surface.test.ts'],
    setupFiles: ['../../tooling/vitest.setup.ts'],
    env: { TRONADA_TEST_TRANSPORT: 'socket' },
  },
});
