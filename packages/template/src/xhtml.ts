import { escapeHtml } from './internal/escape-html.js';
import { HTML_ENTITIES } from './internal/html-entities.js';
import { toUnicode } from './unicode.js';

/**
 * Escapes a string so that it is safe as HTML or XML text and inside quoted attribute values.
 *
 * Replaces `&`, `<`, `>`, `"` and `'` with `&amp;`, `&lt;`, `&gt;`, `&quot;` and `&#39;`, and
 * nothing else. Bytes are decoded as UTF-8 first; the result is always a string.
 *
 * @see Tornado `tornado.escape.xhtml_escape`
 */
export function xhtmlEscape(value: string | Uint8Array): string {
  return escapeHtml(typeof value === 'string' ? value : toUnicode(value));
}

const ENTITY = /&(#?)(\w+?);/g;
const DECIMAL = /^[0-9]+$/;
const HEX = /^[0-9a-fA-F]+$/;

function decodeEntity(reference: string, hash: string, body: string): string {
  if (hash === '') return HTML_ENTITIES.get(body) ?? reference;
  let codePoint = Number.NaN;
  if (body[0] === 'x' || body[0] === 'X') {
    const digits = body.slice(1);
    if (HEX.test(digits)) codePoint = Number.parseInt(digits, 16);
  } else if (DECIMAL.test(body)) {
    codePoint = Number.parseInt(body, 10);
  }
  // Malformed or out-of-range references stay as written.
  return codePoint <= 0x10ffff ? String.fromCodePoint(codePoint) : reference;
}

/**
 * Reverses {@link xhtmlEscape}, and decodes numeric references (`&#32;`, `&#x20;`) and the HTML 4
 * named entities (`&eacute;`). References that are malformed or unknown are left as written.
 *
 * @see Tornado `tornado.escape.xhtml_unescape`
 */
export function xhtmlUnescape(value: string | Uint8Array): string {
  const text = typeof value === 'string' ? value : toUnicode(value);
  if (!text.includes('&')) return text;
  return text.replace(ENTITY, decodeEntity);
}
