/**
 * The websocket echo sample: `npm start -w apps/websocket-echo` serves the page on
 * http://127.0.0.1:8892/ and the echo on ws://127.0.0.1:8892/ws. `--port 9000` or `PORT=9000`
 * changes the port, `--host` the address; Ctrl-C stops it.
 */
import { enablePrettyLogging } from '@tronada/ioloop';
import { makeApp } from './echo-app.js';
import { parseOptions } from './options.js';

enablePrettyLogging();
const options = parseOptions(process.argv.slice(2), process.env);
const server = await makeApp().listen(options.port, options.host);
console.log(`Listening on http://${options.host}:${server.port}/ (Ctrl-C stops it)`);
process.once('SIGINT', () => {
  server.stop();
  void server.closeAllConnections().then(() => process.exit(0));
});
