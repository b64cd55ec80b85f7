/**
 * FallbackHandler: Tornado-style request callbacks and plain Node `(req, res)` handlers (an
 * Express app) served beside Tronada handlers.
 */
import { HTTPHeaders, type HTTPServerRequest, ResponseStartLine } from '@tronada/httputil';
import { useTestLoop } from '@tronada/testing';
import express from 'express';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Application, FallbackHandler, RequestHandler } from '../src/index.js';
import { useAsyncHTTPTestCase } from '../src/testing/index.js';

useTestLoop({ beforeEach, afterEach }, { clock: false });

class Native extends RequestHandler {
  override get() {
    this.write('native');
  }
}

function tornadoStyle(request: HTTPServerRequest): void {
  const body = Buffer.from(`callback saw ${request.method} ${request.uri}`);
  const headers = new HTTPHeaders({ 'Content-Length': String(body.length) });
  void request.connection!.writeHeaders(
    new ResponseStartLine('HTTP/1.1', 200, 'OK'),
    headers,
    body,
  );
  void request.connection!.finish();
}

const expressApp = express();
expressApp.use(express.json());
expressApp.get('/express/hello', (req, res) => {
  res.set('X-Express', 'yes').send(`hello from express at ${req.path}?${String(req.query.q)}`);
});
expressApp.post('/express/echo', (req, res) => {
  res.json({ got: req.body as unknown });
});
expressApp.get('/express/stream', (_req, res) => {
  res.write('one,');
  setImmediate(() => {
    res.write('two,');
    res.end('three');
  });
});

const server = useAsyncHTTPTestCase(
  { beforeEach, afterEach },
  () =>
    new Application([
      ['/native', Native],
      ['/callback/.*', FallbackHandler, { fallback: tornadoStyle }],
      [
        '/node/.*',
        FallbackHandler,
        {
          fallback: (
            req: import('node:http').IncomingMessage,
            res: import('node:http').ServerResponse,
          ) => {
            res.statusCode = 201;
            res.setHeader('X-Node', req.headers['x-in'] ?? 'none');
            res.end(`node saw ${req.method} ${req.url}`);
          },
        },
      ],
      ['/express/.*', FallbackHandler, { fallback: expressApp }],
    ]),
);

describe('FallbackHandler', () => {
  it('leaves other rules to Tronada handlers', async () => {
    expect((await server.current.fetch('/native')).text).toBe('native');
  });

  it('hands the whole request to a Tornado-style callback, which answers on the connection', async () => {
    const response = await server.current.fetch('/callback/x?y=1');
    expect(response.code).toBe(200);
    expect(response.text).toBe('callback saw GET /callback/x?y=1');
  });

  it('runs a plain Node (req, res) handler with its status, headers and body', async () => {
    const response = await server.current.fetch('/node/a?b', { headers: { 'X-In': 'hi' } });
    expect(response.code).toBe(201);
    expect(response.headers.get('X-Node')).toBe('hi');
    expect(response.text).toBe('node saw GET /node/a?b');
  });

  it('serves an Express app: routes, query, JSON bodies', async () => {
    const hello = await server.current.fetch('/express/hello?q=42');
    expect(hello.code).toBe(200);
    expect(hello.headers.get('X-Express')).toBe('yes');
    expect(hello.text).toBe('hello from express at /express/hello?42');
    const echo = await server.current.fetch('/express/echo', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ a: [1, 2] }),
    });
    expect(echo.json()).toEqual({ got: { a: [1, 2] } });
  });

  it('streams an Express response written in pieces', async () => {
    expect((await server.current.fetch('/express/stream')).text).toBe('one,two,three');
  });

  it("answers Express's own 404 for paths it does not route", async () => {
    const response = await server.current.fetch('/express/missing');
    expect(response.code).toBe(404);
  });

  it('sends no body for HEAD through a Node handler', async () => {
    const response = await server.current.fetch('/node/h', { method: 'HEAD' });
    expect(response.code).toBe(201);
    expect(response.body.length).toBe(0);
  });
});
