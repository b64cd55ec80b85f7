/**
 * Entity tags: the default tag of a response body and `If-None-Match` comparison.
 */
import { createHash } from 'node:crypto';

/**
 * A strong entity tag for the body parts: the quoted SHA-1 hex of their concatenation.
 *
 * @see Tornado `RequestHandler.compute_etag`
 */
export function etagOf(parts: readonly Uint8Array[]): string {
  const hash = createHash('sha1');
  for (const part of parts) hash.update(part);
  return `"${hash.digest('hex')}"`;
}

const ETAG_LIST_RE = /\*|(?:W\/)?"[^"]*"/g;

function opaque(tag: string): string {
  return tag.startsWith('W/') ? tag.slice(2) : tag;
}

/**
 * True when `ifNoneMatch` (a request header value) matches `etag` by weak comparison, or is
 * `*` (RFC 9110 §13.1.2).
 *
 * @see Tornado `RequestHandler.check_etag_header`
 */
export function etagMatches(ifNoneMatch: string, etag: string): boolean {
  if (!etag) return false;
  const tags = ifNoneMatch.match(ETAG_LIST_RE);
  if (tags === null) return false;
  if (tags[0] === '*') return true;
  const mine = opaque(etag);
  return tags.some((tag) => opaque(tag) === mine);
}
