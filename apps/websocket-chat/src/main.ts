/**
 * The websocket chat sample: `npm start -w apps/websocket-chat` serves the chat on
 * http://127.0.0.1:8893/ (open it in two windows). `--port 9000` or `PORT=9000` changes the
 * port, `--host` the address, `--redis redis://host:6379` shares the chat with every process
 * started with the same Redis, `COOKIE_SECRET` sets the cookie secret; Ctrl-C stops it.
 */

import { appLog, enablePrettyLogging } from '@tronada/ioloop';
import { openBroadcaster } from '@tronada-apps/sample-cli';
import { makeApp } from './chat-app.js';
import { isChatMessage } from './chat-room.js';
import { parseOptions } from './options.js';

enablePrettyLogging();
const options = parseOptions(process.argv.slice(2), process.env);
const secret = process.env.COOKIE_SECRET;
const broadcaster = await openBroadcaster(options.redis, {
  channel: 'tronada-websocket-chat',
  accept: isChatMessage,
  onError: (error) => appLog.error('Redis', error),
});
const app = makeApp(secret === undefined ? { broadcaster } : { broadcaster, cookieSecret: secret });
const server = await app.listen(options.port, options.host);
const via = options.redis === null ? '' : `, messages through ${options.redis}`;
console.log(`Listening on http://${options.host}:${server.port}/ (Ctrl-C stops it${via})`);
process.once('SIGINT', () => {
  server.stop();
  void Promise.all([server.closeAllConnections(), broadcaster.close()]).then(() => process.exit(0));
});
