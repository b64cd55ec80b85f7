/**
 * Byte ranges for static files: parsing a `Range` header and resolving it against a size.
 *
 * Only one range is understood (`bytes=0-9`, `bytes=5-`, `bytes=-4`). A header that is not of
 * that form (another unit, several ranges, garbage) is treated as absent, as RFC 9110 §14.2
 * allows and Tornado does: the client gets the whole file with 200.
 */

/**
 * A parsed `Range` header as slice indexes: `start` inclusive, `end` exclusive. A negative
 * `start` counts from the end of the file (a suffix range); `end: 0` is the unsatisfiable
 * zero-length suffix `bytes=-0`.
 */
export interface RequestRange {
  readonly start: number | null;
  readonly end: number | null;
}

/** What to send for a request, once its range is held against the file's size. */
export type RangePlan =
  | { readonly kind: 'whole'; readonly start: null; readonly end: null; readonly length: number }
  | {
      readonly kind: 'partial';
      readonly start: number;
      readonly end: number;
      readonly length: number;
    }
  | { readonly kind: 'unsatisfiable' };

const DIGITS_RE = /^\d+$/;

function intOrNull(text: string): number | null | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  // Anything but plain digits makes the whole header invalid (undefined), so it is ignored.
  return DIGITS_RE.test(trimmed) ? Number(trimmed) : undefined;
}

/**
 * Parses a `Range` header value; null when the header is not a single byte range.
 *
 * @see Tornado `tornado.httputil._parse_request_range`
 */
export function parseRequestRange(header: string): RequestRange | null {
  const eq = header.indexOf('=');
  if (eq < 0 || header.slice(0, eq).trim() !== 'bytes') return null;
  const value = header.slice(eq + 1).trim();
  const dash = value.indexOf('-');
  const startText = dash < 0 ? value : value.slice(0, dash);
  const endText = dash < 0 ? '' : value.slice(dash + 1);
  let start = intOrNull(startText);
  let end = intOrNull(endText);
  if (start === undefined || end === undefined) return null;
  if (end !== null) {
    if (start === null) {
      // `bytes=-N` is the last N bytes; `bytes=-0` stays as end 0 and is unsatisfiable.
      if (end !== 0) {
        start = -end;
        end = null;
      }
    } else {
      end += 1;
    }
  }
  return { start, end };
}

/**
 * Resolves `range` (null: no usable header) against a file of `size` bytes: the whole file, a
 * part of it (206), or unsatisfiable (416). A range that covers the whole file is sent as a
 * whole (200), since some clients (Chrome's audio player) refuse a 206 for `bytes=0-`.
 *
 * @see Tornado `StaticFileHandler.get`
 */
export function planRange(range: RequestRange | null, size: number): RangePlan {
  if (range === null) return { kind: 'whole', start: null, end: null, length: size };
  let { start, end } = range;
  if (start !== null && start < 0) start = Math.max(start + size, 0);
  if ((start !== null && (start >= size || (end !== null && start >= end))) || end === 0) {
    return { kind: 'unsatisfiable' };
  }
  // Clients often ask for more than there is to cap their download; cap at the real size.
  if (end !== null && end > size) end = size;
  const from = start ?? 0;
  const to = end ?? size;
  if (to - from === size) return { kind: 'whole', start: null, end: null, length: size };
  return { kind: 'partial', start: from, end: to, length: to - from };
}

/**
 * The `Content-Range` value of a partial answer: `bytes first-last/size` (inclusive).
 *
 * @see Tornado `tornado.httputil._get_content_range`
 */
export function formatContentRange(start: number, end: number, size: number): string {
  return `bytes ${start}-${end - 1}/${size}`;
}
