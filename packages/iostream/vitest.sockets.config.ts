import { defineProject } from 'vitest/config';
import { sourceConditions } from '../../tooling/vitest.shared.ts';

/** The TCP stream and server tests again, with accepted connections on `net.Socket`. */
export default defineProject({
  ...sourceConditions,
  test: {
    name: 'iostream (socket transport)',
    include: ['test/iostream.test.ts', 'test/iostream-loopback.test.ts', 'test/tcp-server.test.ts'],
    setupFiles: ['../../tooling/vitest.setup.ts'],
    env: { TRONADA_TEST_TRANSPORT: 'socket' },
  },
});
