/**
 * The websocket client: `websocketConnect` sends the opening handshake through
 * `AsyncHTTPClient` (so proxies-free HTTP/1.1, TLS, timeouts and errors are the HTTP client's),
 * takes the stream over in its `onUpgrade` hook, checks the server's 101 answer (RFC 6455
 * §4.1: Upgrade, Connection, Sec-WebSocket-Accept, the extension and the subprotocol) and wraps
 * the stream in a {@link WebSocketConnection}.
 *
 * Messages are read with `readMessage()` or `for await`, or pushed to `onMessageCallback`.
 * Unread messages hold the next ones back: at most one waits in memory, the rest stays in the
 * kernel (Tornado's queue of one).
 */

import type { HTTPResponse } from '@tronada/httpclient';
import { AsyncHTTPClient, HTTPRequest, type HTTPRequestOptions } from '@tronada/httpclient';
import type { HTTPHeaders } from '@tronada/httputil';
import { appLog, Future } from '@tronada/ioloop';
import type { BaseIOStream } from '@tronada/iostream';
import {
  acceptDeflateResponse,
  formatDeflateOffer,
  type PerMessageDeflateOptions,
} from './deflate-negotiation.js';
import { WebSocketError, WebSocketHandshakeError } from './errors.js';
import { parseExtensionHeader } from './extension-header.js';
import { computeAcceptKey, generateKey, WEBSOCKET_VERSION } from './handshake.js';
import { PerMessageDeflate } from './permessage-deflate.js';
import { WebSocketConnection, type WebSocketMessage } from './websocket-connection.js';
import {
  encodeOutput,
  type WebSocketOutput,
  type WriteMessageOptions,
} from './websocket-output.js';

/** Options of {@link websocketConnect}. */
export interface WebSocketConnectOptions {
  /**
   * Receives every message, then null when the connection closes; `readMessage` is then
   * unavailable.
   */
  onMessageCallback?: ((message: WebSocketMessage | null) => void) | undefined;
  /** permessage-deflate to offer (`{}` for defaults); null or undefined: no compression. */
  compressionOptions?: PerMessageDeflateOptions | null | undefined;
  /** Seconds between keep-alive pings; 0 or undefined: none. */
  pingInterval?: number | null | undefined;
  /** Seconds without a pong before closing; default max(3 × pingInterval, 30). */
  pingTimeout?: number | null | undefined;
  /** The largest message accepted, in bytes (default 10 MiB); more gets close 1009. */
  maxMessageSize?: number | undefined;
  /** Subprotocols to offer, in order of preference. */
  subprotocols?: readonly string[] | undefined;
  /** Seconds to wait for the TCP (and TLS) connection. */
  connectTimeout?: number | undefined;
  /** Seconds to wait for the handshake's answer. */
  requestTimeout?: number | undefined;
  /** Extra request headers (`Origin`, `Cookie`, `Authorization`, ...). */
  headers?: Readonly<Record<string, string>> | undefined;
  /** Called with the payload of each ping (the pong is already sent). */
  onPing?: ((data: Buffer) => void) | undefined;
  /** Called with the payload of each pong. */
  onPong?: ((data: Buffer) => void) | undefined;
}

/**
 * The client side of an open websocket, from {@link websocketConnect}.
 *
 * @see Tornado `tornado.websocket.WebSocketClientConnection`
 */
export class WebSocketClientConnection implements AsyncIterable<WebSocketMessage> {
  /** The server's 101 response. */
  readonly response: HTTPResponse;
  readonly #ws: WebSocketConnection;
  readonly #callback: WebSocketConnectOptions['onMessageCallback'];
  readonly #selectedSubprotocol: string | null;
  // Messages not read yet (then null at the end), and readers waiting for one.
  readonly #queue: Array<WebSocketMessage | null> = [];
  readonly #readers: Array<Future<WebSocketMessage | null>> = [];
  #taken: Future<void> | null = null;
  #ended = false;

  /** @internal Made by {@link websocketConnect}. */
  constructor(
    stream: BaseIOStream,
    response: HTTPResponse,
    options: WebSocketConnectOptions,
    deflate: PerMessageDeflate | undefined,
    selectedSubprotocol: string | null,
  ) {
    this.response = response;
    this.#callback = options.onMessageCallback;
    this.#selectedSubprotocol = selectedSubprotocol;
    this.#ws = new WebSocketConnection(
      stream,
      {
        onMessage: (message) => this.#onMessage(message),
        onPing: (data) => options.onPing?.(data),
        onPong: (data) => options.onPong?.(data),
        onConnectionClose: () => this.#onMessage(null),
        logException: (error, where) =>
          appLog.error(`Uncaught exception in the websocket client's ${where}`, error),
      },
      {
        isServer: false,
        maxMessageSize: options.maxMessageSize,
        permessageDeflate: deflate,
        pingInterval: options.pingInterval,
        pingTimeout: options.pingTimeout,
      },
    );
    this.#ws.start();
  }

  /** The response headers of the handshake. @see Tornado `WebSocketClientConnection.headers` */
  get headers(): HTTPHeaders {
    return this.response.headers;
  }

  /** The subprotocol the server chose, or null. @see Tornado `WebSocketClientConnection.selected_subprotocol` */
  get selectedSubprotocol(): string | null {
    return this.#selectedSubprotocol;
  }

  /** The code of the server's close frame (null before it, or when it carried none). */
  get closeCode(): number | null {
    return this.#ws.closeCode;
  }

  /** The reason of the server's close frame (null before it, or when it carried none). */
  get closeReason(): string | null {
    return this.#ws.closeReason;
  }

  /** The underlying connection (for `isClosing`, `setNodelay`, the stream). */
  get protocol(): WebSocketConnection {
    return this.#ws;
  }

  /**
   * Sends a message: a string as text, bytes as binary, an object as JSON text; `binary`
   * overrides the type. The Future resolves when written.
   *
   * @throws {@link WebSocketClosedError} when the connection is closed or closing.
   * @see Tornado `WebSocketClientConnection.write_message`
   */
  writeMessage(message: WebSocketOutput, options: WriteMessageOptions = {}): Future<void> {
    const data = encodeOutput(message);
    return this.#ws.writeMessage(data, options.binary ?? typeof data !== 'string');
  }

  /**
   * The next message, or null once the connection is closed (and every message was read).
   *
   * @throws Error when an `onMessageCallback` was given (messages go there).
   * @see Tornado `WebSocketClientConnection.read_message`
   */
  readMessage(): Future<WebSocketMessage | null> {
    if (this.#callback !== undefined) {
      throw new Error('readMessage() cannot be used with onMessageCallback');
    }
    const future = new Future<WebSocketMessage | null>();
    if (this.#queue.length > 0) {
      const message = this.#queue[0]!;
      // The end marker stays, so every later read sees it too.
      if (message !== null) {
        this.#queue.shift();
        const taken = this.#taken;
        this.#taken = null;
        taken?.setResult(undefined);
      }
      future.setResult(message);
    } else {
      this.#readers.push(future);
    }
    return future;
  }

  /** Iterates over the messages until the connection closes. */
  async *[Symbol.asyncIterator](): AsyncIterator<WebSocketMessage> {
    for (;;) {
      const message = await this.readMessage();
      if (message === null) return;
      yield message;
    }
  }

  /**
   * Sends a ping (at most 125 bytes).
   *
   * @throws {@link WebSocketClosedError} when closed; `WebSocketUsageError` past 125 bytes.
   * @see Tornado `WebSocketClientConnection.ping`
   */
  ping(data: string | Uint8Array = Buffer.alloc(0)): void {
    this.#ws.ping(data);
  }

  /**
   * Starts the close handshake with an optional code and reason; the TCP connection closes
   * when the server answers, or after 5 seconds.
   *
   * @see Tornado `WebSocketClientConnection.close`
   */
  close(code?: number, reason?: string): void {
    this.#ws.close(code, reason);
  }

  #onMessage(message: WebSocketMessage | null): unknown {
    if (this.#ended) return undefined;
    if (message === null) this.#ended = true;
    if (this.#callback !== undefined) {
      this.#callback(message);
      return undefined;
    }
    const reader = this.#readers.shift();
    if (reader !== undefined) {
      reader.setResult(message);
      if (message === null) {
        for (const other of this.#readers.splice(0)) other.setResult(null);
      }
      return undefined;
    }
    this.#queue.push(message);
    if (message === null) return undefined;
    // Hold the next message back until this one is read.
    this.#taken = new Future<void>();
    return this.#taken;
  }
}

function httpUrl(url: string): string {
  if (/^ws:/i.test(url)) return `http:${url.slice(3)}`;
  if (/^wss:/i.test(url)) return `https:${url.slice(4)}`;
  return url;
}

function tokensOf(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter((s) => s !== '');
}

/**
 * Opens a websocket to `url` (`ws://`, `wss://`, or their `http(s)://` forms), or with an
 * `HTTPRequest` carrying more options (TLS, auth). Resolves with the connection once the server
 * accepted the handshake.
 *
 * Fails with the HTTP client's error for a non-101 error status (`HTTPClientError`, e.g. 404 or
 * a redirect, which is not followed) or a network failure, with {@link WebSocketError} for a
 * success status that is not a websocket, and with {@link WebSocketHandshakeError} when the 101
 * answer breaks RFC 6455 (wrong `Sec-WebSocket-Accept`, missing `Upgrade`/`Connection`, an
 * extension or subprotocol we did not offer).
 *
 * @see Tornado `tornado.websocket.websocket_connect`
 */
export function websocketConnect(
  urlOrRequest: string | HTTPRequest,
  options: WebSocketConnectOptions = {},
): Future<WebSocketClientConnection> {
  const result = new Future<WebSocketClientConnection>();
  const key = generateKey();
  const compression = options.compressionOptions ?? undefined;
  const base: Readonly<HTTPRequestOptions> =
    typeof urlOrRequest === 'string' ? {} : urlOrRequest.options;
  const url = httpUrl(typeof urlOrRequest === 'string' ? urlOrRequest : urlOrRequest.url);
  const headers: Record<string, string> = {};
  if (typeof urlOrRequest !== 'string') {
    for (const [name, value] of urlOrRequest.headers.getAll()) headers[name] = value;
  }
  Object.assign(headers, options.headers, {
    Upgrade: 'websocket',
    Connection: 'Upgrade',
    'Sec-WebSocket-Key': key,
    'Sec-WebSocket-Version': WEBSOCKET_VERSION,
  });
  const offered = options.subprotocols ?? [];
  if (offered.length > 0) headers['Sec-WebSocket-Protocol'] = offered.join(', ');
  if (compression !== undefined) {
    headers['Sec-WebSocket-Extensions'] = formatDeflateOffer(compression);
  }
  let failure: Error | null = null;
  let connection: WebSocketClientConnection | null = null;
  const request = new HTTPRequest(url, {
    ...base,
    headers,
    followRedirects: false,
    ...(options.connectTimeout !== undefined && { connectTimeout: options.connectTimeout }),
    ...(options.requestTimeout !== undefined && { requestTimeout: options.requestTimeout }),
    onUpgrade: (stream, response) => {
      try {
        const checked = checkServerResponse(response.headers, key, compression, offered);
        connection = new WebSocketClientConnection(
          stream,
          response,
          options,
          checked.deflate,
          checked.subprotocol,
        );
      } catch (error) {
        stream.close();
        failure = error as Error;
      }
    },
  });
  // A client of its own: the handshake's connection is never pooled, and nothing is left
  // behind (idle connections, timers) once the fetch is over.
  const client = new AsyncHTTPClient({ forceInstance: true });
  client.fetch(request).addDoneCallback((fetched) => {
    client.close();
    const error = fetched.exception();
    if (error != null) result.setException(error);
    else if (failure !== null) result.setException(failure);
    else if (connection !== null) result.setResult(connection);
    else {
      result.setException(
        new WebSocketError(
          `Non-websocket response: ${fetched.result().code} from ${url}; is a WebSocketHandler routed there?`,
        ),
      );
    }
  });
  return result;
}

/** Checks the server's 101 answer (RFC 6455 §4.1, the client's checks 1–6). */
function checkServerResponse(
  headers: HTTPHeaders,
  key: string,
  compression: PerMessageDeflateOptions | undefined,
  offered: readonly string[],
): { deflate: PerMessageDeflate | undefined; subprotocol: string | null } {
  if (!tokensOf(headers.get('Upgrade')).includes('websocket')) {
    throw new WebSocketHandshakeError(
      'the server answered 101 without "Upgrade: websocket"; it does not speak websockets here',
    );
  }
  if (!tokensOf(headers.get('Connection')).includes('upgrade')) {
    throw new WebSocketHandshakeError('the server answered 101 without "Connection: Upgrade"');
  }
  if (headers.get('Sec-WebSocket-Accept')?.trim() !== computeAcceptKey(key)) {
    throw new WebSocketHandshakeError(
      'the server answered with a wrong Sec-WebSocket-Accept; a proxy or a broken server is in the way',
    );
  }
  const parameters = acceptDeflateResponse(
    parseExtensionHeader(headers.get('Sec-WebSocket-Extensions') ?? ''),
    compression,
  );
  const protocol = headers.get('Sec-WebSocket-Protocol')?.trim();
  if (protocol !== undefined && protocol !== '' && !offered.includes(protocol)) {
    throw new WebSocketHandshakeError(
      `the server chose the subprotocol "${protocol}", which we did not offer (${offered.join(', ') || 'none'})`,
    );
  }
  const deflate =
    parameters === undefined
      ? undefined
      : new PerMessageDeflate({
          isServer: false,
          parameters,
          ...(compression?.compressionLevel !== undefined && {
            compressionLevel: compression.compressionLevel,
          }),
          ...(compression?.memLevel !== undefined && { memLevel: compression.memLevel }),
        });
  return { deflate, subprotocol: protocol === undefined || protocol === '' ? null : protocol };
}
