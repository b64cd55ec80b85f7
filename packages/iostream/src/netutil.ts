/**
 * Listening sockets, the way Tornado's `netutil` makes them, on Node's `net.Server`.
 *
 * Node has no "bound but not yet accepting" socket: a listening `net.Server` accepts at once.
 * To keep Tornado's order of events (bind first, attach the handler later, and no connection is
 * lost in between), every server made here queues the connections that arrive before
 * {@link addAcceptHandler} is called, up to the backlog, as the kernel's accept queue would.
 */
import { lookup } from 'node:dns/promises';
import type { AddressInfo, Server, Socket } from 'node:net';
import { createServer, isIP } from 'node:net';
import type { Future } from '@tronada/ioloop';
import { genLog, toFuture } from '@tronada/ioloop';
import { ResolveError, ReusePortUnsupportedError } from './network-errors.js';
import type { AddressFamily } from './resolver.js';

/** The listen backlog used when none is given (Tornado's `_DEFAULT_BACKLOG`). */
export const DEFAULT_BACKLOG = 128;

/** Options of {@link bindSockets}. */
export interface BindSocketsOptions {
  /** Only this family; default both IPv4 and IPv6 (where the host has IPv6). */
  family?: AddressFamily;
  /** The listen backlog; default 128. */
  backlog?: number;
  /**
   * Set `SO_REUSEPORT`, so that several processes may bind the same port. Needs Node 22.12 or
   * newer; older versions fail with {@link ReusePortUnsupportedError}.
   */
  reusePort?: boolean;
}

interface PendingQueue {
  readonly sockets: Socket[];
  readonly backlog: number;
  readonly onConnection: (socket: Socket) => void;
}

const ignoreError = (): void => {};

const pending = new WeakMap<Server, PendingQueue>();
/** Servers bound by this module in this process and still listening (see forkProcesses). */
const listening = new Set<Server>();

/**
 * True when this Node.js can set `SO_REUSEPORT` on a listening socket (22.12+, 23.1+).
 *
 * @see Tornado `hasattr(socket, "SO_REUSEPORT")`
 */
export function reusePortSupported(version: string = process.versions.node): boolean {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  return major > 23 || (major === 23 && minor >= 1) || (major === 22 && minor >= 12);
}

/** How many servers made by {@link bindSockets} are listening in this process. */
export function listeningServerCount(): number {
  let n = 0;
  // A closed server leaves the set on its 'close' event, which comes a tick after close().
  for (const server of listening) if (server.listening) n++;
  return n;
}

function startQueueing(server: Server, backlog: number): void {
  const queue: PendingQueue = {
    sockets: [],
    backlog,
    onConnection: (socket) => {
      for (let i = queue.sockets.length - 1; i >= 0; i--) {
        if (queue.sockets[i]!.destroyed) queue.sockets.splice(i, 1);
      }
      if (queue.sockets.length >= queue.backlog) {
        // A full accept queue refuses further connections.
        socket.destroy();
        return;
      }
      // Until someone takes the socket, a reset by the peer must not become an uncaught 'error'.
      socket.on('error', ignoreError);
      queue.sockets.push(socket);
    },
  };
  pending.set(server, queue);
  server.on('connection', queue.onConnection);
}

/**
 * Makes a freshly listening `server` hold its connections until a handler is attached
 * ({@link addAcceptHandler}), logs its errors on `genLog` under `name`, and counts it as
 * listening until it closes.
 */
export function queueConnections(server: Server, backlog: number, name: string): void {
  server.on('error', (error) => genLog.error(`Error on listening socket ${name}`, error));
  startQueueing(server, backlog);
  listening.add(server);
  server.once('close', () => listening.delete(server));
}

function listenOne(
  host: string,
  port: number,
  family: AddressFamily,
  backlog: number,
  reusePort: boolean,
): Promise<Server> {
  const server = createServer();
  return new Promise<Server>((resolve, reject) => {
    const onError = (error: Error): void => {
      server.close();
      reject(error);
    };
    server.once('error', onError);
    // `reusePort` is unknown to Node 20's typings; it only reaches here where supported.
    const options = {
      host,
      port,
      backlog,
      ipv6Only: family === 6,
      ...(reusePort && { reusePort }),
    };
    server.listen(options, () => {
      server.off('error', onError);
      queueConnections(server, backlog, `${host}:${port}`);
      resolve(server);
    });
  });
}

async function addressesToBind(
  address: string | null | undefined,
  family: AddressFamily | undefined,
): Promise<Array<{ host: string; family: AddressFamily }>> {
  if (address === undefined || address === null || address === '') {
    // AI_PASSIVE without a host: every interface, IPv4 first (Tornado sorts by family).
    const all: Array<{ host: string; family: AddressFamily }> = [
      { host: '0.0.0.0', family: 4 },
      { host: '::', family: 6 },
    ];
    return all.filter((a) => family === undefined || a.family === family);
  }
  const literal = isIP(address);
  if (literal !== 0) {
    if (family !== undefined && literal !== family) {
      throw new ResolveError(
        address,
        `it is an IPv${literal} address, but family ${family} was asked for`,
      );
    }
    return [{ host: address, family: literal as AddressFamily }];
  }
  let found: Array<{ address: string; family: number }>;
  try {
    found = await lookup(address, { all: true, family: family ?? 0 });
  } catch (error) {
    throw new ResolveError(address, (error as NodeJS.ErrnoException).code ?? String(error), {
      cause: error,
    });
  }
  const unique = new Map<string, { host: string; family: AddressFamily }>();
  for (const a of found) {
    if (a.family === 4 || a.family === 6)
      unique.set(a.address, { host: a.address, family: a.family });
  }
  if (unique.size === 0) throw new ResolveError(address, 'no addresses found');
  return [...unique.values()].sort((a, b) => a.family - b.family);
}

function skippable(
  error: unknown,
  address: string | null | undefined,
  target: { host: string; family: AddressFamily },
): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  if (target.family !== 6) return false;
  // A host without IPv6 support: the wildcard '::' cannot be bound, and IPv4 still serves.
  if (
    (address === undefined || address === null || address === '') &&
    (code === 'EAFNOSUPPORT' || code === 'EADDRNOTAVAIL')
  ) {
    return true;
  }
  // Docker's default setup resolves localhost to ::1 but cannot bind it (Tornado skips it too).
  return address === 'localhost' && target.host === '::1' && code === 'EADDRNOTAVAIL';
}

async function bindAll(
  port: number,
  address: string | null | undefined,
  options: BindSocketsOptions,
): Promise<Server[]> {
  const reusePort = options.reusePort ?? false;
  if (reusePort && !reusePortSupported())
    throw new ReusePortUnsupportedError(process.versions.node);
  const backlog = options.backlog ?? DEFAULT_BACKLOG;
  const targets = await addressesToBind(address, options.family);
  const servers: Server[] = [];
  let boundPort: number | null = null;
  try {
    for (const target of targets) {
      // Port 0 picks a free port once; the other families bind that same port.
      const wanted = port === 0 && boundPort !== null ? boundPort : port;
      let server: Server;
      try {
        server = await listenOne(target.host, wanted, target.family, backlog, reusePort);
      } catch (error) {
        if (skippable(error, address, target)) continue;
        throw error;
      }
      servers.push(server);
      boundPort = (server.address() as AddressInfo).port;
    }
  } catch (error) {
    for (const s of servers) s.close();
    throw error;
  }
  return servers;
}

/**
 * Creates listening servers on `port` for every address `address` stands for: an IP literal,
 * a host name (every address it resolves to), or nothing / `''` for all interfaces (IPv4 and
 * IPv6). Port 0 picks one free port, the same for every family. IPv6 servers are IPv6-only, so
 * an IPv4 one can share the port. Connections that arrive before a handler is attached
 * ({@link addAcceptHandler}, `TCPServer.addSockets`) wait, up to `backlog` of them.
 *
 * Fails with the listen error (`EADDRINUSE`, `EACCES`, ...) after closing whatever it had
 * bound, or with a {@link ResolveError} when `address` does not resolve.
 *
 * In a `node:cluster` worker the servers share the primary's socket, so all workers that bind
 * the same port serve it together.
 *
 * @see Tornado `tornado.netutil.bind_sockets`
 */
export function bindSockets(
  port: number,
  address?: string | null,
  options: BindSocketsOptions = {},
): Future<Server[]> {
  return toFuture(bindAll(port, address, options));
}

/**
 * Binds a listening server to a free port on `address` (default `127.0.0.1`), for tests.
 * Resolves with the server and its port.
 *
 * @see Tornado `tornado.testing.bind_unused_port`
 */
export function bindUnusedPort(
  address = '127.0.0.1',
  options: Pick<BindSocketsOptions, 'reusePort'> = {},
): Future<[Server, number]> {
  return toFuture(
    bindAll(0, address, options).then((servers): [Server, number] => {
      const [first, ...rest] = servers;
      // 'localhost' may stand for two addresses; a test wants one server.
      for (const s of rest) s.close();
      if (first === undefined) throw new ResolveError(address, 'nothing could be bound');
      return [first, (first.address() as AddressInfo).port];
    }),
  );
}

/**
 * Calls `callback(socket)` for every connection `server` accepts, starting with those that
 * waited since it was bound. Returns a function that detaches the callback; connections that
 * arrive after that wait again (up to the backlog) until a callback is attached.
 *
 * @see Tornado `tornado.netutil.add_accept_handler`
 */
export function addAcceptHandler(server: Server, callback: (socket: Socket) => void): () => void {
  const queue = pending.get(server);
  let waiting: Socket[] = [];
  if (queue !== undefined) {
    server.off('connection', queue.onConnection);
    pending.delete(server);
    waiting = queue.sockets.splice(0);
  }
  server.on('connection', callback);
  for (const socket of waiting) {
    socket.off('error', ignoreError);
    if (socket.destroyed) continue;
    callback(socket);
  }
  let removed = false;
  return () => {
    if (removed) return;
    removed = true;
    server.off('connection', callback);
    if (server.listening) startQueueing(server, queue?.backlog ?? DEFAULT_BACKLOG);
  };
}

/**
 * Stops `server` listening and drops the connections still waiting for a handler, as closing
 * a listening socket drops its accept queue. Connections already handed to a handler are not
 * touched. Idempotent.
 *
 * @see Tornado `socket.close()` on a listening socket
 */
export function closeServer(server: Server): void {
  const queue = pending.get(server);
  if (queue !== undefined) {
    pending.delete(server);
    server.off('connection', queue.onConnection);
    for (const socket of queue.sockets.splice(0)) socket.destroy();
  }
  if (server.listening) server.close();
}

/**
 * True if `ip` is a well-formed IPv4 or IPv6 address (an IPv6 zone such as `%eth0` is allowed);
 * false for host names, empty strings and anything with surrounding spaces or NUL bytes.
 *
 * @see Tornado `tornado.netutil.is_valid_ip`
 */
export function isValidIp(ip: string): boolean {
  if (typeof ip !== 'string' || ip === '' || ip.includes('\0')) return false;
  return isIP(ip) !== 0;
}
