// HTTP proxies (node:http as the proxy): plain requests go to the proxy with the absolute URL
// as target and Proxy-Authorization; https requests tunnel with CONNECT, then TLS end to end.
import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { connect, type Socket } from 'node:net';
import { useTestLoop } from '@tronada/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HTTPClientError } from '../src/index.js';
import { cleanup, newClient, nodeServe, respond, serve } from './helpers.js';

useTestLoop({ beforeEach, afterEach }, { clock: false });
afterEach(cleanup);

const fixtures = new URL('../../iostream/test/fixtures/tls/', import.meta.url);
const cert = readFileSync(new URL('test.crt', fixtures));
const key = readFileSync(new URL('test.key', fixtures));

/** A forwarding proxy that records what it was asked. */
async function proxyServer() {
  const seen: string[] = [];
  const tunnels: Socket[] = [];
  const proxy = await nodeServe((req, res) => {
    seen.push(`${req.method} ${req.url} ${req.headers['proxy-authorization'] ?? '-'}`);
    const target = new URL(req.url!);
    const upstream = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname + target.search,
        method: req.method,
        headers: { 'x-via': 'proxy' },
      },
      (up) => {
        res.writeHead(up.statusCode!, up.headers);
        up.pipe(res);
      },
    );
    req.pipe(upstream);
  });
  proxy.server.on('connect', (req, client: Socket, head: Buffer) => {
    seen.push(`CONNECT ${req.url} ${req.headers['proxy-authorization'] ?? '-'}`);
    const [host, port] = req.url!.split(':');
    const upstream = connect(Number(port), host!, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    tunnels.push(upstream, client);
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  return {
    ...proxy,
    seen,
    closeTunnels: () => {
      for (const s of tunnels) s.destroy();
    },
  };
}

describe('proxies', () => {
  it('sends plain requests through an HTTP proxy with the absolute URL and credentials', async () => {
    const { url: target } = await serve((request) =>
      respond(request, `${request.uri} via ${request.headers.get('X-Via')}`),
    );
    const proxy = await proxyServer();
    const response = await newClient().fetch(`${target}/path?q=1`, {
      proxyHost: '127.0.0.1',
      proxyPort: proxy.port,
      proxyUsername: 'user',
      proxyPassword: 'pass',
    });
    expect(response.text).toBe('/path?q=1 via proxy');
    expect(proxy.seen).toEqual([
      `GET ${target}/path?q=1 Basic ${Buffer.from('user:pass').toString('base64')}`,
    ]);
  });

  it('tunnels https with CONNECT and checks the certificate of the real server', async () => {
    const { port } = await serve((request) => respond(request, `${request.protocol} ok`), {
      sslOptions: { key, cert },
    });
    const proxy = await proxyServer();
    const client = newClient();
    const response = await client.fetch(`https://localhost:${port}/`, {
      proxyHost: '127.0.0.1',
      proxyPort: proxy.port,
      caCerts: cert,
    });
    expect(response.text).toBe('https ok');
    expect(proxy.seen).toEqual([`CONNECT localhost:${port} -`]);
    client.close();
    proxy.closeTunnels();
  });

  it('fails with a 599 when the proxy refuses the tunnel', async () => {
    const refusing = await nodeServe((_req, res) => res.end());
    refusing.server.on('connect', (_req, socket: Socket) => {
      socket.end('HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 0\r\n\r\n');
    });
    const error = await newClient()
      .fetch('https://localhost:1/', { proxyHost: '127.0.0.1', proxyPort: refusing.port })
      .then(
        () => undefined,
        (e: unknown) => e as HTTPClientError,
      );
    expect(error?.status).toBe(599);
    expect(error?.message).toContain('407');
  });
});
