// The round-trip variants of the iostream benchmarks (`streams.mjs`, `roundtrip-profile.mjs`,
// `below-net-socket.mjs`): 64-byte request/response exchanges over loopback TCP with
// TCP_NODELAY, both ends in this process.
import { once } from 'node:events';
import * as net from 'node:net';
import { coroutine } from '@tronada/gen';
import { IOStream, TCPServer } from '../dist/index.js';

const ANSWER = Buffer.alloc(64, 0x61);

/** A TCP server on a free loopback port, with TCP_NODELAY on its connections. */
export async function listening(onConnection) {
  const server = net.createServer({ noDelay: true }, onConnection);
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

/**
 * A TCPServer on a free loopback port whose connections (with TCP_NODELAY) go to
 * `onStream(stream)`; `transport` as in TCPServer's options (its default: bare handles).
 */
export async function serving(onStream, transport) {
  class RoundTripServer extends TCPServer {
    handleStream(stream) {
      stream.setNodelay(true);
      return onStream(stream);
    }
  }
  const server = new RoundTripServer(transport === undefined ? {} : { transport });
  await server.listen(0, '127.0.0.1');
  return server;
}

/** The async/await IOStream variant, both ends on `transport` (undefined: the default). */
async function ioStreamRoundTrip(transport) {
  const server = await serving(async (stream) => {
    try {
      for (;;) stream.write(await stream.readBytes(64));
    } catch {
      stream.close();
    }
  }, transport);
  const client = await IOStream.connect(
    { host: '127.0.0.1', port: server.port },
    transport === undefined ? {} : { transport },
  );
  client.setNodelay(true);
  const request = Buffer.alloc(64, 0x72);
  return {
    async run(count) {
      for (let i = 0; i < count; i++) {
        client.write(request);
        await client.readBytes(64);
      }
    },
    close() {
      client.close();
      server.stop();
    },
  };
}

/** A raw socket connected to `port` on loopback, with TCP_NODELAY. */
export async function rawConnect(port) {
  const socket = net.connect({ port, host: '127.0.0.1', noDelay: true });
  await once(socket, 'connect');
  return socket;
}

/**
 * A function that returns a Promise of the next 64 bytes `socket` receives (the round trip's
 * messages; TCP may split or join them), for the await-per-read reference variant.
 */
export function promiseReader(socket) {
  let held = Buffer.alloc(0);
  let waiting = null;
  socket.on('data', (chunk) => {
    held = held.length === 0 ? chunk : Buffer.concat([held, chunk]);
    if (waiting !== null && held.length >= 64) {
      const resolve = waiting;
      waiting = null;
      resolve(take());
    }
  });
  const take = () => {
    const message = held.subarray(0, 64);
    held = held.subarray(64);
    return message;
  };
  return () =>
    held.length >= 64
      ? Promise.resolve(take())
      : new Promise((resolve) => {
          waiting = resolve;
        });
}

// Each round-trip variant opens its connection once and returns `run(n)`, which makes n round
// trips on it, and `close()`.
export const roundTrip = {
  async 'raw net'() {
    const server = await listening((socket) => {
      let pending = 0;
      socket.on('data', (chunk) => {
        // Echo whole 64-byte messages (TCP may split or join them).
        pending += chunk.length;
        while (pending >= 64) {
          socket.write(chunk.length === 64 ? chunk : ANSWER);
          pending -= 64;
        }
      });
    });
    const client = await rawConnect(server.address().port);
    const request = Buffer.alloc(64, 0x72);
    let left = 0;
    let got = 0;
    let done = null;
    client.on('data', (chunk) => {
      got += chunk.length;
      while (got >= 64) {
        got -= 64;
        if (--left === 0) return done();
        client.write(request);
      }
    });
    return {
      run: (count) =>
        new Promise((resolve) => {
          left = count;
          done = resolve;
          client.write(request);
        }),
      close() {
        client.destroy();
        server.close();
      },
    };
  },

  // The least any reader that awaits each read does: a Promise per read, resolved from
  // 'data'. Not a Tronada figure; it shows how much of IOStream's cost is the await itself.
  async 'net + a Promise per read'() {
    const server = await listening(async (socket) => {
      const next = promiseReader(socket);
      for (;;) socket.write(await next());
    });
    const client = await rawConnect(server.address().port);
    const next = promiseReader(client);
    const request = Buffer.alloc(64, 0x72);
    return {
      async run(count) {
        for (let i = 0; i < count; i++) {
          client.write(request);
          await next();
        }
      },
      close() {
        client.destroy();
        server.close();
      },
    };
  },

  // Served by a TCPServer and connected with IOStream.connect, as shipped (both ends on bare
  // libuv handles).
  IOStream: () => ioStreamRoundTrip(undefined),

  async 'IOStream, coroutines'() {
    const server = await serving((stream) => {
      coroutine(function* () {
        for (;;) stream.write(yield* stream.readBytes(64));
      })().then(undefined, () => stream.close());
    });
    const client = await IOStream.connect({ host: '127.0.0.1', port: server.port });
    client.setNodelay(true);
    const request = Buffer.alloc(64, 0x72);
    return {
      run: (count) =>
        coroutine(function* () {
          for (let i = 0; i < count; i++) {
            client.write(request);
            yield* client.readBytes(64);
          }
        })(),
      close() {
        client.close();
        server.stop();
      },
    };
  },

  // Both ends on sockets (`transport: 'socket'`), as every connection was before handles.
  'IOStream, socket transport': () => ioStreamRoundTrip('socket'),
};
