/**
 * netutil: bindSockets, bindUnusedPort, addAcceptHandler, isValidIp (Tornado's netutil_test
 * IsValidIPTest and TestPortAllocation), on real loopback sockets.
 */
import type { AddressInfo, Server, Socket } from 'node:net';
import { connect, createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  addAcceptHandler,
  bindSockets,
  bindUnusedPort,
  closeServer,
  isValidIp,
  listeningServerCount,
  reusePortSupported,
} from '../src/netutil.js';
import { ResolveError, ReusePortUnsupportedError } from '../src/network-errors.js';

async function canBindIpv6Loopback(): Promise<boolean> {
  const probe = createServer();
  return new Promise((resolve) => {
    probe.once('error', () => resolve(false));
    probe.listen(0, '::1', () => probe.close(() => resolve(true)));
  });
}

const ipv6 = await canBindIpv6Loopback();

const opened: Array<Server | Socket> = [];

function track<T extends Server | Socket>(x: T): T {
  opened.push(x);
  return x;
}

afterEach(() => {
  for (const x of opened.splice(0)) {
    if ('listening' in x) closeServer(x);
    else x.destroy();
  }
});

const portOf = (server: Server): number => (server.address() as AddressInfo).port;

function connectTo(port: number, host = '127.0.0.1'): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = track(connect(port, host));
    socket.once('connect', () => resolve(socket));
    socket.once('error', reject);
  });
}

async function waitFor(condition: () => boolean | Promise<boolean>): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (await condition()) return;
    await new Promise((r) => setTimeout(r, 2));
  }
  throw new Error('condition not met within 1 s');
}

const connections = (server: Server): Promise<number> =>
  new Promise((resolve, reject) =>
    server.getConnections((error, n) => (error ? reject(error) : resolve(n))),
  );

describe('isValidIp', () => {
  it('accepts IPv4 and IPv6 literals', () => {
    for (const ip of ['127.0.0.1', '4.4.4.4', '::1', '2620:0:1cfe:face:b00c::3']) {
      expect(isValidIp(ip), ip).toBe(true);
    }
  });

  it('rejects host names, junk, blanks, NUL bytes and long strings', () => {
    for (const ip of [
      'www.google.com',
      'localhost',
      '4.4.4.4<',
      ' 127.0.0.1',
      '',
      ' ',
      '\n',
      '\x00',
      'a'.repeat(100),
    ]) {
      expect(isValidIp(ip), JSON.stringify(ip)).toBe(false);
    }
  });
});

describe('bindSockets', () => {
  it(
    ipv6
      ? 'port 0 on all interfaces binds IPv4 and IPv6 to the same port'
      : 'port 0 on all interfaces binds IPv4 (this host cannot bind ::1, so there is no IPv6 socket to compare)',
    async () => {
      const servers = (await bindSockets(0)).map(track);
      expect(servers).toHaveLength(ipv6 ? 2 : 1);
      const families = servers.map((s) => (s.address() as AddressInfo).family);
      expect(families).toEqual(ipv6 ? ['IPv4', 'IPv6'] : ['IPv4']);
      const port = portOf(servers[0]!);
      expect(port).toBeGreaterThan(0);
      expect(servers.every((s) => portOf(s) === port)).toBe(true);
    },
  );

  it('binds every address a host name resolves to, on one port', async () => {
    const servers = (await bindSockets(0, 'localhost')).map(track);
    expect(servers.length).toBeGreaterThanOrEqual(1);
    const port = portOf(servers[0]!);
    expect(servers.every((s) => portOf(s) === port)).toBe(true);
    const addresses = servers.map((s) => (s.address() as AddressInfo).address);
    expect(addresses).toContain('127.0.0.1');
  });

  it('restricts to one family when asked', async () => {
    const servers = (await bindSockets(0, undefined, { family: 4 })).map(track);
    expect(servers.map((s) => (s.address() as AddressInfo).address)).toEqual(['0.0.0.0']);
  });

  it(
    ipv6
      ? 'binds an IPv6 literal and accepts connections on it'
      : 'binds an IPv4 literal and accepts connections on it (this host cannot bind ::1)',
    async () => {
      const host = ipv6 ? '::1' : '127.0.0.1';
      const [server] = (await bindSockets(0, host)).map(track);
      const accepted: Socket[] = [];
      addAcceptHandler(server!, (s) => accepted.push(track(s)));
      await connectTo(portOf(server!), host);
      await waitFor(() => accepted.length === 1);
    },
  );

  it('fails with ResolveError when a literal does not match the family asked for', async () => {
    await expect(bindSockets(0, '127.0.0.1', { family: 6 })).rejects.toThrow(ResolveError);
  });

  it('fails with EADDRINUSE on a port in use and leaves nothing listening', async () => {
    const [taken, port] = await bindUnusedPort();
    track(taken);
    const before = listeningServerCount();
    await expect(bindSockets(port, '127.0.0.1')).rejects.toMatchObject({ code: 'EADDRINUSE' });
    expect(listeningServerCount()).toBe(before);
  });

  it(
    ipv6
      ? 'closes the IPv4 server it bound when the IPv6 bind on the same port fails'
      : 'fails on a taken IPv4 wildcard port without leaking a server (this host cannot bind ::1, so the IPv6-fails-second case cannot occur)',
    async () => {
      const raw = track(createServer());
      await new Promise<void>((r) =>
        raw.listen(
          ipv6 ? { port: 0, host: '::', ipv6Only: true } : { port: 0, host: '0.0.0.0' },
          r,
        ),
      );
      const before = listeningServerCount();
      await expect(bindSockets(portOf(raw))).rejects.toMatchObject({ code: 'EADDRINUSE' });
      expect(listeningServerCount()).toBe(before);
    },
  );

  it(
    reusePortSupported()
      ? 'reusePort lets two servers bind the same port'
      : `reusePort fails with ReusePortUnsupportedError on Node ${process.versions.node}, which cannot set SO_REUSEPORT`,
    async () => {
      if (reusePortSupported()) {
        const [first, port] = await bindUnusedPort('127.0.0.1', { reusePort: true });
        track(first);
        const again = (await bindSockets(port, '127.0.0.1', { reusePort: true })).map(track);
        expect(again.every((s) => portOf(s) === port)).toBe(true);
      } else {
        await expect(bindSockets(0, '127.0.0.1', { reusePort: true })).rejects.toThrow(
          ReusePortUnsupportedError,
        );
      }
    },
  );

  it('knows which Node versions support reusePort', () => {
    expect(reusePortSupported('20.20.2')).toBe(false);
    expect(reusePortSupported('22.11.0')).toBe(false);
    expect(reusePortSupported('22.12.0')).toBe(true);
    expect(reusePortSupported('23.0.0')).toBe(false);
    expect(reusePortSupported('23.1.0')).toBe(true);
    expect(reusePortSupported('24.0.0')).toBe(true);
  });
});

describe('bindUnusedPort', () => {
  it('returns a listening server on 127.0.0.1 and its port', async () => {
    const [server, port] = await bindUnusedPort();
    track(server);
    expect(server.listening).toBe(true);
    expect(server.address()).toMatchObject({ address: '127.0.0.1', port });
  });
});

describe('addAcceptHandler', () => {
  it('delivers connections that arrived before the handler was attached', async () => {
    const [server, port] = await bindUnusedPort();
    track(server);
    await connectTo(port);
    await connectTo(port);
    await waitFor(async () => (await connections(server)) === 2);
    const accepted: Socket[] = [];
    addAcceptHandler(server, (s) => accepted.push(track(s)));
    expect(accepted).toHaveLength(2);
    await connectTo(port);
    await waitFor(() => accepted.length === 3);
  });

  it('refuses connections beyond the backlog while no handler is attached', async () => {
    const [server] = (await bindSockets(0, '127.0.0.1', { backlog: 1 })).map(track);
    const port = portOf(server!);
    await connectTo(port);
    const second = await connectTo(port);
    await new Promise((resolve) => second.once('close', resolve));
    const accepted: Socket[] = [];
    addAcceptHandler(server!, (s) => accepted.push(track(s)));
    expect(accepted).toHaveLength(1);
  });

  it('makes connections wait again after the handler is removed', async () => {
    const [server, port] = await bindUnusedPort();
    track(server);
    const first: Socket[] = [];
    const remove = addAcceptHandler(server, (s) => first.push(track(s)));
    remove();
    remove();
    await connectTo(port);
    await waitFor(async () => (await connections(server)) === 1);
    expect(first).toHaveLength(0);
    const second: Socket[] = [];
    addAcceptHandler(server, (s) => second.push(track(s)));
    expect(second).toHaveLength(1);
  });

  it('survives a waiting connection that the peer resets', async () => {
    const [server, port] = await bindUnusedPort();
    track(server);
    const client = await connectTo(port);
    await waitFor(async () => (await connections(server)) === 1);
    client.resetAndDestroy();
    await waitFor(async () => (await connections(server)) === 0);
    const accepted: Socket[] = [];
    addAcceptHandler(server, (s) => accepted.push(track(s)));
    expect(accepted).toHaveLength(0);
  });
});
