// One client process of the C10K benchmark (tooling/bench/c10k.mjs):
//
//   node c10k-client.mjs <port> <websockets> <polls> <index> <message length>
//
// Raw sockets, so the client costs the same against every server. On `{ type: 'open', what }`
// (what: 'ws' or 'poll') it opens its websockets (handshake by hand) or sends its long-poll
// requests, in batches, from the source addresses 127.0.0.2–127.0.0.9 (so 16,000 connections do
// not run out of ephemeral ports), and answers `{ opened, count }`. Then it waits for the
// broadcast: each websocket expects one unmasked text frame of <message length> bytes, each poll
// one complete HTTP response. When all have theirs it sends `{ done }` with the arrival time of
// the last of each kind (process.hrtime.bigint(), a system-wide monotonic clock on Linux, so the
// driver can compare it with its own). For the next broadcast, `{ type: 'arm' }` resets the
// counts and `{ type: 'open', what: 'repoll' }` sends every poll again on its connection;
// `{ type: 'report' }` asks for the counts so far.
import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';

const [port, websockets, polls, index, messageLength] = process.argv.slice(2).map(Number);
const BATCH = 100;
const ATTEMPTS = 5;
const frameLength = 2 + messageLength; // messages here are under 126 bytes

const received = { ws: 0, poll: 0, failed: 0 };
const last = { ws: 0n, poll: 0n };

function arrived(what) {
  received[what]++;
  last[what] = process.hrtime.bigint();
  if (received.ws === websockets && received.poll === polls) report(true);
}

function report(done) {
  process.send({
    done,
    ws: received.ws,
    poll: received.poll,
    failed: received.failed,
    lastWs: String(last.ws),
    lastPoll: String(last.poll),
  });
}

/** Counts a connection that will never get its message, and tells the driver why (once). */
function fail(why) {
  if (received.failed++ === 0) process.send({ error: why });
}

/**
 * Connects from `localAddress` and writes `request`; resolves with the socket once written.
 * `onData` sees every chunk that arrives afterwards.
 */
function open(localAddress, request, onData) {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: '127.0.0.1', localAddress });
    socket.once('error', reject);
    socket.on('data', onData);
    socket.once('connect', () => {
      socket.write(request, () => {
        socket.off('error', reject);
        // A reset after the broadcast is the server going away; before it, a lost connection.
        socket.on('error', () => {});
        resolve(socket);
      });
    });
  });
}

async function openWithRetries(localAddress, request, onData) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await open(localAddress, request, onData);
    } catch (error) {
      // A full accept queue resets or refuses; try again a little later.
      if (attempt === ATTEMPTS) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
    }
  }
}

/** A websocket: the handshake, then one frame per broadcast. */
function openWebsocket(localAddress) {
  let head = Buffer.alloc(0);
  let frameBytes = -1; // bytes after the 101's head; -1 until the head is complete
  let frames = 0;
  const request =
    `GET /ws HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
    `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`;
  return openWithRetries(localAddress, request, (chunk) => {
    if (frameBytes < 0) {
      head = Buffer.concat([head, chunk]);
      const headEnd = head.indexOf('\r\n\r\n');
      if (headEnd < 0) return;
      if (!head.toString('latin1', 0, 12).startsWith('HTTP/1.1 101')) {
        fail(`handshake failed: ${head.toString('latin1', 0, headEnd)}`);
        return;
      }
      frameBytes = head.length - headEnd - 4;
    } else {
      frameBytes += chunk.length;
    }
    while (frames < Math.floor(frameBytes / frameLength)) {
      frames++;
      arrived('ws');
    }
  });
}

const pollRequest = `GET /poll HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`;

/**
 * A long poll: a keep-alive GET whose complete response is the broadcast. Returns a function
 * that sends the next poll on the same connection.
 */
async function openPoll(localAddress) {
  let buffered = Buffer.alloc(0);
  let finished = false;
  const socket = await openWithRetries(localAddress, pollRequest, (chunk) => {
    if (finished) return;
    buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
    const headEnd = buffered.indexOf('\r\n\r\n');
    if (headEnd < 0) return;
    const head = buffered.toString('latin1', 0, headEnd);
    if (!head.startsWith('HTTP/1.1 200')) {
      finished = true;
      fail(`poll failed: ${head}`);
      return;
    }
    const length = /\r\ncontent-length:\s*(\d+)/i.exec(head);
    const complete = length
      ? buffered.length - headEnd - 4 >= Number(length[1])
      : buffered.subarray(-5).toString('latin1') === '0\r\n\r\n';
    if (complete) {
      finished = true;
      arrived('poll');
    }
  });
  return () =>
    new Promise((resolve) => {
      buffered = Buffer.alloc(0);
      finished = false;
      socket.write(pollRequest, resolve);
    });
}

const repolls = [];
let next = 0;

async function openAll(what) {
  const count = what === 'ws' ? websockets : polls;
  for (let i = 0; i < count; i += BATCH) {
    const batch = [];
    for (let j = i; j < Math.min(count, i + BATCH); j++) {
      const localAddress = `127.0.0.${2 + ((index + next++) % 8)}`;
      batch.push(what === 'ws' ? openWebsocket(localAddress) : openPoll(localAddress));
    }
    const opened = await Promise.all(batch);
    if (what === 'poll') repolls.push(...opened);
  }
  process.send({ opened: what, count });
}

async function pollAgain() {
  for (let i = 0; i < repolls.length; i += BATCH) {
    await Promise.all(repolls.slice(i, i + BATCH).map((repoll) => repoll()));
  }
  process.send({ opened: 'repoll', count: repolls.length });
}

process.on('message', (request) => {
  if (request.type === 'open') {
    const opening = request.what === 'repoll' ? pollAgain() : openAll(request.what);
    opening.catch((error) => {
      process.send({ error: String(error) });
    });
  } else if (request.type === 'arm') {
    // The next broadcast: count its arrivals from zero.
    received.ws = 0;
    received.poll = 0;
    last.ws = 0n;
    last.poll = 0n;
    process.send({ armed: true });
  } else if (request.type === 'report') {
    report(false);
  }
});
process.send({ ready: true });
