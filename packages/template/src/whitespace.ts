import { PY_SPACE } from './internal/char-classes.js';

/**
 * How a template treats the whitespace of its literal text (not of the values it outputs):
 * - `all`: keep it as written;
 * - `single`: collapse runs of spaces and tabs to one space, and whitespace around a newline to
 *   that one newline;
 * - `oneline`: collapse every run of whitespace, newlines included, to one space.
 *
 * @see Tornado `tornado.template.filter_whitespace`
 */
export type WhitespaceMode = 'all' | 'single' | 'oneline';

const SPACES_AND_TABS = /[\t ]+/g;
const AROUND_NEWLINE = new RegExp(`[${PY_SPACE}]*\n[${PY_SPACE}]*`, 'gu');
const ANY_SPACE = new RegExp(`[${PY_SPACE}]+`, 'gu');

const MODES: ReadonlySet<string> = new Set(['all', 'single', 'oneline']);

/** True when `mode` is one of the {@link WhitespaceMode} names. */
export function isWhitespaceMode(mode: unknown): mode is WhitespaceMode {
  return typeof mode === 'string' && MODES.has(mode);
}

/**
 * Applies a {@link WhitespaceMode} to `text`.
 *
 * @throws RangeError (code `ERR_INVALID_ARG_VALUE`) for an unknown mode
 * @see Tornado `tornado.template.filter_whitespace`
 */
export function filterWhitespace(mode: WhitespaceMode, text: string): string {
  switch (mode) {
    case 'all':
      return text;
    case 'single':
      return text.replace(SPACES_AND_TABS, ' ').replace(AROUND_NEWLINE, '\n');
    case 'oneline':
      return text.replace(ANY_SPACE, ' ');
    default:
      throw invalidWhitespaceMode(mode);
  }
}

/** The error for a whitespace mode that is not `all`, `single` or `oneline`. */
export function invalidWhitespaceMode(mode: unknown): RangeError {
  return Object.assign(
    new RangeError(`Invalid whitespace mode ${String(mode)}; use "all", "single" or "oneline"`),
    { code: 'ERR_INVALID_ARG_VALUE' },
  );
}
