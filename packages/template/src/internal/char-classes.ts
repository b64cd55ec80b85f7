/**
 * Python's `\s` and `\w` for str patterns, as regex source for use inside `[...]` with the `u`
 * flag. JavaScript's own `\s` differs (it has U+FEFF but lacks U+001C–U+001F and U+0085), and its
 * `\w` is ASCII-only; using these keeps whitespace filtering and linkify identical to Tornado's.
 */

/** The characters of Python's `\s`, for use inside a character class. */
export const PY_SPACE = String.raw`\t-\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000`;

/** The characters of Python's `\w`, for use inside a character class (needs the `u` flag). */
export const PY_WORD = String.raw`\p{L}\p{N}_`;
