/**
 * A closed-loop keep-alive load generator (used when wrk is missing):
 * `node http-load-generator.js port path connections seconds expect` prints
 * `{ "answers": n }` after `seconds` of load, counting answers by the text each ends with.
 */
import { connect } from 'node:net';

const [port, path, connections, seconds, expect] = process.argv.slice(2);
const request = Buffer.from(`GET ${path} HTTP/1.1\r\nHost: bench\r\n\r\n`);
let answers = 0;
let counting = false;
const sockets = [];
for (let i = 0; i < Number(connections); i++) {
  const s = connect(Number(port), '127.0.0.1');
  s.setNoDelay(true);
  let pending = '';
  s.on('connect', () => s.write(request));
  s.on('data', (d) => {
    pending += d.toString('latin1');
    let at = pending.indexOf(expect);
    while (at !== -1) {
      if (counting) answers += 1;
      pending = pending.slice(at + expect.length);
      s.write(request);
      at = pending.indexOf(expect);
    }
  });
  s.on('error', () => {});
  sockets.push(s);
}
setTimeout(() => {
  counting = true;
  process.send?.({ started: true });
  setTimeout(() => {
    console.log(JSON.stringify({ answers }));
    for (const s of sockets) s.destroy();
    process.exit(0);
  }, Number(seconds) * 1000);
}, 500);
