/**
 * Reason phrases for status codes, as Tornado writes them.
 */
import { STATUS_CODES } from 'node:http';

// Python's `http.client.responses`, which Tornado uses, differs from Node's table on these.
const TORNADO_PHRASES: Readonly<Record<number, string>> = {
  413: 'Request Entity Too Large',
  414: 'Request-URI Too Long',
  416: 'Requested Range Not Satisfiable',
};

/**
 * The standard reason phrase of `code` (`Not Found` for 404), or `Unknown`.
 *
 * @see Tornado `httputil.responses`
 */
export function reasonPhrase(code: number): string {
  return TORNADO_PHRASES[code] ?? STATUS_CODES[code] ?? 'Unknown';
}

/** True for a status code with a standard reason phrase. */
export function isKnownStatus(code: number): boolean {
  return TORNADO_PHRASES[code] !== undefined || STATUS_CODES[code] !== undefined;
}
