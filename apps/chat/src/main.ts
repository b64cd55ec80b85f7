/**
 * The chat sample: `npm start -w apps/chat` serves it on http://127.0.0.1:8890/.
 * `--port 9000` (or `PORT=9000`) changes the port, `--host` the address; Ctrl-C stops it.
 */
import { enablePrettyLogging } from '@tronada/ioloop';
import { makeApp } from './app.js';
import { parseOptions } from './options.js';

enablePrettyLogging();
const options = parseOptions(process.argv.slice(2), process.env);
const server = await makeApp().listen(options.port, options.host);
console.log(`Chat on http://${options.host}:${server.port}/ (Ctrl-C stops it)`);
process.once('SIGINT', () => {
  server.stop();
  void server.closeAllConnections().then(() => process.exit(0));
});
