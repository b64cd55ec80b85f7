/**
 * A hand-driven websocket peer on a raw TCP socket, for the protocol suite: it does the opening
 * handshake itself, then writes whatever bytes a case dictates (malformed ones included) and
 * records, with a FrameParser of its own, every frame the endpoint under test sends until the
 * TCP connection closes.
 */
import { createHash } from 'node:crypto';
import net from 'node:net';
import {
  acceptDeflateOffer,
  acceptDeflateResponse,
  computeAcceptKey,
  FrameParser,
  formatDeflateOffer,
  generateKey,
  PerMessageDeflate,
  type PerMessageDeflateOptions,
  parseExtensionHeader,
} from '../src/index.js';
import { RecordingSink } from './helpers.js';

/** One side of a raw connection. */
export interface RawPeer {
  /** True when the peer plays the client (its frames are masked). */
  readonly isClient: boolean;
  /** The negotiated permessage-deflate, if any, for compressing what the peer sends. */
  readonly deflate: PerMessageDeflate | undefined;
  /** Writes bytes as they are. */
  send(bytes: Uint8Array): void;
  /** Half-closes the connection (sends FIN) after what was written. */
  end(): void;
  /** Called when the endpoint's close frame arrives (to answer it, say). */
  onCloseFrame: ((code: number) => void) | null;
  /** Resolves with what the endpoint sent, in order, once the TCP connection is closed. */
  readonly closed: Promise<string[]>;
}

/** A short, comparable form of a frame sent by the endpoint. */
export function describeMessage(data: Uint8Array, binary: boolean): string {
  const hash = createHash('sha1').update(data).digest('hex').slice(0, 10);
  return `${binary ? 'binary' : 'text'}:${data.length}:${hash}`;
}

function attach(
  socket: net.Socket,
  isClient: boolean,
  deflate: PerMessageDeflate | undefined,
  rest: Buffer,
): RawPeer {
  const sink = new RecordingSink();
  const parser = new FrameParser(sink, {
    isServer: !isClient,
    maxMessageSize: 64 * 1024 * 1024,
    permessageDeflate: deflate,
  });
  const closed = new Promise<string[]>((resolve) => {
    socket.on('close', () =>
      resolve(
        sink.events.map((e) => {
          switch (e.kind) {
            case 'message':
              return describeMessage(e.data, e.binary);
            case 'ping':
            case 'pong':
              return `${e.kind}:${e.data.toString('hex')}`;
            case 'close':
              return `close:${e.code}`;
            default:
              return `peer-error:${e.error.closeCode}:${e.error.rule}`;
          }
        }),
      ),
    );
  });
  const onClose = sink.onClose.bind(sink);
  sink.onClose = (code, reason) => {
    onClose(code, reason);
    peer.onCloseFrame?.(code);
  };
  socket.on('data', (chunk: Buffer) => parser.push(chunk));
  socket.on('error', () => {});
  const peer: RawPeer = {
    isClient,
    deflate,
    send: (bytes) => {
      if (!socket.destroyed) socket.write(bytes);
    },
    end: () => socket.end(),
    onCloseFrame: null,
    closed,
  };
  if (rest.length > 0) parser.push(rest);
  return peer;
}

function readHead(socket: net.Socket): Promise<{ head: string; rest: Buffer }> {
  return new Promise((resolve, reject) => {
    let data = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      data = Buffer.concat([data, chunk]);
      const end = data.indexOf('\r\n\r\n');
      if (end < 0) return;
      socket.off('data', onData);
      resolve({ head: data.subarray(0, end).toString('latin1'), rest: data.subarray(end + 4) });
    };
    socket.on('data', onData);
    socket.once('error', reject);
  });
}

function header(head: string, name: string): string | undefined {
  const re = new RegExp(`^${name}:\\s*(.*)$`, 'im');
  return re.exec(head)?.[1]?.trim();
}

/**
 * Connects to a websocket server as a raw client; `deflate` offers permessage-deflate with
 * those options.
 */
export async function rawClient(
  port: number,
  path: string,
  deflate?: PerMessageDeflateOptions,
): Promise<RawPeer> {
  const socket = net.connect(port, '127.0.0.1');
  socket.setNoDelay(true);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  const key = generateKey();
  const lines = [
    `GET ${path} HTTP/1.1`,
    `Host: 127.0.0.1:${port}`,
    'Upgrade: websocket',
    'Connection: Upgrade',
    `Sec-WebSocket-Key: ${key}`,
    'Sec-WebSocket-Version: 13',
  ];
  if (deflate !== undefined) lines.push(`Sec-WebSocket-Extensions: ${formatDeflateOffer(deflate)}`);
  socket.write(`${lines.join('\r\n')}\r\n\r\n`);
  const { head, rest } = await readHead(socket);
  if (!head.startsWith('HTTP/1.1 101')) throw new Error(`handshake refused: ${head}`);
  if (header(head, 'Sec-WebSocket-Accept') !== computeAcceptKey(key)) {
    throw new Error('bad Sec-WebSocket-Accept');
  }
  const parameters = acceptDeflateResponse(
    parseExtensionHeader(header(head, 'Sec-WebSocket-Extensions') ?? ''),
    deflate,
  );
  const codec =
    parameters === undefined ? undefined : new PerMessageDeflate({ isServer: false, parameters });
  return attach(socket, true, codec, rest);
}

/** A raw websocket server: accepts one handshake per connection and hands out raw peers. */
export class RawServer {
  readonly #server: net.Server;
  readonly #peers: RawPeer[] = [];
  readonly #waiting: Array<(peer: RawPeer) => void> = [];

  /** `deflate` accepts a permessage-deflate offer with those options; undefined declines. */
  constructor(deflate?: PerMessageDeflateOptions) {
    this.#server = net.createServer((socket) => {
      socket.setNoDelay(true);
      void readHead(socket).then(({ head, rest }) => {
        const key = header(head, 'Sec-WebSocket-Key') ?? '';
        const lines = [
          'HTTP/1.1 101 Switching Protocols',
          'Upgrade: websocket',
          'Connection: Upgrade',
          `Sec-WebSocket-Accept: ${computeAcceptKey(key)}`,
        ];
        let codec: PerMessageDeflate | undefined;
        if (deflate !== undefined) {
          const accepted = acceptDeflateOffer(
            parseExtensionHeader(header(head, 'Sec-WebSocket-Extensions') ?? ''),
            deflate,
          );
          if (accepted !== undefined) {
            lines.push(`Sec-WebSocket-Extensions: ${accepted.header}`);
            codec = new PerMessageDeflate({ isServer: true, parameters: accepted.parameters });
          }
        }
        socket.write(`${lines.join('\r\n')}\r\n\r\n`);
        const peer = attach(socket, false, codec, rest);
        const waiter = this.#waiting.shift();
        if (waiter !== undefined) waiter(peer);
        else this.#peers.push(peer);
      });
    });
  }

  /** Starts listening on 127.0.0.1 and resolves with the port. */
  listen(): Promise<number> {
    return new Promise((resolve) => {
      this.#server.listen(0, '127.0.0.1', () =>
        resolve((this.#server.address() as net.AddressInfo).port),
      );
    });
  }

  /** The next peer whose handshake is done. */
  accept(): Promise<RawPeer> {
    const peer = this.#peers.shift();
    if (peer !== undefined) return Promise.resolve(peer);
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  /** Stops listening. */
  close(): Promise<void> {
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }
}
