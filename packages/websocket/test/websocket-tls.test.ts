/**
 * wss://: WebSocketHandler behind an HTTPS server and websocketConnect with TLS options given
 * through an HTTPRequest.
 */
import { readFileSync } from 'node:fs';
import { HTTPRequest } from '@tronada/httpclient';
import { genLog } from '@tronada/ioloop';
import { expectLog, useTestLoop } from '@tronada/testing';
import { Application } from '@tronada/web';
import { useAsyncHTTPTestCase } from '@tronada/web/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type PerMessageDeflateOptions, WebSocketHandler, websocketConnect } from '../src/index.js';
import { websocketTestUrl } from '../src/testing/index.js';

useTestLoop({ beforeEach, afterEach }, { clock: false });

const fixtures = new URL('../../iostream/test/fixtures/tls/', import.meta.url);
const cert = readFileSync(new URL('test.crt', fixtures));
const key = readFileSync(new URL('test.key', fixtures));

class EchoHandler extends WebSocketHandler {
  override getCompressionOptions(): PerMessageDeflateOptions {
    return {};
  }
  override onMessage(message: string | Buffer) {
    return this.writeMessage(message);
  }
}

describe('wss://', () => {
  const server = useAsyncHTTPTestCase(
    { beforeEach, afterEach },
    () => new Application([['/echo', EchoHandler]]),
    { serverOptions: { sslOptions: { key, cert } } },
  );

  it('echoes over TLS, with compression, trusting the certificate given in caCerts', async () => {
    const url = websocketTestUrl(server.current, '/echo');
    expect(url.startsWith('wss://')).toBe(true);
    const ws = await websocketConnect(new HTTPRequest(url, { caCerts: cert }), {
      compressionOptions: {},
    });
    expect(ws.protocol.permessageDeflate).toBeDefined();
    void ws.writeMessage('secure hello');
    expect(await ws.readMessage()).toBe('secure hello');
    ws.close();
    expect(await ws.readMessage()).toBeNull();
  });

  it('fails the connection when the certificate is not trusted', async () => {
    const url = websocketTestUrl(server.current, '/echo');
    await expectLog(genLog, /SSL Error/, async () => {
      await expect(websocketConnect(url)).rejects.toThrow(/certificate/);
    });
  });
});
