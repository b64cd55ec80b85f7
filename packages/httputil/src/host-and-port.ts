/**
 * splitHostAndPort: `host:port` → host and numeric port.
 */

/**
 * Splits a network location into host and port: `example.com:8080` → `['example.com', 8080]`;
 * without a trailing `:digits` the port is `undefined` (`[::1]:80` → `['[::1]', 80]`).
 *
 * @see Tornado `tornado.httputil.split_host_and_port`
 */
export function splitHostAndPort(netloc: string): [host: string, port: number | undefined] {
  const colon = netloc.lastIndexOf(':');
  if (colon > 0 && colon < netloc.length - 1) {
    let digits = true;
    for (let i = colon + 1; i < netloc.length; i++) {
      const c = netloc.charCodeAt(i);
      if (c < 0x30 || c > 0x39) {
        digits = false;
        break;
      }
    }
    if (digits) return [netloc.slice(0, colon), Number.parseInt(netloc.slice(colon + 1), 10)];
  }
  return [netloc, undefined];
}
