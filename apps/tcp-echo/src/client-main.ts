/**
 * The client: `npm run client -w apps/tcp-echo -- hello world` sends "hello" and "world" to the
 * echo server (`--host`, `--port` or PORT to choose it) and prints what comes back.
 */
import { IOLoop } from '@tronada/ioloop';
import { TCPClient } from '@tronada/iostream';
import { echoLines } from './echo-client.js';
import { parseOptions } from './options.js';

const options = parseOptions(process.argv.slice(2), process.env);
const lines = options.lines.length > 0 ? options.lines : ['hello', 'world'];
const client = new TCPClient();
try {
  const replies = await IOLoop.current().runSync(() =>
    echoLines(client, options.host, options.port, lines),
  );
  for (const reply of replies) console.log(reply);
} finally {
  client.close();
}
