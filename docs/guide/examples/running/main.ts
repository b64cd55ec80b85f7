import type { HTTPServer } from '@tronada/httpserver';
import { enablePrettyLogging } from '@tronada/ioloop';
import { Application, RequestHandler } from '@tronada/web';

class MainHandler extends RequestHandler {
  override get() {
    this.write('Hello, world');
  }
}

// A program's entry point: log to the terminal, listen, and shut down gracefully on SIGTERM
// (requests in flight finish; idle connections close).
export async function main(port = 8888): Promise<HTTPServer> {
  enablePrettyLogging();
  const app = new Application([['/', MainHandler]]);
  const server = await app.listen(port, '127.0.0.1');
  process.once('SIGTERM', () => {
    void server.shutdown({ timeout: 10 }).then(() => process.exit(0));
  });
  return server;
}
