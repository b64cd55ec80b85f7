/**
 * The `Date` header value, formatted once per second.
 */
import { formatTimestamp } from '@tronada/httputil';

let cachedSecond = -1;
let cachedValue = '';

/** The HTTP date for the current wall-clock second (RFC 9110 §5.6.7). */
export function currentHttpDate(): string {
  const second = Math.floor(Date.now() / 1000);
  if (second !== cachedSecond) {
    cachedSecond = second;
    cachedValue = formatTimestamp(second);
  }
  return cachedValue;
}
