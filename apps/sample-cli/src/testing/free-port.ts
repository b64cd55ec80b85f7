/**
 * freePort: a loopback port nothing listens on, for programs that need a number up front.
 */
import { createServer } from 'node:net';

/**
 * Binds port 0 on 127.0.0.1, reads the port the kernel chose, and releases it. Another program
 * could take it before the caller does; for a test on one machine that race is rare enough.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
