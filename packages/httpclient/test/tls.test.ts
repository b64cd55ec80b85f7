// HTTPS: certificate checks on by default (a self-signed certificate is rejected), the test
// certificate trusted as a CA through caCerts, validateCert false, and TLS settings in the pool
// key (requests with different TLS settings never share a connection).
import { readFileSync } from 'node:fs';
import { createSecureContext } from 'node:tls';
import { fileURLToPath } from 'node:url';
import { genLog } from '@tronada/ioloop';
import { expectLog, useTestLoop } from '@tronada/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HTTPClientError } from '../src/index.js';
import { cleanup, newClient, respond, serve } from './helpers.js';

useTestLoop({ beforeEach, afterEach }, { clock: false });
afterEach(cleanup);

const fixtures = new URL('../../iostream/test/fixtures/tls/', import.meta.url);
const cert = readFileSync(new URL('test.crt', fixtures));
const key = readFileSync(new URL('test.key', fixtures));

function httpsServer() {
  return serve((request) => respond(request, `${request.protocol} ${request.method}`), {
    sslOptions: { key, cert },
  });
}

describe('HTTPS', () => {
  it('rejects a self-signed certificate by default with a 599 naming the cause', async () => {
    const { url } = await httpsServer();
    // The stream logs the handshake failure as a warning, as Tornado does.
    const error = await expectLog(genLog, /SSL Error/, () =>
      newClient()
        .fetch(`${url}/`)
        .then(
          () => undefined,
          (e: unknown) => e as HTTPClientError,
        ),
    );
    expect(error).toBeInstanceOf(HTTPClientError);
    expect(error?.status).toBe(599);
    expect(String((error?.cause as Error)?.message)).toMatch(/self[- ]signed/i);
  });

  it('trusts the certificate given in caCerts (contents or a file path)', async () => {
    const { url } = await httpsServer();
    const client = newClient();
    expect((await client.fetch(`${url}/`, { caCerts: cert })).text).toBe('https GET');
    const path = fileURLToPath(new URL('test.crt', fixtures));
    expect((await client.fetch(`${url}/`, { caCerts: path, method: 'HEAD' })).code).toBe(200);
  });

  it('skips verification with validateCert false and posts over TLS', async () => {
    const { url } = await httpsServer();
    const response = await newClient().fetch(`${url}/`, {
      validateCert: false,
      method: 'POST',
      body: 'x',
    });
    expect(response.text).toBe('https POST');
  });

  it('does not hand a connection verified one way to a request asking another', async () => {
    const { url } = await httpsServer();
    const client = newClient();
    await client.fetch(`${url}/`, { validateCert: false });
    expect(client.idleConnections).toBe(1);
    await expectLog(genLog, /SSL Error/, () =>
      expect(client.fetch(`${url}/`)).rejects.toBeInstanceOf(HTTPClientError),
    );
    await client.fetch(`${url}/`, { validateCert: false });
    expect(client.idleConnections).toBe(1);
  });

  it('uses Node TLS options given in sslOptions, such as a secureContext (test_ssl_context)', async () => {
    const { url } = await httpsServer();
    const secureContext = createSecureContext({ ca: cert });
    const response = await newClient().fetch(`${url}/`, { sslOptions: { secureContext } });
    expect(response.text).toBe('https GET');
  });
});
