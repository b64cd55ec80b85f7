/**
 * The server: `npm start -w apps/tcp-echo` (after a build), with `-- --port 9000` or PORT=9000
 * to change the port and `-- --processes 0` to run one worker process per CPU.
 */
import { enablePrettyLogging } from '@tronada/ioloop';
import { taskId } from '@tronada/iostream';
import { EchoServer } from './echo-server.js';
import { parseOptions } from './options.js';

enablePrettyLogging();
const options = parseOptions(process.argv.slice(2), process.env);
const server = new EchoServer();
process.once('SIGINT', () => {
  server.stop();
  process.exit(0);
});

if (options.processes === 1) {
  await server.listen(options.port);
  console.log(`echo server listening on port ${server.port} (Ctrl-C stops it)`);
} else {
  // Multi-process: node:cluster runs this file again in every worker, so everything above ran
  // there too. In the primary, start() never resolves: it only supervises the workers.
  server.bind(options.port);
  await server.start(options.processes);
  console.log(`echo worker ${taskId()} (pid ${process.pid}) listening on port ${server.port}`);
}
