/**
 * What `writeMessage` accepts, shared by the server handler and the client connection.
 */

/** Options of `writeMessage`. */
export interface WriteMessageOptions {
  /** Send as a binary message (default: true for bytes, false for strings and objects). */
  binary?: boolean;
}

/** What `writeMessage` accepts: text, bytes, or an object sent as JSON. */
export type WebSocketOutput = string | Uint8Array | Readonly<Record<string, unknown>>;

/** Encodes an outgoing message: an object as JSON text, as Tornado's `write_message(dict)`. */
export function encodeOutput(message: WebSocketOutput): string | Uint8Array {
  if (typeof message === 'string' || message instanceof Uint8Array) return message;
  return JSON.stringify(message);
}
