/**
 * The error classes of `@tronada/websocket`.
 */
import { TronadaError } from '@tronada/ioloop';

/**
 * The close codes a {@link WebSocketProtocolError} can ask for: 1002 (protocol error), 1007
 * (invalid payload data, e.g. text that is not UTF-8) and 1009 (message too big).
 */
export type ProtocolCloseCode = 1002 | 1007 | 1009;

/**
 * Base class of the websocket errors; also thrown as is for a failed handshake on the client
 * side (later: a 200 answer from a handler that is not a websocket).
 *
 * @see Tornado `tornado.websocket.WebSocketError`
 */
export class WebSocketError extends TronadaError {
  override readonly name: string = 'WebSocketError';
  readonly code: string = 'ERR_WEBSOCKET';
}

/**
 * The connection is closed: a message was written after the close handshake started or after the
 * stream closed. Check `closeCode` (or wait for `onClose`) before writing.
 *
 * @see Tornado `tornado.websocket.WebSocketClosedError`
 */
export class WebSocketClosedError extends WebSocketError {
  override readonly name: string = 'WebSocketClosedError';
  override readonly code: string = 'ERR_WEBSOCKET_CLOSED';
  constructor(
    message = 'The websocket is closed; check closeCode before writing',
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * The peer broke RFC 6455 or RFC 7692 (or sent more than `maxMessageSize`). `closeCode` and
 * `reason` are what to send in the close frame before closing the TCP connection; `rule` names
 * the check that failed (`rsv-bits`, `unknown-opcode`, `text-utf8`, ...), stable across
 * releases so callers never parse the message.
 *
 * Tornado drops the connection in these cases; Tronada tells the peer why first.
 *
 * @see Tornado `WebSocketProtocol13._abort` (the conditions that abort a connection)
 */
export class WebSocketProtocolError extends WebSocketError {
  override readonly name: string = 'WebSocketProtocolError';
  override readonly code: string = 'ERR_WEBSOCKET_PROTOCOL';
  /** The close code to send: 1002, 1007 or 1009. */
  readonly closeCode: ProtocolCloseCode;
  /** The close reason to send (short ASCII, fits a close frame). */
  readonly reason: string;
  /** The check that failed. */
  readonly rule: string;

  constructor(
    closeCode: ProtocolCloseCode,
    rule: string,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super(`${reason} (websocket close ${closeCode}, rule ${rule})`, options);
    this.closeCode = closeCode;
    this.rule = rule;
    this.reason = reason;
  }
}

/**
 * A handshake header could not be accepted: a malformed `Sec-WebSocket-Extensions` header, or
 * (on the client) a server answer whose extension parameters break RFC 7692. The connection must
 * not be used; fix the peer's configuration or disable compression.
 */
export class WebSocketHandshakeError extends WebSocketError {
  override readonly name: string = 'WebSocketHandshakeError';
  override readonly code: string = 'ERR_WEBSOCKET_HANDSHAKE';
}

/**
 * Our own side asked for something the protocol does not allow: a control frame over 125 bytes
 * or fragmented, a close code that may not be sent, a close reason over 123 bytes, or compression
 * options out of range. The message says which limit was hit.
 */
export class WebSocketUsageError extends WebSocketError {
  override readonly name: string = 'WebSocketUsageError';
  override readonly code: string = 'ERR_WEBSOCKET_USAGE';
}
