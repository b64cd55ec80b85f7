// The chat server for bench/waiters.mjs, in its own process: the built app on a free port of
// 127.0.0.1 with a deep listen queue, answering the parent's questions over IPC.
import { HTTPServer } from '@tronada/httpserver';
import { makeApp } from '../dist/app.js';
import { MessageBuffer } from '../dist/message-buffer.js';

const buffer = new MessageBuffer();
const server = new HTTPServer(makeApp({ buffer }));
await server.listen(0, '127.0.0.1', { backlog: 8192 });

function stats() {
  // Collect garbage first (node --expose-gc) so the figures count what is held, not litter.
  globalThis.gc?.();
  const { rss, heapUsed } = process.memoryUsage();
  return { waiters: buffer.waiterCount, connections: server.connectionCount, rss, heapUsed };
}

process.on('message', (request) => {
  if (request === 'stats') process.send({ stats: stats() });
  // Cheap enough to poll: no garbage collection.
  if (request === 'waiters') process.send({ waiters: buffer.waiterCount });
  if (request === 'exit') process.exit(0);
});
process.send({ port: server.port });
