/**
 * Interop with the `ws` package's codec (its exported Sender, Receiver, PerMessageDeflate and
 * extension helpers): frames and negotiation from ws parse with ours, and ours with ws, with and
 * without compression and context takeover.
 */

import { describe, expect, it } from 'vitest';
import * as wsModule from 'ws';
import {
  acceptDeflateOffer,
  acceptDeflateResponse,
  closeFrame,
  type DeflateParameters,
  FrameParser,
  formatDeflateOffer,
  frame,
  Opcode,
  PerMessageDeflate,
  type PerMessageDeflateOptions,
  parseExtensionHeader,
  pingFrame,
} from '../src/index.js';
import { RecordingSink } from './helpers.js';

// @types/ws does not describe these exports of ws's ESM wrapper; this is the part we use.
interface WsDeflate {
  offer(): Record<string, unknown>;
  accept(configurations: unknown[]): Record<string, unknown>;
  cleanup(): void;
}
interface WsInternals {
  PerMessageDeflate: new (options: Record<string, unknown>) => WsDeflate;
  Sender: new (
    socket: unknown,
    extensions?: Record<string, WsDeflate>,
  ) => {
    send(data: Buffer | string, options: Record<string, boolean>, cb?: (err?: Error) => void): void;
    ping(data: Buffer, mask: boolean, cb?: (err?: Error) => void): void;
    close(code: number, reason: string, mask: boolean, cb?: (err?: Error) => void): void;
  };
  Receiver: new (
    options: Record<string, unknown>,
  ) => {
    write(chunk: Buffer): boolean;
    on(event: string, listener: (...args: never[]) => void): void;
  };
  extension: {
    parse(header: string): Record<string, Array<Record<string, unknown>>>;
    format(extensions: Record<string, unknown>): string;
  };
}
const ws = wsModule as unknown as WsInternals;

const WS_OPTIONS_TO_OURS: Array<[Record<string, unknown>, PerMessageDeflateOptions]> = [
  [{}, {}],
  [{ serverNoContextTakeover: true }, { serverNoContextTakeover: true }],
  [{ clientNoContextTakeover: true }, { clientNoContextTakeover: true }],
  [
    { serverMaxWindowBits: 10, clientMaxWindowBits: 9 },
    { serverMaxWindowBits: 10, clientMaxWindowBits: 9 },
  ],
  [
    { serverMaxWindowBits: 8, clientMaxWindowBits: 8 },
    { serverMaxWindowBits: 8, clientMaxWindowBits: 8 },
  ],
];

/** A fake socket for ws's Sender that collects what it writes. */
function collector(): { socket: unknown; bytes: () => Buffer } {
  const chunks: Buffer[] = [];
  const socket = {
    destroyed: false,
    cork() {},
    uncork() {},
    write(chunk: Buffer | string, cb?: () => void) {
      chunks.push(Buffer.from(chunk));
      cb?.();
      return true;
    },
  };
  return { socket, bytes: () => Buffer.concat(chunks) };
}

function toParameters(params: Record<string, unknown>): DeflateParameters {
  return {
    serverNoContextTakeover: params.server_no_context_takeover === true,
    clientNoContextTakeover: params.client_no_context_takeover === true,
    serverMaxWindowBits:
      typeof params.server_max_window_bits === 'number' ? params.server_max_window_bits : 15,
    clientMaxWindowBits:
      typeof params.client_max_window_bits === 'number' ? params.client_max_window_bits : 15,
  };
}

const MESSAGES: Array<[string | Buffer, boolean]> = [
  ['Hello world. Testing 123 123', false],
  ['Hello world. Testing 123 123', false],
  [Buffer.from(Array.from({ length: 70000 }, (_, i) => (i * 31) % 251)), true],
  ['Ünïcödé ✓ 𝄞 '.repeat(3000), false],
  ['', false],
  ['Hello world again. Testing 123 123', false],
];

// Binary messages compared as hex: deep equality on large Buffers is slow.
const EXPECTED = MESSAGES.map(([data, binary]) => [
  Buffer.from(data).toString(binary ? 'hex' : 'utf8'),
  binary,
]);

describe('ws → ours', () => {
  it.each(WS_OPTIONS_TO_OURS)(
    'negotiates a ws client offer %o and parses what ws sends, compressed or not',
    async (wsOptions) => {
      const wsClient = new ws.PerMessageDeflate({ ...wsOptions, threshold: 0 });
      const offerHeader = ws.extension.format({ 'permessage-deflate': [wsClient.offer()] });
      const accepted = acceptDeflateOffer(parseExtensionHeader(offerHeader));
      expect(accepted).toBeDefined();
      const wsParams = wsClient.accept(ws.extension.parse(accepted!.header)['permessage-deflate']!);
      expect(toParameters(wsParams)).toEqual(accepted!.parameters);

      const out = collector();
      const sender = new ws.Sender(out.socket, { 'permessage-deflate': wsClient });
      const sends: Promise<void>[] = [];
      const send = (data: Buffer | string, options: Record<string, boolean>): void => {
        sends.push(
          new Promise((resolve, reject) =>
            sender.send(data, options, (e) => (e ? reject(e) : resolve())),
          ),
        );
      };
      MESSAGES.forEach(([data, binary], i) => {
        send(data, { binary, mask: true, fin: true, compress: i % 3 !== 2 });
      });
      // A fragmented compressed message with a ping between the fragments.
      send('first half, ', { binary: false, mask: true, fin: false, compress: true });
      sends.push(new Promise((resolve) => sender.ping(Buffer.from('p'), true, () => resolve())));
      send('second half', { binary: false, mask: true, fin: true, compress: true });
      sends.push(new Promise((resolve) => sender.close(1001, 'going', true, () => resolve())));
      await Promise.all(sends);
      wsClient.cleanup();

      const sink = new RecordingSink();
      const ours = new PerMessageDeflate({ isServer: true, parameters: accepted!.parameters });
      const parser = new FrameParser(sink, { isServer: true, permessageDeflate: ours });
      const wire = out.bytes();
      for (let i = 0; i < wire.length; i += 1000) parser.push(wire.subarray(i, i + 1000));
      expect(sink.errors).toEqual([]);
      expect(
        sink.messages.map((m) => [m.data.toString(m.binary ? 'hex' : 'utf8'), m.binary]),
      ).toEqual([...EXPECTED, ['first half, second half', false]]);
      expect(sink.events.filter((e) => e.kind === 'ping')).toHaveLength(1);
      expect(sink.events.at(-1)).toEqual({ kind: 'close', code: 1001, reason: 'going' });
    },
  );
});

describe('ours → ws', () => {
  it.each(WS_OPTIONS_TO_OURS)(
    'negotiates our offer %o with a ws server and ws parses what we send',
    async (_wsOptions, ourOptions) => {
      const wsServer = new ws.PerMessageDeflate({ isServer: true, maxPayload: 0 });
      const offer = formatDeflateOffer(ourOptions);
      const wsParams = wsServer.accept(ws.extension.parse(offer)['permessage-deflate']!);
      const answer = ws.extension.format({ 'permessage-deflate': [wsParams] });
      const parameters = acceptDeflateResponse(parseExtensionHeader(answer), ourOptions)!;
      expect(parameters).toBeDefined();

      const ours = new PerMessageDeflate({ isServer: false, parameters });
      const frames: Buffer[] = [];
      MESSAGES.forEach(([data, binary], i) => {
        const bytes = Buffer.from(data);
        const compress = i % 3 !== 2;
        frames.push(
          frame(compress ? ours.compress(bytes) : bytes, {
            opcode: binary ? Opcode.BINARY : Opcode.TEXT,
            rsv1: compress,
            mask: true,
          }),
        );
      });
      const z = ours.compress(Buffer.from('first half, second half'));
      frames.push(
        frame(z.subarray(0, 5), { opcode: Opcode.TEXT, fin: false, rsv1: true, mask: true }),
      );
      frames.push(pingFrame(Buffer.from('p'), { mask: true }));
      frames.push(frame(z.subarray(5), { opcode: Opcode.CONTINUATION, mask: true }));
      frames.push(closeFrame(4001, 'done', { mask: true }));

      const receiver = new ws.Receiver({
        isServer: true,
        extensions: { 'permessage-deflate': wsServer },
      });
      const received: Array<[string, boolean]> = [];
      const done = new Promise<[number, string]>((resolve, reject) => {
        receiver.on('message', (data: Buffer, isBinary: boolean) =>
          received.push([data.toString(isBinary ? 'hex' : 'utf8'), isBinary]),
        );
        receiver.on('conclude', (code: number, reason: Buffer) =>
          resolve([code, reason.toString()]),
        );
        receiver.on('error', (error: Error) => reject(error));
      });
      receiver.write(Buffer.concat(frames));
      expect(await done).toEqual([4001, 'done']);
      wsServer.cleanup();
      expect(received).toEqual([...EXPECTED, ['first half, second half', false]]);
    },
  );

  it('sends frames ws reads as a client: unmasked, from the server side', async () => {
    const receiver = new ws.Receiver({ isServer: false });
    const messages: string[] = [];
    const done = new Promise<number>((resolve, reject) => {
      receiver.on('message', (data: Buffer) => messages.push(data.toString()));
      receiver.on('conclude', (code: number) => resolve(code));
      receiver.on('error', (error: Error) => reject(error));
    });
    receiver.write(
      Buffer.concat([frame(Buffer.from('x'.repeat(70000)), { opcode: Opcode.TEXT }), closeFrame()]),
    );
    expect(await done).toBe(1005);
    expect(messages).toEqual(['x'.repeat(70000)]);
  });
});
