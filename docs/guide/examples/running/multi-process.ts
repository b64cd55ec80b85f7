import { HTTPServer } from '@tronada/httpserver';
import { taskId } from '@tronada/iostream';
import { Application, RequestHandler } from '@tronada/web';

class WhoHandler extends RequestHandler {
  override get() {
    // Behind nginx with xheaders, remoteIp is the client's address, not the proxy's.
    this.write({ worker: taskId(), client: this.request.remoteIp });
  }
}

// bind() then start(n): n worker processes share the listening socket (0: one per CPU).
// Node cannot fork, so each worker runs this script again from the top: everything before
// start() runs in every process, and nothing may start the loop or open connections before it.
export async function serve(port: number, processes = 0): Promise<HTTPServer> {
  const app = new Application([['/', WhoHandler]]);
  const server = new HTTPServer(app, { xheaders: true });
  server.bind(port, '127.0.0.1');
  await server.start(processes);
  return server;
}
