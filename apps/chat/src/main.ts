/**
 * The chat sample: `npm start -w apps/chat` serves it on http://127.0.0.1:8890/.
 * `--port 9000` (or `PORT=9000`) changes the port, `--host` the address, and
 * `--redis redis://host:6379` shares the chat with every process started with the same Redis;
 * Ctrl-C stops it.
 */

import { appLog, enablePrettyLogging } from '@tronada/ioloop';
import { openBroadcaster } from '@tronada-apps/sample-cli';
import { makeApp } from './app.js';
import { isChatMessage } from './message-buffer.js';
import { parseOptions } from './options.js';

enablePrettyLogging();
const options = parseOptions(process.argv.slice(2), process.env);
const broadcaster = await openBroadcaster(options.redis, {
  channel: 'tronada-chat',
  accept: isChatMessage,
  onError: (error) => appLog.error('Redis', error),
});
const server = await makeApp({ broadcaster }).listen(options.port, options.host);
const via = options.redis === null ? '' : `, messages through ${options.redis}`;
console.log(`Chat on http://${options.host}:${server.port}/ (Ctrl-C stops it${via})`);
process.once('SIGINT', () => {
  server.stop();
  void Promise.all([server.closeAllConnections(), broadcaster.close()]).then(() => process.exit(0));
});
