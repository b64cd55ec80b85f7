/**
 * @packageDocumentation RFC 6455 websockets for Tronada (Tornado: `tornado.websocket`): the
 * server's `WebSocketHandler` (on `@tronada/web`), the client's `websocketConnect` (on
 * `@tronada/httpclient`), and the socket-free codec under both: the frame push parser and
 * writer, permessage-deflate (RFC 7692) negotiation and compression, and the opening
 * handshake's checks.
 */

export type { CloseCodeValue } from './close-codes.js';
export { CloseCode, isValidCloseCode } from './close-codes.js';
export type {
  DeflateAcceptance,
  DeflateParameters,
  PerMessageDeflateOptions,
} from './deflate-negotiation.js';
export {
  acceptDeflateOffer,
  acceptDeflateResponse,
  formatDeflateOffer,
  PERMESSAGE_DEFLATE,
} from './deflate-negotiation.js';
export type { ProtocolCloseCode } from './errors.js';
export {
  WebSocketClosedError,
  WebSocketError,
  WebSocketHandshakeError,
  WebSocketProtocolError,
  WebSocketUsageError,
} from './errors.js';
export type { ExtensionOffer } from './extension-header.js';
export { formatExtension, parseExtensionHeader } from './extension-header.js';
export type { FrameParserOptions, FrameParserSink, FrameParserState } from './frame-parser.js';
export { DEFAULT_MAX_MESSAGE_SIZE, FrameParser } from './frame-parser.js';
export type { ControlFrameOptions, FrameOptions } from './frame-writer.js';
export {
  closeFrame,
  encodeClosePayload,
  frame,
  frameHeader,
  MAX_CONTROL_PAYLOAD,
  pingFrame,
  pongFrame,
} from './frame-writer.js';
export type {
  HandshakeAccepted,
  HandshakeCheck,
  HandshakeCheckOptions,
  HandshakeHeaders,
  HandshakeRejected,
} from './handshake.js';
export {
  checkHandshakeRequest,
  computeAcceptKey,
  generateKey,
  isSameOrigin,
  isValidKey,
  WEBSOCKET_VERSION,
} from './handshake.js';
export { applyMask, randomMaskKey, websocketMask } from './mask.js';
export type { OpcodeValue } from './opcode.js';
export { isControlOpcode, isKnownOpcode, Opcode } from './opcode.js';
export type { PerMessageDeflateInit } from './permessage-deflate.js';
export { PerMessageDeflate } from './permessage-deflate.js';
export { Utf8Validator } from './utf8-validator.js';
export type { WebSocketConnectOptions } from './websocket-client.js';
export { WebSocketClientConnection, websocketConnect } from './websocket-client.js';
export type {
  WebSocketConnectionDelegate,
  WebSocketConnectionOptions,
  WebSocketMessage,
} from './websocket-connection.js';
export { CLOSE_TIMEOUT, WebSocketConnection } from './websocket-connection.js';
export { WebSocketHandler } from './websocket-handler.js';
export type { WebSocketOutput, WriteMessageOptions } from './websocket-output.js';
