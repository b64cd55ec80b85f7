// One round-trip variant of bench/streams.mjs on its own, long enough to profile:
//
//   VARIANT=async node --cpu-prof bench/roundtrip-profile.mjs
//   VARIANT=async perf record -e cpu-clock -g node --perf-basic-prof bench/roundtrip-profile.mjs
//
// VARIANT is raw (net.Socket 'data' handlers), floor (raw sockets awaiting a plain Promise per
// read), async (readBytes + write with async/await, the default) or coroutine (the same as
// generator coroutines); BENCH_ROUNDTRIPS (default 200,000)
// 64-byte request/response exchanges over loopback TCP, both ends in this process. Prints the
// process CPU time per round trip, split into user and system.
import { once } from 'node:events';
import * as net from 'node:net';
import { coroutine } from '@tronada/gen';
import { IOStream } from '../dist/index.js';

const COUNT = Number(process.env.BENCH_ROUNDTRIPS ?? 200_000);
const VARIANT = process.env.VARIANT ?? 'async';
const request = Buffer.alloc(64, 0x72);

async function listening(onConnection) {
  const server = net.createServer({ noDelay: true }, onConnection);
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

async function raw() {
  const server = await listening((socket) => {
    socket.on('data', (chunk) => socket.write(chunk));
  });
  const client = net.connect({ port: server.address().port, host: '127.0.0.1', noDelay: true });
  await once(client, 'connect');
  await new Promise((resolve) => {
    let left = COUNT;
    client.on('data', () => {
      if (--left === 0) return resolve();
      client.write(request);
    });
    client.write(request);
  });
  client.destroy();
  server.close();
}

/** A function returning a Promise of the next 64 bytes `socket` receives. */
function promiseReader(socket) {
  let held = Buffer.alloc(0);
  let waiting = null;
  const take = () => {
    const message = held.subarray(0, 64);
    held = held.subarray(64);
    return message;
  };
  socket.on('data', (chunk) => {
    held = held.length === 0 ? chunk : Buffer.concat([held, chunk]);
    if (waiting !== null && held.length >= 64) {
      const resolve = waiting;
      waiting = null;
      resolve(take());
    }
  });
  return () =>
    held.length >= 64
      ? Promise.resolve(take())
      : new Promise((resolve) => {
          waiting = resolve;
        });
}

async function floor() {
  const server = await listening(async (socket) => {
    const next = promiseReader(socket);
    for (;;) socket.write(await next());
  });
  const client = net.connect({ port: server.address().port, host: '127.0.0.1', noDelay: true });
  await once(client, 'connect');
  const next = promiseReader(client);
  for (let i = 0; i < COUNT; i++) {
    client.write(request);
    await next();
  }
  client.destroy();
  server.close();
}

async function viaAsync() {
  const server = await listening(async (socket) => {
    const stream = new IOStream(socket);
    try {
      for (;;) stream.write(await stream.readBytes(64));
    } catch {
      stream.close();
    }
  });
  const client = await IOStream.connect({ host: '127.0.0.1', port: server.address().port });
  client.setNodelay(true);
  for (let i = 0; i < COUNT; i++) {
    client.write(request);
    await client.readBytes(64);
  }
  client.close();
  server.close();
}

async function viaCoroutine() {
  const server = await listening((socket) => {
    const stream = new IOStream(socket);
    coroutine(function* () {
      for (;;) stream.write(yield* stream.readBytes(64));
    })().then(undefined, () => stream.close());
  });
  const client = await IOStream.connect({ host: '127.0.0.1', port: server.address().port });
  client.setNodelay(true);
  await coroutine(function* () {
    for (let i = 0; i < COUNT; i++) {
      client.write(request);
      yield* client.readBytes(64);
    }
  })();
  client.close();
  server.close();
}

const variants = { raw, floor, async: viaAsync, coroutine: viaCoroutine };
if (!(VARIANT in variants)) throw new Error(`VARIANT must be one of ${Object.keys(variants)}`);
const cpu0 = process.cpuUsage();
await variants[VARIANT]();
const cpu = process.cpuUsage(cpu0);
const per = (us) => (us / COUNT).toFixed(2);
console.log(
  `${VARIANT}: ${per(cpu.user + cpu.system)} µs CPU per round trip (user ${per(cpu.user)}, system ${per(cpu.system)}), ${COUNT} round trips`,
);
