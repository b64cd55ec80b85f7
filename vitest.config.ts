import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      'packages/*',
      'apps/*',
      'docs',
      // Servers carry connections on libuv handles by default; these run their tests on sockets.
      'packages/iostream/vitest.sockets.config.ts',
      'packages/httpserver/vitest.sockets.config.ts',
    ],
  },
});
