// Hello world over HTTP/1.1 keep-alive: Tronada's HTTPServer against node:http (and Python
// Tornado 6 when /usr/bin/python3 can import it), measured in the same run.
//
// Each server runs in its own process (pinned to CPU 0 with taskset when there is one); the load
// comes from wrk when installed (pinned to CPU 1), else from a small keep-alive load generator
// in another Node process. For each server: a warm-up, then BENCH_SECONDS of load. Reported:
// requests per second, and the server's CPU time (user + system, from /proc/<pid>/stat) per
// request, which stays meaningful on a busy machine. The run is bounded in time and ends only
// the processes it started.
//
// Run: npx tsc -b packages/httpserver && npm run bench -w @tronada/httpserver
// Then the memory each idle keep-alive connection costs the server: BENCH_HOLD (10,000)
// connections are opened, one request each, and held; the server's RSS growth is divided by
// their number (BENCH_HOLD=0 skips this).
//
// Options: BENCH_SECONDS=5 BENCH_CONNECTIONS=50 BENCH_TARGETS=tronada,node,tornado BENCH_HOLD=10000
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const TARGETS = (process.env.BENCH_TARGETS ?? 'tronada,node,tornado').split(',');
const SELF = fileURLToPath(import.meta.url);
const TICKS = Number(spawnSync('getconf', ['CLK_TCK']).stdout?.toString().trim() || 100);

const TORNADO_APP = `
import asyncio, sys, tornado.web
class Hello(tornado.web.RequestHandler):
    def get(self):
        self.write("Hello, world")
async def main():
    app = tornado.web.Application([(r"/", Hello)])
    app.listen(int(sys.argv[1]), "127.0.0.1")
    print("ready", flush=True)
    await asyncio.Event().wait()
asyncio.run(main())
`;

// ---- child roles -------------------------------------------------------------------------

async function serveTronada(port) {
  const { HTTPServer } = await import('@tronada/httpserver');
  const { HTTPHeaders, ResponseStartLine } = await import('@tronada/httputil');
  const body = Buffer.from('Hello, world');
  const ok = new ResponseStartLine('HTTP/1.1', 200, 'OK');
  const server = new HTTPServer(
    (request) => {
      const headers = new HTTPHeaders({ 'Content-Type': 'text/plain', 'Content-Length': '12' });
      request.connection.writeHeaders(ok, headers, body);
      request.connection.finish();
    },
    { logRequest: null },
  );
  await server.listen(port, '127.0.0.1');
}

async function serveNode(port) {
  const http = await import('node:http');
  const body = Buffer.from('Hello, world');
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': '12' });
    res.end(body);
  });
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
}

/** A closed-loop keep-alive load generator: prints the number of answers in `seconds`. */
function load(port, connections, seconds) {
  const request = Buffer.from('GET / HTTP/1.1\r\nHost: bench\r\n\r\n');
  let answers = 0;
  let counting = false;
  const sockets = [];
  for (let i = 0; i < connections; i++) {
    const s = connect(port, '127.0.0.1');
    s.setNoDelay(true);
    let pending = '';
    s.on('connect', () => s.write(request));
    s.on('data', (d) => {
      // Every answer ends with the body "Hello, world"; count them and ask again.
      pending += d.toString('latin1');
      let at = pending.indexOf('Hello, world');
      while (at !== -1) {
        if (counting) answers += 1;
        pending = pending.slice(at + 12);
        s.write(request);
        at = pending.indexOf('Hello, world');
      }
    });
    s.on('error', () => {});
    sockets.push(s);
  }
  setTimeout(() => {
    counting = true;
    process.send?.({ started: true });
    setTimeout(() => {
      console.log(JSON.stringify({ answers, seconds }));
      for (const s of sockets) s.destroy();
      process.exit(0);
    }, seconds * 1000);
  }, 500);
}

/** Opens `n` keep-alive connections, one request each, then holds them: prints "held". */
async function hold(port, n) {
  const request = Buffer.from('GET / HTTP/1.1\r\nHost: bench\r\n\r\n');
  const sockets = [];
  for (let start = 0; start < n; start += 500) {
    const batch = [];
    for (let i = start; i < Math.min(n, start + 500); i++) {
      batch.push(
        new Promise((resolve, reject) => {
          const s = connect(port, '127.0.0.1');
          sockets.push(s);
          s.once('connect', () => s.write(request));
          s.once('data', () => resolve());
          s.once('error', reject);
        }),
      );
    }
    await Promise.all(batch);
  }
  console.log('held');
  setTimeout(() => process.exit(0), 60_000);
}

// ---- the driver --------------------------------------------------------------------------

function cpuSeconds(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of the file, 12 and 13 after the command name.
  return (Number(fields[11]) + Number(fields[12])) / TICKS;
}

function rssBytes(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'latin1');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)[1]) * 1024;
}

function has(program, args) {
  return spawnSync(program, args, { stdio: 'ignore' }).status === 0;
}

const taskset = has('taskset', ['-c', '0', 'true']);
const wrk = has('wrk', ['--version']) || spawnSync('wrk', ['-v']).stdout?.length > 0;

function pinned(cpu, command, args) {
  return taskset ? ['taskset', ['-c', String(cpu), command, ...args]] : [command, args];
}

async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function waitForPort(port, child, ms = 10_000) {
  const until = Date.now() + ms;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    const ok = await new Promise((resolve) => {
      const s = connect(port, '127.0.0.1');
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > until) throw new Error(`server did not listen on ${port}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function runToEnd(command, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), (SECONDS + 30) * 1000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else reject(new Error(`${command} exited with ${code}`));
    });
  });
}

async function measure(name, serverArgs) {
  const port = await freePort();
  const [cmd, args] = pinned(0, serverArgs[0], [...serverArgs.slice(1), String(port)]);
  const server = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'inherit'] });
  try {
    await waitForPort(port, server);
    // With taskset the child is taskset's exec'd program: same PID.
    const pid = server.pid;
    let requests;
    let cpu;
    if (wrk) {
      // Warm up, then measure.
      const [wc, wa] = pinned(1, 'wrk', [
        '-t1',
        `-c${CONNECTIONS}`,
        '-d1s',
        `http://127.0.0.1:${port}/`,
      ]);
      await runToEnd(wc, wa);
      const before = cpuSeconds(pid);
      const [mc, ma] = pinned(1, 'wrk', [
        '-t1',
        `-c${CONNECTIONS}`,
        `-d${SECONDS}s`,
        `http://127.0.0.1:${port}/`,
      ]);
      const out = await runToEnd(mc, ma);
      cpu = cpuSeconds(pid) - before;
      requests = Number(/(\d+) requests in/.exec(out)?.[1] ?? Number.NaN);
    } else {
      const [lc, la] = pinned(1, process.execPath, [SELF, '--load', String(port)]);
      const child = spawn(lc, la, { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
      let before = 0;
      child.on('message', () => {
        before = cpuSeconds(pid);
      });
      let out = '';
      child.stdout.on('data', (d) => {
        out += d;
      });
      const timer = setTimeout(() => child.kill('SIGKILL'), (SECONDS + 30) * 1000);
      await new Promise((resolve) => child.on('exit', resolve));
      clearTimeout(timer);
      cpu = cpuSeconds(pid) - before;
      requests = JSON.parse(out).answers;
    }
    return {
      server: name,
      'req/s': Math.round(requests / SECONDS),
      'CPU µs/request': Number(((cpu / requests) * 1e6).toFixed(1)),
    };
  } finally {
    server.kill('SIGKILL');
  }
}

/** Memory per idle keep-alive connection: the server's RSS growth while `n` are held. */
async function measureMemory(name, serverArgs, n) {
  const port = await freePort();
  const server = spawn(serverArgs[0], [...serverArgs.slice(1), String(port)], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  let holder = null;
  try {
    await waitForPort(port, server);
    // One connection first, so that lazily loaded code is in both figures.
    await runToEnd(process.execPath, [SELF, '--hold', String(port), '1', '--exit']);
    await new Promise((r) => setTimeout(r, 500));
    const before = rssBytes(server.pid);
    holder = spawn(process.execPath, [SELF, '--hold', String(port), String(n)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('holding timed out')), 60_000);
      holder.stdout.on('data', (d) => {
        if (d.toString().includes('held')) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    await new Promise((r) => setTimeout(r, 1000));
    const after = rssBytes(server.pid);
    return {
      server: name,
      connections: n,
      'KB per connection': Number(((after - before) / n / 1024).toFixed(2)),
    };
  } finally {
    holder?.kill('SIGKILL');
    server.kill('SIGKILL');
  }
}

async function main() {
  const role = process.argv[2];
  if (role === '--serve-tronada') return serveTronada(Number(process.argv[3]));
  if (role === '--serve-node') return serveNode(Number(process.argv[3]));
  if (role === '--load') return load(Number(process.argv[3]), CONNECTIONS, SECONDS);
  if (role === '--hold') {
    await hold(Number(process.argv[3]), Number(process.argv[4]));
    if (process.argv[5] === '--exit') process.exit(0);
    return;
  }

  const python = ['/usr/bin/python3', 'python3'].find((p) => has(p, ['-c', 'import tornado']));
  const targets = {
    tronada: [process.execPath, SELF, '--serve-tronada'],
    node: [process.execPath, SELF, '--serve-node'],
    ...(python && { tornado: [python, '-c', TORNADO_APP] }),
  };
  console.log(
    `hello world, keep-alive, ${CONNECTIONS} connections, ${SECONDS} s each; load: ${wrk ? 'wrk' : 'node load generator'}; ${taskset ? 'server on CPU 0, load on CPU 1' : 'not pinned (no taskset)'}; node ${process.version}; cpus ${execFileSync('nproc').toString().trim()}`,
  );
  const rows = [];
  for (const name of TARGETS) {
    if (targets[name] === undefined) {
      console.log(`${name}: skipped (not available)`);
      continue;
    }
    rows.push(await measure(name, targets[name]));
  }
  console.table(rows);
  const held = Number(process.env.BENCH_HOLD ?? 10_000);
  if (held > 0) {
    console.log(`memory: ${held} idle keep-alive connections held (server RSS growth)`);
    const memory = [];
    for (const name of TARGETS) {
      if (targets[name] !== undefined) memory.push(await measureMemory(name, targets[name], held));
    }
    console.table(memory);
  }
}

await main();
