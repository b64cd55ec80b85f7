/**
 * The websocket chat sample: `npm start -w apps/websocket-chat` serves the chat on
 * http://127.0.0.1:8893/ (open it in two windows). `--port 9000` or `PORT=9000` changes the
 * port, `--host` the address, `COOKIE_SECRET` the cookie secret; Ctrl-C stops it.
 */
import { enablePrettyLogging } from '@tronada/ioloop';
import { makeApp } from './chat-app.js';
import { parseOptions } from './options.js';

enablePrettyLogging();
const options = parseOptions(process.argv.slice(2), process.env);
const secret = process.env.COOKIE_SECRET;
const app = makeApp(secret === undefined ? {} : { cookieSecret: secret });
const server = await app.listen(options.port, options.host);
console.log(`Listening on http://${options.host}:${server.port}/ (Ctrl-C stops it)`);
process.once('SIGINT', () => {
  server.stop();
  void server.closeAllConnections().then(() => process.exit(0));
});
