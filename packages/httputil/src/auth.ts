/**
 * encodeUsernamePassword: the `user:password` bytes of HTTP Basic authentication.
 */

function toBytes(value: string | Uint8Array): Buffer {
  if (typeof value === 'string') return Buffer.from(value.normalize('NFC'), 'utf8');
  return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
}

/**
 * Encodes a username and password as `username:password` in UTF-8 (strings are NFC-normalised
 * first, as RFC 7617 asks), the form HTTP Basic authentication base64-encodes.
 *
 * @see Tornado `tornado.httputil.encode_username_password`
 */
export function encodeUsernamePassword(
  username: string | Uint8Array,
  password: string | Uint8Array,
): Buffer {
  return Buffer.concat([toBytes(username), Buffer.from(':'), toBytes(password)]);
}
