/**
 * formatTimestamp: the date format of HTTP headers (IMF-fixdate, RFC 9110 §5.6.7).
 */

/**
 * Formats a time as used in HTTP headers, e.g. `Sun, 27 Jan 2013 18:43:20 GMT`. A number is
 * seconds since the epoch (fractions are dropped); a `Date` is used as it is.
 *
 * @see Tornado `tornado.httputil.format_timestamp`
 */
export function formatTimestamp(ts: number | Date): string {
  const date = typeof ts === 'number' ? new Date(Math.floor(ts) * 1000) : ts;
  if (Number.isNaN(date.getTime())) {
    throw new RangeError(`formatTimestamp: invalid time ${String(ts)}`);
  }
  return date.toUTCString();
}
