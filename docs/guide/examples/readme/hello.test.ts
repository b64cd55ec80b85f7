import { useTestLoop } from '@tronada/testing';
import { useAsyncHTTPTestCase } from '@tronada/web/testing';
import { websocketTestConnect } from '@tronada/websocket/testing';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { makeApp as makeHelloApp } from './hello.js';
import { makeApp as makeWebSocketApp } from './websocket.js';

useTestLoop({ beforeEach, afterEach }, { clock: false }); // real sockets need the real clock
const hello = useAsyncHTTPTestCase({ beforeEach, afterEach }, makeHelloApp);
const chat = useAsyncHTTPTestCase({ beforeEach, afterEach }, makeWebSocketApp);

it('says hello', async () => {
  const response = await hello.current.fetch('/');
  expect(response.code).toBe(200);
  expect(response.text).toBe('Hello, world');
});

it('echoes websocket messages', async () => {
  const log = vi.spyOn(console, 'log').mockImplementation(() => {});
  const ws = await websocketTestConnect(chat.current, '/websocket');
  await ws.writeMessage('hi');
  expect(await ws.readMessage()).toBe('You said: hi');
  expect(log).toHaveBeenCalledWith('websocket opened');
  ws.close();
});
