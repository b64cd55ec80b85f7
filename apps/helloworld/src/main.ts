/**
 * The main sample: `npm start` (from the repository root) serves `Hello, world` on
 * http://127.0.0.1:8888/. `npm start -- --port 9000` or `PORT=9000 npm start` changes the port;
 * Ctrl-C stops it.
 */
import { enablePrettyLogging } from '@tronada/ioloop';
import { makeApp } from './hello-app.js';
import { parseOptions } from './options.js';

enablePrettyLogging();
const options = parseOptions(process.argv.slice(2), process.env);
const server = await makeApp().listen(options.port, options.host);
console.log(`Listening on http://${options.host}:${server.port}/ (Ctrl-C stops it)`);
process.once('SIGINT', () => {
  server.stop();
  void server.closeAllConnections().then(() => process.exit(0));
});
