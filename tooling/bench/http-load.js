/**
 * The shared driver of the HTTP server benchmarks: runs each server in its own process (pinned
 * to CPU 0 with taskset when there is one), puts keep-alive load on it with wrk (pinned to CPU 1)
 * or, without wrk, with a small Node load generator, and reports requests per second and the
 * server's CPU time per request (user + system from /proc/<pid>/stat), the steady figure on a
 * busy machine. Bounded in time; ends only the processes it started.
 */
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { median } from './harness.js';

const TICKS = Number(spawnSync('getconf', ['CLK_TCK']).stdout?.toString().trim() || 100);
const LOAD_SCRIPT = fileURLToPath(new URL('./http-load-generator.js', import.meta.url));

/** True when `program args` runs and exits 0. */
export function has(program, args) {
  return spawnSync(program, args, { stdio: 'ignore' }).status === 0;
}

/** Whether taskset, wrk and ab (ApacheBench) are available. */
export const tools = {
  taskset: has('taskset', ['-c', '0', 'true']),
  ab: has('ab', ['-V']),
  wrk: has('wrk', ['--version']) || (spawnSync('wrk', ['-v']).stdout?.length ?? 0) > 0,
};

/** The Python that can import tornado, if any. */
export function tornadoPython() {
  return ['/usr/bin/python3', 'python3'].find((p) => has(p, ['-c', 'import tornado']));
}

function pinned(cpu, command, args) {
  return tools.taskset ? ['taskset', ['-c', String(cpu), command, ...args]] : [command, args];
}

/** CPU seconds (user + system) process `pid` has used. */
export function cpuSeconds(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS;
}

/** Resident memory of process `pid`, in bytes. */
export function rssBytes(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'latin1');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)[1]) * 1024;
}

/** A port nobody listens on right now. */
export async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Waits until something accepts connections on `port` (or `child` exits). */
export async function waitForPort(port, child, ms = 15_000) {
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

/** Runs a program to its end (killed after `limitSeconds`); resolves with its stdout. */
export function runToEnd(command, args, limitSeconds) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), limitSeconds * 1000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else reject(new Error(`${command} exited with ${code}`));
    });
  });
}

/**
 * Starts the server `serverArgs` (the port is appended) pinned to CPU 0, waits until it listens,
 * runs `use(pid, port, url of path)` and ends the server (by its PID) whatever happens.
 */
async function withServer(serverArgs, path, use) {
  const port = await freePort();
  const [cmd, args] = pinned(0, serverArgs[0], [...serverArgs.slice(1), String(port)]);
  const server = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'inherit'] });
  try {
    await waitForPort(port, server);
    return await use(server.pid, port, `http://127.0.0.1:${port}${path}`);
  } finally {
    server.kill('SIGKILL');
  }
}

/**
 * Starts the server `serverArgs` (the port is appended), loads `path` for `seconds` with
 * `connections` keep-alive connections after a one-second warm-up, and returns
 * `{ server, 'req/s', 'CPU µs/request' }`. `expect` is a string every answer's body ends with
 * (for the Node load generator).
 */
export function measure(name, serverArgs, { path = '/', seconds, connections, expect }) {
  return withServer(serverArgs, path, async (pid, port, url) => {
    let requests;
    let cpu;
    if (tools.wrk) {
      const [wc, wa] = pinned(1, 'wrk', ['-t1', `-c${connections}`, '-d1s', url]);
      await runToEnd(wc, wa, 30);
      const before = cpuSeconds(pid);
      const [mc, ma] = pinned(1, 'wrk', ['-t1', `-c${connections}`, `-d${seconds}s`, url]);
      const out = await runToEnd(mc, ma, seconds + 30);
      cpu = cpuSeconds(pid) - before;
      requests = Number(/(\d+) requests in/.exec(out)?.[1] ?? Number.NaN);
    } else {
      const [lc, la] = pinned(1, process.execPath, [
        LOAD_SCRIPT,
        String(port),
        path,
        String(connections),
        String(seconds),
        expect,
      ]);
      const child = spawn(lc, la, { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
      let before = 0;
      child.on('message', () => {
        before = cpuSeconds(pid);
      });
      let out = '';
      child.stdout.on('data', (d) => {
        out += d;
      });
      const timer = setTimeout(() => child.kill('SIGKILL'), (seconds + 30) * 1000);
      await new Promise((resolve) => child.on('exit', resolve));
      clearTimeout(timer);
      cpu = cpuSeconds(pid) - before;
      requests = JSON.parse(out).answers;
    }
    return {
      server: name,
      'req/s': Math.round(requests / seconds),
      'CPU µs/request': Number(((cpu / requests) * 1e6).toFixed(1)),
    };
  });
}

/**
 * Loads the `started` servers in `rounds` interleaved rounds (every server once per round, in
 * turn; the order reversed every other round), so each round puts the same machine load on
 * every server. `load(server)` runs one server's share of a round and returns how many requests
 * it answered in how many seconds. Returns one row per server, `{ server, 'req/s',
 * 'CPU µs/request' }` (medians over the rounds), and `perRound`: each server's CPU µs per
 * request in every round.
 */
async function inRounds(started, rounds, load) {
  const samples = started.map(() => ({ cpu: [], rate: [] }));
  for (let round = 0; round < rounds; round++) {
    const order = started.map((_, i) => i);
    if (round % 2 === 1) order.reverse();
    for (const i of order) {
      const before = cpuSeconds(started[i].pid);
      const { requests, seconds } = await load(started[i]);
      const cpu = cpuSeconds(started[i].pid) - before;
      samples[i].cpu.push((cpu / requests) * 1e6);
      samples[i].rate.push(requests / seconds);
    }
  }
  const rows = started.map((server, i) => ({
    server: server.name,
    'req/s': Math.round(median(samples[i].rate)),
    'CPU µs/request': Number(median(samples[i].cpu).toFixed(1)),
  }));
  const perRound = Object.fromEntries(started.map((server, i) => [server.name, samples[i].cpu]));
  return { rows, perRound };
}

/**
 * Keep-alive load with wrk (`connections` connections) on every server of `servers`
 * (`[name, serverArgs]` pairs; the port is appended), started side by side: a one-second
 * warm-up each, then `rounds` interleaved rounds of `seconds` per server (every server once per
 * round, in turn; the order reversed every other round), so a change of load on the machine
 * meets them alike. Returns one row per server, `{ server, 'req/s', 'CPU µs/request' }`
 * (medians over the rounds), and `perRound`: each server's CPU µs per request in every round.
 * Needs wrk ({@link tools}).
 */
export function measureKeepAlive(servers, { path = '/', seconds, connections, rounds = 3 }) {
  return withServers(servers, path, async (started) => {
    const run = async (server, duration) => {
      const args = ['-t1', `-c${connections}`, `-d${duration}s`, server.url];
      const [wc, wa] = pinned(1, 'wrk', args);
      const out = await runToEnd(wc, wa, duration + 30);
      return Number(/(\d+) requests in/.exec(out)?.[1] ?? Number.NaN);
    };
    for (const server of started) await run(server, 1);
    return inRounds(started, rounds, async (server) => ({
      requests: await run(server, seconds),
      seconds,
    }));
  });
}

/**
 * Connections served before the measured ab run, about a second's worth like the keep-alive
 * warm-up: the CPU per connection of every server measured here (Node's JIT tiers) settles only
 * after some 4,000 of them; a shorter warm-up measures compilation more than serving.
 */
const WARM_UP_CONNECTIONS = 5000;

/** Starts every server of `servers` (`[name, serverArgs]` pairs) as {@link withServer} does. */
function withServers(servers, path, use, started = []) {
  if (started.length === servers.length) return use(started);
  const [name, serverArgs] = servers[started.length];
  return withServer(serverArgs, path, (pid, _port, url) =>
    withServers(servers, path, use, [...started, { name, pid, url }]),
  );
}

/**
 * Starts every server of `servers` (`[name, serverArgs]` pairs; the port is appended), warms
 * each up with {@link WARM_UP_CONNECTIONS} connections, then sends them `requests` requests
 * each with ab (ApacheBench) without keep-alive, `concurrency` at a time (a new connection per
 * request), in `rounds` interleaved rounds (every server once per round, in turn; the order
 * reversed every other round), so each round puts the same machine load on every server.
 * Returns one row per server, `{ server, 'req/s', 'CPU µs/request' }` (medians over the
 * rounds), and `perRound`: each server's CPU µs per request in every round. Throws when ab
 * reports failed requests.
 */
export function measureNoKeepAlive(servers, { path = '/', requests, concurrency, rounds = 5 }) {
  const perRoundRequests = Math.max(1, Math.round(requests / rounds));
  return withServers(servers, path, async (started) => {
    const run = async (server, n) => {
      const args = ['-q', '-n', String(n), '-c', String(concurrency), server.url];
      const [ac, aa] = pinned(1, 'ab', args);
      const out = await runToEnd(ac, aa, 120);
      const failed = Number(/Failed requests:\s+(\d+)/.exec(out)?.[1] ?? Number.NaN);
      if (failed !== 0) throw new Error(`ab against ${server.name}: ${failed} failed requests`);
      return Number(/Time taken for tests:\s+([\d.]+)/.exec(out)?.[1] ?? Number.NaN);
    };
    for (const server of started) await run(server, WARM_UP_CONNECTIONS);
    return inRounds(started, rounds, async (server) => ({
      requests: perRoundRequests,
      seconds: await run(server, perRoundRequests),
    }));
  });
}
