/**
 * WebSocketHandler: a RequestHandler whose GET runs the opening handshake (RFC 6455 §4.2) and
 * then hands the stream to a {@link WebSocketConnection}.
 *
 * Order of events, as in Tornado: the handshake checks (400/403/426), `selectSubprotocol`, the
 * permessage-deflate answer from `getCompressionOptions`, the 101 response written through the
 * usual `finish()` (so `prepare` and `setDefaultHeaders` may add headers to it), `detach()`,
 * the keep-alive pings, `open(...pathArgs)` (awaited when async), and only then reading, so the
 * first message never arrives before `open` is done.
 */
import { type Future, genLog } from '@tronada/ioloop';
import type { BaseIOStream } from '@tronada/iostream';
import {
  type HeaderValue,
  type OutputChunk,
  type RedirectOptions,
  RequestHandler,
  type SendErrorOptions,
} from '@tronada/web';
import { CloseCode } from './close-codes.js';
import { acceptDeflateOffer, type PerMessageDeflateOptions } from './deflate-negotiation.js';
import { WebSocketClosedError } from './errors.js';
import { DEFAULT_MAX_MESSAGE_SIZE } from './frame-parser.js';
import { checkHandshakeRequest, isSameOrigin } from './handshake.js';
import { PerMessageDeflate } from './permessage-deflate.js';
import { toPending, WebSocketConnection, type WebSocketMessage } from './websocket-connection.js';
import {
  encodeOutput,
  type WebSocketOutput,
  type WriteMessageOptions,
} from './websocket-output.js';

// The bits of WebSocketHandler's #flags.
const UPGRADED = 1 << 0;
const ON_CLOSE_CALLED = 1 << 1;

// The handler has no private methods or accessors: a class with any gives each instance (each
// open websocket) one slot more.

function openFailed(handler: WebSocketHandler, ws: WebSocketConnection, error: unknown): void {
  handler.logException(error);
  // Tell the peer it was our fault (Tornado only drops the connection).
  ws.fail(CloseCode.INTERNAL_ERROR, 'internal error');
}

function unsupported(): never {
  throw new Error('Method not supported for websockets: the HTTP response is over');
}

/**
 * Subclass to handle websocket connections: override `open`, `onMessage` and `onClose`, send
 * with `writeMessage`. Route it like any handler; the path's groups are passed to `open`.
 *
 * ```ts
 * class Echo extends WebSocketHandler {
 *   override onMessage(message: string | Buffer) {
 *     return this.writeMessage(message);
 *   }
 * }
 * new Application([['/ws', Echo]]);
 * ```
 *
 * Guarantees: `onMessage` is never called before `open` has finished (awaited when it returns
 * something pending), nor while the previous `onMessage` is pending; `onClose` is called once.
 * Once the connection is open, the HTTP output methods (`write`, `setHeader`, `finish`, ...)
 * throw: use `writeMessage`.
 *
 * @see Tornado `tornado.websocket.WebSocketHandler`
 */
export class WebSocketHandler extends RequestHandler {
  #ws: WebSocketConnection | null = null;
  // UPGRADED and ON_CLOSE_CALLED (fields of every open websocket otherwise).
  #flags = 0;
  // The chosen subprotocol, and the peer's close code and reason once the connection is
  // dropped: one field, null for a websocket without a subprotocol until it closes.
  #session: {
    readonly subprotocol: string | null;
    readonly code: number | null;
    readonly reason: string | null;
  } | null = null;

  /**
   * Runs the opening handshake and opens the websocket; override the hooks, not this.
   *
   * @see Tornado `WebSocketHandler.get`
   */
  override get(...args: (string | undefined)[]): unknown {
    const check = checkHandshakeRequest(this.request.headers, {
      checkOrigin: (origin) => this.checkOrigin(origin),
    });
    if (!check.ok) {
      this.setStatus(check.status);
      for (const [name, value] of Object.entries(check.headers)) this.setHeader(name, value);
      genLog.debug(check.reason);
      void this.finish(check.reason);
      return undefined;
    }
    const selected = this.selectSubprotocol(check.subprotocols);
    if (selected !== null && selected !== undefined && selected !== '') {
      if (!check.subprotocols.includes(selected)) {
        throw new Error(
          `selectSubprotocol returned "${selected}", which the client did not offer (${check.subprotocols.join(', ')})`,
        );
      }
      this.#session = { subprotocol: selected, code: null, reason: null };
      this.setHeader('Sec-WebSocket-Protocol', selected);
    }
    let deflate: PerMessageDeflate | undefined;
    const compression = this.getCompressionOptions();
    if (compression !== null && compression !== undefined) {
      const accepted = acceptDeflateOffer(check.extensions, compression);
      if (accepted !== undefined) {
        deflate = new PerMessageDeflate({
          isServer: true,
          parameters: accepted.parameters,
          ...(compression.compressionLevel !== undefined && {
            compressionLevel: compression.compressionLevel,
          }),
          ...(compression.memLevel !== undefined && { memLevel: compression.memLevel }),
        });
        this.setHeader('Sec-WebSocket-Extensions', accepted.header);
      }
    }
    this.clearHeader('Content-Type');
    this.setStatus(101);
    this.setHeader('Upgrade', 'websocket');
    this.setHeader('Connection', 'Upgrade');
    this.setHeader('Sec-WebSocket-Accept', check.accept);
    void this.finish();
    const stream = this.detach() as BaseIOStream;
    this.#flags |= UPGRADED;
    // The handler is the connection's delegate (its hooks have the delegate's names), which
    // spares every open websocket an object and five closures.
    const ws = new WebSocketConnection(stream, this, {
      isServer: true,
      maxMessageSize: this.maxMessageSize,
      permessageDeflate: deflate,
      pingInterval: this.pingInterval,
      pingTimeout: this.pingTimeout,
    });
    this.#ws = ws;
    ws.startPinging();
    let opened: unknown;
    try {
      opened = this.open(...args);
    } catch (error) {
      openFailed(this, ws, error);
      return undefined;
    }
    const pending = toPending(opened, 'open');
    if (pending === undefined) {
      ws.start();
      return undefined;
    }
    pending.then(
      () => ws.start(),
      (error: unknown) => openFailed(this, ws, error),
    );
    return undefined;
  }

  // ---- hooks -------------------------------------------------------------------------------

  /**
   * Called when the websocket is open, with the path's groups; may be async or a generator,
   * and messages wait until it is done.
   *
   * @see Tornado `WebSocketHandler.open`
   */
  open(..._args: (string | undefined)[]): unknown {
    return undefined;
  }

  /**
   * Called with each message: a string for text, a Buffer for binary. May be async or a
   * generator; the next message waits until it is done.
   *
   * @see Tornado `WebSocketHandler.on_message`
   */
  onMessage(_message: WebSocketMessage): unknown {
    throw new Error(`${this.constructor.name} defines no onMessage`);
  }

  /** Called with the payload of each ping (the pong is sent already). @see Tornado `WebSocketHandler.on_ping` */
  onPing(_data: Buffer): void {}

  /** Called with the payload of each pong. @see Tornado `WebSocketHandler.on_pong` */
  onPong(_data: Buffer): void {}

  /**
   * Called once when the websocket is closed (by either side, or by a dropped connection);
   * `closeCode` and `closeReason` tell what the peer sent.
   *
   * @see Tornado `WebSocketHandler.on_close`
   */
  onClose(): void {}

  /**
   * Picks one of the subprotocols the client offered (an empty list when it offered none), or
   * null for none. The default picks none.
   *
   * @see Tornado `WebSocketHandler.select_subprotocol`
   */
  selectSubprotocol(_subprotocols: readonly string[]): string | null {
    return null;
  }

  /**
   * permessage-deflate settings: null (the default) leaves compression off; an object (`{}` for
   * zlib defaults) accepts the client's offer with these limits.
   *
   * @see Tornado `WebSocketHandler.get_compression_options`
   */
  getCompressionOptions(): PerMessageDeflateOptions | null {
    return null;
  }

  /**
   * Decides whether to accept a request with this `Origin`; the default accepts only the same
   * host and port (the `Host` header). Rejected requests get 403. Override to allow other
   * origins (return true to allow all, at the price of cross-site websocket hijacking).
   *
   * @see Tornado `WebSocketHandler.check_origin`
   */
  checkOrigin(origin: string): boolean {
    return isSameOrigin(origin, this.request.headers.get('Host'));
  }

  /** Seconds between keep-alive pings (setting `websocketPingInterval`); null or 0: none. @see Tornado `WebSocketHandler.ping_interval` */
  get pingInterval(): number | null {
    return this.settings.websocketPingInterval ?? null;
  }

  /** Seconds without a pong before closing (setting `websocketPingTimeout`); null: max(3 pings, 30 s). @see Tornado `WebSocketHandler.ping_timeout` */
  get pingTimeout(): number | null {
    return this.settings.websocketPingTimeout ?? null;
  }

  /** The largest message accepted, in bytes (setting `websocketMaxMessageSize`, default 10 MiB); more gets close 1009. @see Tornado `WebSocketHandler.max_message_size` */
  get maxMessageSize(): number {
    return this.settings.websocketMaxMessageSize ?? DEFAULT_MAX_MESSAGE_SIZE;
  }

  // ---- the open websocket ------------------------------------------------------------------

  /**
   * Sends a message: a string as text, bytes as binary, an object as JSON text; `binary`
   * overrides the type. The Future resolves when written (wait on it for backpressure) and fails
   * with {@link WebSocketClosedError} if the connection closes first. Bytes of 64 KiB or more
   * are sent without a copy: leave them unchanged until the Future resolves.
   *
   * @throws {@link WebSocketClosedError} when the websocket is closed or closing.
   * @see Tornado `WebSocketHandler.write_message`
   */
  writeMessage(message: WebSocketOutput, options: WriteMessageOptions = {}): Future<void> {
    const ws = this.#ws;
    if (ws === null || ws.isClosing()) throw new WebSocketClosedError();
    const data = encodeOutput(message);
    return ws.writeMessage(data, options.binary ?? typeof data !== 'string');
  }

  /**
   * Sends a ping (at most 125 bytes of payload).
   *
   * @throws {@link WebSocketClosedError} when closed; `WebSocketUsageError` past 125 bytes.
   * @see Tornado `WebSocketHandler.ping`
   */
  ping(data: string | Uint8Array = Buffer.alloc(0)): void {
    const ws = this.#ws;
    if (ws === null) throw new WebSocketClosedError();
    ws.ping(data);
  }

  /**
   * Starts the close handshake with an optional code (1000, 1001, 3000–4999, ...) and reason;
   * the TCP connection closes when the client answers, or after 5 seconds.
   *
   * @see Tornado `WebSocketHandler.close`
   */
  close(code?: number, reason?: string): void {
    this.#ws?.close(code, reason);
  }

  /** The code of the client's close frame, once it closed (null if none). */
  get closeCode(): number | null {
    return this.#ws?.closeCode ?? this.#session?.code ?? null;
  }

  /** The reason of the client's close frame, once it closed (null if none). */
  get closeReason(): string | null {
    return this.#ws?.closeReason ?? this.#session?.reason ?? null;
  }

  /** The subprotocol chosen by {@link selectSubprotocol}, or null. */
  get selectedSubprotocol(): string | null {
    return this.#session?.subprotocol ?? null;
  }

  /** The connection, while open (null before the handshake and after the close). */
  get wsConnection(): WebSocketConnection | null {
    return this.#ws;
  }

  /**
   * Turns Nagle's algorithm off (`true`) so small messages go out at once, or back on.
   *
   * @see Tornado `WebSocketHandler.set_nodelay`
   */
  setNodelay(value: boolean): void {
    if (this.#ws === null) throw new WebSocketClosedError();
    this.#ws.setNodelay(value);
  }

  /**
   * The connection closed: drops the websocket and calls {@link onClose} once.
   *
   * @see Tornado `WebSocketHandler.on_connection_close`
   */
  override onConnectionClose(): void {
    const ws = this.#ws;
    if (ws !== null) {
      this.#session = {
        subprotocol: this.#session?.subprotocol ?? null,
        code: ws.closeCode,
        reason: ws.closeReason,
      };
      ws.abort();
      this.#ws = null;
    } else if ((this.#flags & UPGRADED) === 0) {
      super.onConnectionClose();
    }
    if ((this.#flags & ON_CLOSE_CALLED) !== 0) return;
    this.#flags |= ON_CLOSE_CALLED;
    this.onClose();
  }

  // ---- HTTP output is over once upgraded --------------------------------------------------

  override write(chunk: OutputChunk): void {
    if ((this.#flags & UPGRADED) !== 0) unsupported();
    super.write(chunk);
  }

  override flush(includeFooters?: boolean): Future<void> {
    if ((this.#flags & UPGRADED) !== 0) unsupported();
    return super.flush(includeFooters);
  }

  override finish(chunk?: OutputChunk): Future<void> {
    if ((this.#flags & UPGRADED) !== 0) unsupported();
    return super.finish(chunk);
  }

  override setStatus(statusCode: number, reason?: string | null): void {
    if ((this.#flags & UPGRADED) !== 0) unsupported();
    super.setStatus(statusCode, reason);
  }

  override setHeader(name: string, value: HeaderValue): void {
    if ((this.#flags & UPGRADED) !== 0) unsupported();
    super.setHeader(name, value);
  }

  override redirect(url: string, options?: RedirectOptions): void {
    if ((this.#flags & UPGRADED) !== 0) unsupported();
    super.redirect(url, options);
  }

  override setCookie(
    name: string,
    value: string | Uint8Array,
    options?: Parameters<RequestHandler['setCookie']>[2],
  ): void {
    if ((this.#flags & UPGRADED) !== 0) unsupported();
    super.setCookie(name, value, options);
  }

  /**
   * Before the handshake, an error page as usual; once upgraded, there is no HTTP response left
   * to send, so the connection is closed (Tornado does the same).
   *
   * @see Tornado `WebSocketHandler.send_error`
   */
  override sendError(statusCode?: number, options?: SendErrorOptions): void {
    if ((this.#flags & UPGRADED) === 0) {
      super.sendError(statusCode, options);
      return;
    }
    this.#ws?.abort();
  }
}
