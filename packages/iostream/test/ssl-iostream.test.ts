/**
 * SSLIOStream over real TLS connections on 127.0.0.1 with the test certificate (Tornado's
 * TestIOStreamSSL, TestIOStreamSSLContext, TestIOStreamWebHTTPS, TestIOStreamStartTLS and
 * WaitForHandshakeTest), plus certificate verification.
 */
import * as net from 'node:net';
import * as tls from 'node:tls';
import { genLog } from '@tronada/ioloop';
import { expectLog } from '@tronada/testing';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { BaseIOStream } from '../src/base-iostream.js';
import { HandshakeAlreadyAwaitedError, StreamNotIdleError } from '../src/errors.js';
import type { IOStream } from '../src/iostream.js';
import { SSLIOStream } from '../src/ssl-iostream.js';
import { streamContract } from './stream.contract.js';
import {
  closeAll,
  closeEvent,
  listen,
  socketPair,
  sslContextPair,
  sslPair,
  stop,
  useStreamTestLoop,
  waitFor,
} from './stream-helpers.js';
import { webContract } from './stream-web.contract.js';
import {
  insecureClientSslOptions,
  serverSslOptions,
  testCert,
  testKey,
  trustingClientSslOptions,
} from './tls-certs.js';

useStreamTestLoop();

streamContract('SSLIOStream', sslPair);
streamContract('SSLIOStream with SecureContexts', sslContextPair);

webContract('SSLIOStream (Tornado TestIOStreamWebHTTPS)', {
  makeServer: (onConnection) => tls.createServer(serverSslOptions, onConnection),
  makeClient: () => new SSLIOStream(new net.Socket(), { sslOptions: insecureClientSslOptions }),
});

describe('startTls (Tornado TestIOStreamStartTLS)', () => {
  let server: BaseIOStream | null;
  let client: BaseIOStream | null;

  beforeEach(async () => {
    [server, client] = await socketPair();
  });
  afterEach(async () => {
    await closeAll(...[server, client].filter((s): s is BaseIOStream => s !== null));
  });

  async function clientSendLine(line: string): Promise<void> {
    void client!.write(line);
    expect((await server!.readUntil('\r\n')).toString()).toBe(line);
  }
  async function serverSendLine(line: string): Promise<void> {
    void server!.write(line);
    expect((await client!.readUntil('\r\n')).toString()).toBe(line);
  }
  function clientStartTls(
    ...args: Parameters<IOStream['startTls']> extends [boolean, ...infer R] ? R : never
  ) {
    const stream = client as IOStream;
    client = null;
    return stream.startTls(false, ...args);
  }
  function serverStartTls() {
    const stream = server as IOStream;
    server = null;
    return stream.startTls(true, serverSslOptions);
  }

  test('an SMTP-style exchange switches to TLS halfway and keeps working', async () => {
    await serverSendLine('220 mail.example.com ready\r\n');
    await clientSendLine('EHLO mail.example.com\r\n');
    await serverSendLine('250-mail.example.com welcome\r\n');
    await serverSendLine('250 STARTTLS\r\n');
    await clientSendLine('STARTTLS\r\n');
    await serverSendLine('220 Go ahead\r\n');
    const clientFuture = clientStartTls(insecureClientSslOptions);
    const serverFuture = serverStartTls();
    client = await clientFuture;
    server = await serverFuture;
    expect(client).toBeInstanceOf(SSLIOStream);
    expect(server).toBeInstanceOf(SSLIOStream);
    await clientSendLine('EHLO mail.example.com\r\n');
    await serverSendLine('250 mail.example.com welcome\r\n');
  });

  test('the handshake fails against an untrusted certificate with verification on by default', async () => {
    const serverFuture = serverStartTls();
    await expectLog(genLog, /SSL Error/, async () => {
      const clientFuture = clientStartTls({}, 'localhost');
      await expect(clientFuture).rejects.toMatchObject({ code: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
      await expect(serverFuture).rejects.toBeInstanceOf(Error);
    });
  });

  test('serverHostname is checked against the certificate', async () => {
    const serverFuture = serverStartTls();
    await expectLog(genLog, /SSL Error/, async () => {
      const clientFuture = clientStartTls(trustingClientSslOptions, 'example.com');
      await expect(clientFuture).rejects.toMatchObject({ code: 'ERR_TLS_CERT_ALTNAME_INVALID' });
      await expect(serverFuture).rejects.toBeInstanceOf(Error);
    });
  });

  test('a trusted certificate and matching serverHostname connect', async () => {
    const clientFuture = clientStartTls(trustingClientSslOptions, 'localhost');
    const serverFuture = serverStartTls();
    client = await clientFuture;
    server = await serverFuture;
    expect((client as SSLIOStream).socket.authorized).toBe(true);
    expect((server as SSLIOStream).socket.servername).toBe('localhost');
  });

  test('a typed array wider than a byte is written as its bytes', async () => {
    const words = new Uint32Array(20);
    words.fill(0x01020304);
    await server!.write(words);
    const received = await client!.readBytes(80);
    expect(received.equals(Buffer.from(words.buffer))).toBe(true);
  });

  test('startTls refuses a stream with buffered data or a pending read', async () => {
    void server!.write('early');
    await client!.readBytes(1);
    await expect(async () => {
      await client!.readBytes(4, { partial: true });
      void client!.readBytes(1);
      (client as IOStream).startTls(false);
    }).rejects.toBeInstanceOf(StreamNotIdleError);
  });

  test('the close callback moves to the TLS stream', async () => {
    let closes = 0;
    client!.setCloseCallback(() => closes++);
    const clientFuture = clientStartTls(insecureClientSslOptions);
    const serverFuture = serverStartTls();
    client = await clientFuture;
    server = await serverFuture;
    const closed = closeEvent(client);
    client.setCloseCallback(() => {
      closes++;
      closed.set();
    });
    server.close();
    await closed.wait();
    expect(closes).toBe(1);
  });
});

describe('waitForHandshake (Tornado WaitForHandshakeTest)', () => {
  let listener: net.Server;
  let port: number;
  let accepted: Promise<SSLIOStream>;

  beforeEach(async () => {
    let resolve: (s: SSLIOStream) => void = () => {};
    accepted = new Promise((r) => {
      resolve = r;
    });
    listener = net.createServer((socket) =>
      resolve(new SSLIOStream(socket, { serverSide: true, sslOptions: serverSslOptions })),
    );
    port = await listen(listener);
  });
  afterEach(() => stop(listener));

  async function connectClient(): Promise<SSLIOStream> {
    const client = new SSLIOStream(new net.Socket(), { sslOptions: insecureClientSslOptions });
    await client.connect({ host: '127.0.0.1', port });
    expect(client.socket.getCipher().name).toBeTruthy();
    return client;
  }

  test('resolves on the server side once the handshake completed', async () => {
    const [client, stream] = await Promise.all([connectClient(), accepted]);
    expect(await stream.waitForHandshake()).toBe(stream);
    expect(stream.socket.getCipher().name).toBeTruthy();
    await closeAll(client, stream);
  });

  test('a second call while the first waits throws HandshakeAlreadyAwaitedError', async () => {
    const clientFuture = connectClient();
    const stream = await accepted;
    const first = stream.waitForHandshake();
    expect(() => stream.waitForHandshake()).toThrow(HandshakeAlreadyAwaitedError);
    await first;
    await closeAll(await clientFuture, stream);
  });

  test('the legacy callbacks of connect and waitForHandshake run after the handshake', async () => {
    const seen: string[] = [];
    const client = new SSLIOStream(new net.Socket(), { sslOptions: insecureClientSslOptions });
    const connected = client.connect({ host: '127.0.0.1', port }, {}, () => seen.push('client'));
    const stream = await accepted;
    await stream.waitForHandshake(() => seen.push('server'));
    await connected;
    await waitFor(() => seen.length === 2, 'both callbacks');
    expect(seen.sort()).toEqual(['client', 'server']);
    await closeAll(client, stream);
  });

  test('once the handshake completed it can be awaited again, and resolves at once', async () => {
    const [client, stream] = await Promise.all([connectClient(), accepted]);
    await stream.waitForHandshake();
    const again = stream.waitForHandshake();
    expect(again.done()).toBe(true);
    await closeAll(client, stream);
  });
});

describe('certificate verification', () => {
  let listener: net.Server;
  let port: number;
  const servernames: Array<string | false> = [];

  beforeEach(async () => {
    servernames.length = 0;
    listener = tls.createServer(serverSslOptions, (socket) => {
      servernames.push((socket as tls.TLSSocket).servername ?? false);
      socket.end('hi');
      socket.on('error', () => {});
    });
    port = await listen(listener);
  });
  afterEach(() => stop(listener));

  test('a client trusting the certificate connects by name, sending the name as SNI', async () => {
    const client = new SSLIOStream(new net.Socket(), { sslOptions: trustingClientSslOptions });
    await client.connect({ host: 'localhost', port });
    expect(client.socket.authorized).toBe(true);
    expect((await client.readUntilClose()).toString()).toBe('hi');
    expect(servernames).toEqual(['localhost']);
    await closeAll(client);
  });

  test('an IP address is checked against the certificate but never sent as SNI', async () => {
    const client = new SSLIOStream(new net.Socket(), { sslOptions: trustingClientSslOptions });
    await client.connect({ host: '127.0.0.1', port });
    expect(client.socket.authorized).toBe(true);
    await waitFor(() => servernames.length > 0, 'the server to see the connection');
    expect(servernames).toEqual([false]);
    await closeAll(client);
  });

  test('a client with default options rejects the self-signed certificate', async () => {
    const client = new SSLIOStream(new net.Socket());
    await expectLog(genLog, /SSL Error.*self-signed/, async () => {
      await expect(client.connect({ host: 'localhost', port })).rejects.toMatchObject({
        code: 'DEPTH_ZERO_SELF_SIGNED_CERT',
      });
    });
    expect(client.closed()).toBe(true);
  });

  test('serverHostname given to the constructor is what the certificate must match', async () => {
    const client = new SSLIOStream(new net.Socket(), {
      sslOptions: trustingClientSslOptions,
      serverHostname: 'other.example',
    });
    await expectLog(genLog, /SSL Error/, async () => {
      await expect(client.connect({ host: '127.0.0.1', port })).rejects.toMatchObject({
        code: 'ERR_TLS_CERT_ALTNAME_INVALID',
      });
    });
  });

  test('an already connected TLS socket is adopted as it is', async () => {
    const socket = tls.connect({ host: '127.0.0.1', port, ca: testCert });
    await new Promise((resolve) => socket.once('secureConnect', resolve));
    const stream = new SSLIOStream(socket);
    expect(stream.waitForHandshake().done()).toBe(true);
    expect((await stream.readUntilClose()).toString()).toBe('hi');
    await closeAll(stream);
  });
});

describe('client certificates on a server stream', () => {
  async function serverWith(
    sslOptions: tls.ConnectionOptions,
  ): Promise<{ port: number; server: net.Server; streams: Promise<SSLIOStream> }> {
    let resolve: (s: SSLIOStream) => void = () => {};
    const streams = new Promise<SSLIOStream>((r) => {
      resolve = r;
    });
    const server = net.createServer((socket) =>
      resolve(new SSLIOStream(socket, { serverSide: true, sslOptions })),
    );
    return { port: await listen(server), server, streams };
  }

  test('a trusted client certificate is accepted when requested', async () => {
    const { port, server, streams } = await serverWith({
      ...serverSslOptions,
      requestCert: true,
      ca: testCert,
    });
    const client = new SSLIOStream(new net.Socket(), {
      sslOptions: { ...trustingClientSslOptions, key: testKey, cert: testCert },
    });
    await client.connect({ host: 'localhost', port });
    const stream = await streams;
    await stream.waitForHandshake();
    expect(stream.socket.getPeerCertificate().subject?.CN).toBe('localhost');
    await closeAll(client, stream);
    await stop(server);
  });

  test('an untrusted client certificate closes the server stream with the verification error', async () => {
    const { port, server, streams } = await serverWith({
      ...serverSslOptions,
      requestCert: true,
      ca: tls.rootCertificates.slice(0, 3).join('\n'),
    });
    const client = new SSLIOStream(new net.Socket(), {
      sslOptions: { ...trustingClientSslOptions, key: testKey, cert: testCert },
    });
    void client.connect({ host: 'localhost', port }).then(
      () => undefined,
      () => undefined,
    );
    const stream = await streams;
    await expectLog(genLog, /SSL Error/, async () => {
      await expect(stream.waitForHandshake()).rejects.toBeInstanceOf(Error);
    });
    expect(stream.closed()).toBe(true);
    await closeAll(client, stream);
    await stop(server);
  });
});
