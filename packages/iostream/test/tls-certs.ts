/**
 * The test certificate (test/fixtures/tls, see its README): self-signed for `localhost` and
 * `127.0.0.1`, trusted by clients that pass it as `ca`.
 */
import { readFileSync } from 'node:fs';
import type { SSLOptions } from '../src/ssl-iostream.js';

/** The certificate, PEM. */
export const testCert = readFileSync(new URL('./fixtures/tls/test.crt', import.meta.url));
/** Its private key, PEM. */
export const testKey = readFileSync(new URL('./fixtures/tls/test.key', import.meta.url));

/** Server side: the test certificate and key (Tornado's `_server_ssl_options`). */
export const serverSslOptions = { key: testKey, cert: testCert };
/** Client side that trusts the test certificate (verification stays on). */
export const trustingClientSslOptions = { ca: testCert };
/** Client side that checks nothing (Tornado's `cert_reqs=CERT_NONE`). */
export const insecureClientSslOptions: SSLOptions = { rejectUnauthorized: false };
