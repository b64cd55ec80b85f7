/**
 * Websocket frame opcodes (RFC 6455 §5.2).
 */

/** The defined opcodes; every other value (0x3–0x7, 0xB–0xF) is reserved and rejected. */
export const Opcode = {
  CONTINUATION: 0x0,
  TEXT: 0x1,
  BINARY: 0x2,
  CLOSE: 0x8,
  PING: 0x9,
  PONG: 0xa,
} as const;

/** One of the values of {@link Opcode}. */
export type OpcodeValue = (typeof Opcode)[keyof typeof Opcode];

/** True for the control opcodes (close, ping, pong): the high bit of the opcode is set. */
export function isControlOpcode(opcode: number): boolean {
  return (opcode & 0x8) !== 0;
}

/** True for an opcode RFC 6455 defines (as opposed to a reserved one). */
export function isKnownOpcode(opcode: number): boolean {
  return opcode <= 0x2 || (opcode >= 0x8 && opcode <= 0xa);
}
