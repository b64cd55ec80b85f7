/**
 * `linkify`: turns the URLs in plain text into links.
 *
 * The text is HTML-escaped first, then URLs are found with a pattern built (below) so that it
 * cannot backtrack exponentially: a URL is a scheme (`http://`) or `www.`, then runs of
 * non-space characters that end in a character that is not punctuation, or balanced
 * parentheses. `&amp;` and `&quot;` are the only entities allowed inside a URL, so `&lt;` and
 * `&gt;` (from `<` and `>` in the input) end it. Character classes follow Python's Unicode
 * definitions of word characters and whitespace, so the same text links the same way as in
 * Tornado.
 */
import { PY_SPACE, PY_WORD } from './internal/char-classes.js';
import { xhtmlEscape } from './xhtml.js';

/** Options of {@link linkify}. */
export interface LinkifyOptions {
  /** Shorten long URLs in the link text (the full URL stays in `href` and `title`). */
  shorten?: boolean | undefined;
  /**
   * Extra attributes for each `<a>` tag, e.g. `rel="nofollow" class="external"`, or a function
   * of the link's `href` that returns them.
   */
  extraParams?: string | ((href: string) => string) | undefined;
  /** Only link URLs that have a scheme (`www.example.com` alone stays text). */
  requireProtocol?: boolean | undefined;
  /** Schemes that may become links; default `['http', 'https']`. Never add `javascript`. */
  permittedProtocols?: readonly string[] | undefined;
}

const WORD = `[${PY_WORD}]`;
const SPACE = PY_SPACE;
// Python's `\b`, at the start of a match.
const BOUNDARY = `(?:(?<!${WORD})(?=${WORD})|(?<=${WORD})(?!${WORD}))`;
const SCHEME = String.raw`([${PY_WORD}-]+):(\/{1,3})`;
const URL_CHAR = `(?:[^${SPACE}&()]|&amp;|&quot;)`;
const LAST_CHAR = String.raw`[^!"#$%&'()*+,.:;<=>?@\[\]^\x60{|}~${SPACE}]`;
const IN_PARENS = String.raw`\(${URL_CHAR}*\)`;
const URL_PATTERN = new RegExp(
  `${BOUNDARY}((?:${SCHEME}|www[.])(?:${URL_CHAR}*${LAST_CHAR}|${IN_PARENS})+)`,
  'gu',
);

const MAX_LENGTH = 30;

/** Tornado's display shortening: keep the host and a bit of the path, then `...`. */
function shortenUrl(url: string, prefixLength: number): string {
  // Lengths count code points, as Python's do.
  const chars = Array.from(url);
  if (chars.length <= MAX_LENGTH) return url;
  let shown = chars;
  const parts = chars.slice(prefixLength).join('').split('/');
  if (parts.length > 1) {
    const pathStart = Array.from(parts[1] ?? '')
      .slice(0, 8)
      .join('')
      .split('?')[0]!
      .split('.')[0]!;
    shown = Array.from(`${chars.slice(0, prefixLength).join('')}${parts[0]}/${pathStart}`);
  }
  if (shown.length > MAX_LENGTH * 1.5) shown = shown.slice(0, MAX_LENGTH);
  let text = shown.join('');
  if (text === url) return url;
  // Do not cut an entity such as `&amp;` in half.
  const amp = shown.lastIndexOf('&');
  if (amp > MAX_LENGTH - 5) text = shown.slice(0, amp).join('');
  text += '...';
  return Array.from(text).length >= chars.length ? url : text;
}

/**
 * Converts plain text into HTML with links: `linkify('see http://x.com/a?b=1&c=2')` returns
 * `see <a href="http://x.com/a?b=1&amp;c=2">http://x.com/a?b=1&amp;c=2</a>`.
 *
 * All of the text is HTML-escaped, so the result is safe to output raw. URLs without a scheme
 * (`www.example.com`) get `http://` in their `href` unless `requireProtocol` is set; URLs whose
 * scheme is not in `permittedProtocols` stay text.
 *
 * @see Tornado `tornado.escape.linkify`
 */
export function linkify(text: string | Uint8Array, options: LinkifyOptions = {}): string {
  const { shorten = false, extraParams = '', requireProtocol = false } = options;
  const permitted = options.permittedProtocols ?? ['http', 'https'];
  const fixedParams =
    typeof extraParams === 'string' && extraParams !== '' ? ` ${extraParams.trim()}` : '';

  const makeLink = (
    _match: string,
    url: string,
    scheme: string | undefined,
    slashes: string | undefined,
  ): string => {
    if (scheme === undefined && requireProtocol) return url;
    if (scheme !== undefined && !permitted.includes(scheme)) return url;
    const href = scheme === undefined ? `http://${url}` : url;
    let params = typeof extraParams === 'function' ? ` ${extraParams(href).trim()}` : fixedParams;
    let shown = url;
    if (shorten) {
      const prefixLength =
        scheme === undefined ? 0 : Array.from(scheme).length + 1 + (slashes?.length ?? 0);
      shown = shortenUrl(url, prefixLength);
      if (shown !== url) params += ` title="${href}"`;
    }
    return `<a href="${href}"${params}>${shown}</a>`;
  };
  return xhtmlEscape(text).replace(URL_PATTERN, makeLink);
}
