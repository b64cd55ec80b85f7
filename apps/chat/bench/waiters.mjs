// How the long-polling chat copes with many waiting clients: starts the built server in a child
// process, opens N keep-alive connections that each wait on POST /a/message/updates, posts one
// message, and prints how long everything took and what each waiting client costs the server.
//
//   npx tsc -b apps/chat && node apps/chat/bench/waiters.mjs [--clients 5000]
import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { clients: { type: 'string', default: '5000' } } });
const CLIENTS = Number(values.clients);
const BATCH = 500;

if (!existsSync(fileURLToPath(new URL('../dist/app.js', import.meta.url)))) {
  console.error('Build the chat first: npx tsc -b apps/chat');
  process.exit(1);
}

const child = fork(fileURLToPath(new URL('./server.mjs', import.meta.url)), {
  execArgv: ['--expose-gc'],
});
const replies = [];
let onReply = null;
child.on('message', (message) => {
  if (onReply) {
    const resolve = onReply;
    onReply = null;
    resolve(message);
  } else replies.push(message);
});
function nextReply() {
  if (replies.length > 0) return Promise.resolve(replies.shift());
  return new Promise((resolve) => {
    onReply = resolve;
  });
}
async function stats() {
  child.send('stats');
  return (await nextReply()).stats;
}

/** One keep-alive connection that collects whole responses (Content-Length framed). */
function connect(port) {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const connection = { socket, responses: [], onResponse: null };
    let buffer = Buffer.alloc(0);
    socket.on('data', (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        const headEnd = buffer.indexOf('\r\n\r\n');
        if (headEnd < 0) return;
        const head = buffer.subarray(0, headEnd).toString();
        const length = Number(/content-length:\s*(\d+)/i.exec(head)?.[1] ?? 0);
        if (buffer.length < headEnd + 4 + length) return;
        const response = {
          head,
          body: buffer.subarray(headEnd + 4, headEnd + 4 + length).toString(),
        };
        buffer = buffer.subarray(headEnd + 4 + length);
        connection.responses.push(response);
        connection.onResponse?.();
      }
    });
    socket.once('connect', () => resolve(connection));
    socket.once('error', reject);
  });
}
function nextResponse(connection) {
  if (connection.responses.length > 0) return Promise.resolve(connection.responses.shift());
  return new Promise((resolve) => {
    connection.onResponse = () => {
      connection.onResponse = null;
      resolve(connection.responses.shift());
    };
  });
}
function request(port, method, path, headers, body = '') {
  const lines = [`${method} ${path} HTTP/1.1`, `Host: 127.0.0.1:${port}`];
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  lines.push(`Content-Length: ${Buffer.byteLength(body)}`, '', body);
  return lines.join('\r\n');
}

const { port } = await nextReply();
const control = await connect(port);
control.socket.write(request(port, 'GET', '/', {}));
const page = await nextResponse(control);
const xsrf = /_xsrf=([^;\r\n]+)/.exec(page.head)[1];
const formHeaders = {
  Cookie: `_xsrf=${xsrf}`,
  'X-XSRFToken': xsrf,
  'Content-Type': 'application/x-www-form-urlencoded',
};
control.socket.write(request(port, 'POST', '/a/message/new', formHeaders, 'body=before'));
const cursor = JSON.parse((await nextResponse(control)).body).id;
const poll = request(port, 'POST', '/a/message/updates', formHeaders, `cursor=${cursor}`);

const baseline = await stats();
const started = performance.now();
const connections = [];
for (let i = 0; i < CLIENTS; i += BATCH) {
  const size = Math.min(BATCH, CLIENTS - i);
  const batch = await Promise.all(Array.from({ length: size }, () => connect(port)));
  for (const connection of batch) connection.socket.write(poll);
  connections.push(...batch);
}
const connected = performance.now();
for (;;) {
  child.send('waiters');
  if ((await nextReply()).waiters === CLIENTS) break;
  await new Promise((resolve) => setTimeout(resolve, 20));
}
const allWaiting = performance.now();
const waiting = await stats();

const posted = performance.now();
control.socket.write(request(port, 'POST', '/a/message/new', formHeaders, 'body=to+everyone'));
const message = JSON.parse((await nextResponse(control)).body);
const answers = await Promise.all(connections.map(nextResponse));
const delivered = performance.now();
const correct = answers.filter((answer) => JSON.parse(answer.body).messages[0]?.id === message.id);
const after = await stats();

const mib = (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;
console.log(`clients waiting:             ${waiting.waiters} (${waiting.connections} connections)`);
console.log(`time to connect:             ${((connected - started) / 1000).toFixed(2)} s`);
console.log(`time until all wait:         ${((allWaiting - started) / 1000).toFixed(2)} s`);
console.log(`time to deliver one message: ${((delivered - posted) / 1000).toFixed(2)} s`);
console.log(`clients that got it:         ${correct.length} of ${CLIENTS}`);
console.log(`server RSS:                  ${mib(baseline.rss)} idle, ${mib(waiting.rss)} waiting`);
console.log(
  `server heap used:            ${mib(baseline.heapUsed)} idle, ${mib(waiting.heapUsed)} waiting`,
);
console.log(
  `per waiting client:          ${kib((waiting.rss - baseline.rss) / CLIENTS)} RSS, ${kib((waiting.heapUsed - baseline.heapUsed) / CLIENTS)} heap`,
);
console.log(`waiters left after delivery: ${after.waiters}`);

for (const connection of connections) connection.socket.destroy();
control.socket.destroy();
child.send('exit');
if (correct.length !== CLIENTS || after.waiters !== 0) process.exitCode = 1;
