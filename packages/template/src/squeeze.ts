// biome-ignore lint/suspicious/noControlCharactersInRegex: squeeze is defined on control characters.
const CONTROL_AND_SPACE = /[\x00-\x20]+/g;

/**
 * Replaces every run of ASCII whitespace and control characters (`\x00`–`\x20`) with one space,
 * and trims the ends.
 *
 * @example squeeze('  a \n\t b ') === 'a b'
 * @see Tornado `tornado.escape.squeeze`
 */
export function squeeze(value: string): string {
  return value.replace(CONTROL_AND_SPACE, ' ').trim();
}
