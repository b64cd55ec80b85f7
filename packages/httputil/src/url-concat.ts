/**
 * urlConcat and the form encoding it uses (Python's `urlencode` / `quote_plus`).
 */
import { unquotePlusToBytes } from './query-string.js';

/** Arguments for {@link urlConcat}: a record, or pairs (which allow repeated names). */
export type UrlArguments =
  | Readonly<Record<string, string | number>>
  | Iterable<readonly [string, string | number]>;

// Python's quote_plus(safe=''): letters, digits and `_.-~` stay; space becomes `+`.
const UNRESERVED = /[A-Za-z0-9_.\-~]/;

/**
 * Encodes `text` for a query string or form body: UTF-8, `%XX` for every byte except letters,
 * digits and `_.-~`, and `+` for a space.
 *
 * @see Tornado uses Python's `urllib.parse.quote_plus`
 */
export function quotePlus(text: string): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const ch = String.fromCharCode(byte);
    if (byte < 0x80 && UNRESERVED.test(ch)) out += ch;
    else if (byte === 0x20) out += '+';
    else out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/**
 * Encodes pairs as `name=value&…` with {@link quotePlus}.
 *
 * @see Python's `urllib.parse.urlencode`
 */
export function urlEncode(pairs: Iterable<readonly [string, string | number]>): string {
  const parts: string[] = [];
  for (const [name, value] of pairs) parts.push(`${quotePlus(name)}=${quotePlus(String(value))}`);
  return parts.join('&');
}

const utf8Replace = new TextDecoder('utf-8');

function decodeQueryPairs(query: string): [string, string][] {
  const pairs: [string, string][] = [];
  for (const field of query.split('&')) {
    if (field.length === 0) continue;
    const eq = field.indexOf('=');
    const name = eq === -1 ? field : field.slice(0, eq);
    const value = eq === -1 ? '' : field.slice(eq + 1);
    pairs.push([
      utf8Replace.decode(unquotePlusToBytes(name)),
      utf8Replace.decode(unquotePlusToBytes(value)),
    ]);
  }
  return pairs;
}

/**
 * Appends `args` to the query of `url`, whether or not it already has one; keeps the fragment
 * and repeated names. The existing query is re-encoded (`?x` becomes `?x=`), as Tornado does.
 * `null`/`undefined` args return `url` unchanged.
 *
 * @see Tornado `tornado.httputil.url_concat`
 */
export function urlConcat(url: string, args: UrlArguments | null | undefined): string {
  if (args === null || args === undefined) return url;
  const hash = url.indexOf('#');
  const fragment = hash === -1 ? '' : url.slice(hash + 1);
  const beforeHash = hash === -1 ? url : url.slice(0, hash);
  const q = beforeHash.indexOf('?');
  const base = q === -1 ? beforeHash : beforeHash.slice(0, q);
  const pairs: [string, string | number][] = decodeQueryPairs(
    q === -1 ? '' : beforeHash.slice(q + 1),
  );
  const extra = Symbol.iterator in args ? args : Object.entries(args);
  for (const [name, value] of extra as Iterable<readonly [string, string | number]>) {
    pairs.push([name, value]);
  }
  const query = urlEncode(pairs);
  return base + (query ? `?${query}` : '') + (fragment ? `#${fragment}` : '');
}
