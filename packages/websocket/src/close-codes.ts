/**
 * Websocket close codes (RFC 6455 §7.4.1 and the IANA registry) and the rule for which of them
 * may appear in a close frame.
 */

/**
 * The registered close codes by name.
 *
 * `NO_STATUS_RECEIVED` (1005), `ABNORMAL_CLOSURE` (1006) and `TLS_HANDSHAKE` (1015) are only
 * reported locally and never sent; see {@link isValidCloseCode}.
 */
export const CloseCode = {
  NORMAL_CLOSURE: 1000,
  GOING_AWAY: 1001,
  PROTOCOL_ERROR: 1002,
  UNSUPPORTED_DATA: 1003,
  NO_STATUS_RECEIVED: 1005,
  ABNORMAL_CLOSURE: 1006,
  INVALID_PAYLOAD_DATA: 1007,
  POLICY_VIOLATION: 1008,
  MESSAGE_TOO_BIG: 1009,
  MANDATORY_EXTENSION: 1010,
  INTERNAL_ERROR: 1011,
  SERVICE_RESTART: 1012,
  TRY_AGAIN_LATER: 1013,
  BAD_GATEWAY: 1014,
  TLS_HANDSHAKE: 1015,
} as const;

/** One of the values of {@link CloseCode}. */
export type CloseCodeValue = (typeof CloseCode)[keyof typeof CloseCode];

/**
 * True when `code` may be carried by a close frame on the wire (RFC 6455 §7.4): 1000–1003,
 * 1007–1014 (1012–1014 are registered with IANA since the RFC), and 3000–4999 (libraries and
 * applications). Reserved (1004, 1016–2999), local-only (1005, 1006, 1015) and out-of-range
 * codes are false.
 */
export function isValidCloseCode(code: number): boolean {
  if (!Number.isInteger(code)) return false;
  return (
    (code >= 1000 && code <= 1003) ||
    (code >= 1007 && code <= 1014) ||
    (code >= 3000 && code <= 4999)
  );
}
