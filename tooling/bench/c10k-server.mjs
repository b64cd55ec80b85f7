// The servers of the C10K benchmark (tooling/bench/c10k.mjs), one per process:
//
//   node --expose-gc c10k-server.mjs <tronada|ws> <port> <message>
//
// Both serve the same three routes on 127.0.0.1:<port>:
//   GET /ws          a websocket that stays idle until a broadcast;
//   GET /poll        a long poll: the request waits until a broadcast, then gets the message;
//   POST /broadcast  sends <message> to every open websocket and answers every waiting poll.
//
// They answer the driver over IPC: `{ id, type: 'stats' }` with how many websockets are open
// and how many polls wait, `{ id, type: 'gc' }` with the RSS after two full collections.
// SIGTERM exits at once.

const [kind, portText, message] = process.argv.slice(2);
const port = Number(portText);
const noop = () => {};

/**
 * Tronada: an Application with a WebSocketHandler and a long-poll RequestHandler waiting on a
 * Condition (the apps/chat pattern), behind an HTTPServer listening with node's backlog (511)
 * so both servers see the same accept queue.
 */
async function serveTronada() {
  const { Application, RequestHandler } = await import('@tronada/web');
  const { HTTPServer } = await import('@tronada/httpserver');
  const { WebSocketHandler } = await import('@tronada/websocket');
  const { Condition } = await import('@tronada/gen');
  const { CancelledError } = await import('@tronada/ioloop');
  const subscribers = new Set();
  const condition = new Condition();
  let polls = 0;

  class Subscriber extends WebSocketHandler {
    open() {
      subscribers.add(this);
    }
    onClose() {
      subscribers.delete(this);
    }
  }

  class Poll extends RequestHandler {
    #waiting = null;
    async get() {
      this.#waiting = condition.wait();
      polls++;
      try {
        await this.#waiting;
      } catch (error) {
        // Cancelled by onConnectionClose: the client went away.
        if (error instanceof CancelledError) return;
        throw error;
      } finally {
        polls--;
        this.#waiting = null;
      }
      this.setHeader('Content-Type', 'application/json');
      this.write(message);
    }
    onConnectionClose() {
      super.onConnectionClose();
      this.#waiting?.cancel();
    }
  }

  class Broadcast extends RequestHandler {
    post() {
      const counts = { websockets: subscribers.size, polls };
      for (const subscriber of subscribers) {
        // A connection that drops meanwhile fails its Future; nobody needs to hear about it.
        subscriber.writeMessage(message).addDoneCallback(noop);
      }
      condition.notifyAll();
      this.write(counts);
    }
  }

  const app = new Application(
    [
      ['/ws', Subscriber],
      ['/poll', Poll],
      ['/broadcast', Broadcast],
    ],
    { logFunction: noop },
  );
  await new HTTPServer(app, { logRequest: null }).listen(port, '127.0.0.1', { backlog: 511 });
  return () => ({ websockets: subscribers.size, polls });
}

/** `ws` and `node:http` sharing the port: ws for the websockets, node:http for the rest. */
async function serveWs() {
  const { createServer } = await import('node:http');
  const { WebSocketServer } = await import('ws');
  const waiting = new Set();
  const server = createServer((request, response) => {
    if (request.url === '/poll') {
      waiting.add(response);
      response.once('close', () => waiting.delete(response));
      return;
    }
    if (request.method === 'POST' && request.url === '/broadcast') {
      request.resume();
      const counts = JSON.stringify({ websockets: wss.clients.size, polls: waiting.size });
      for (const client of wss.clients) client.send(message);
      for (const poll of waiting) {
        poll.writeHead(200, { 'Content-Type': 'application/json' });
        poll.end(message);
      }
      waiting.clear();
      response.writeHead(200, { 'Content-Type': 'application/json' });
      response.end(counts);
      return;
    }
    response.writeHead(404);
    response.end();
  });
  // A poll may wait as long as the run takes.
  server.requestTimeout = 0;
  const wss = new WebSocketServer({ server, path: '/ws' });
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  return () => ({ websockets: wss.clients.size, polls: waiting.size });
}

const stats = kind === 'tronada' ? await serveTronada() : await serveWs();
process.on('SIGTERM', () => process.exit(0));
process.on('message', (request) => {
  if (request.type === 'stats') {
    process.send({ id: request.id, ...stats() });
  } else if (request.type === 'gc') {
    globalThis.gc?.();
    globalThis.gc?.();
    process.send({ id: request.id, rss: process.memoryUsage().rss });
  }
});
process.send({ id: 0, listening: true });
