/**
 * The helpers that generated render functions call: value-to-text conversion and the fused
 * convert-and-escape used when a template autoescapes with the built-in `xhtmlEscape`.
 */
import { toUnicode } from '../unicode.js';
import { escapeHtml } from './escape-html.js';

/**
 * The text of an output value, as Tornado's `str()`: strings as they are, bytes decoded as
 * UTF-8, anything else through `String()` (so `null` prints `null`, like Python's `None`).
 */
export function toText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value instanceof Uint8Array) return toUnicode(value);
  return String(value);
}

/** `xhtmlEscape(toText(value))` in one call: the `{{ }}` fast path. */
export function escapeValue(value: unknown): string {
  return escapeHtml(typeof value === 'string' ? value : toText(value));
}
