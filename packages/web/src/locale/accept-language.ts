/** Reading the locale codes a browser asks for from its `Accept-Language` header. */

// What Python's float() accepts: digits with single underscores between them, an optional
// fraction and exponent, or inf/infinity/nan, all with an optional sign.
const DIGITS = String.raw`\d(?:_?\d)*`;
const PYTHON_FLOAT = new RegExp(
  String.raw`^[+-]?(?:(?:${DIGITS}(?:\.(?:${DIGITS})?)?|\.${DIGITS})(?:[eE][+-]?${DIGITS})?|inf(?:inity)?|nan)$`,
  'i',
);

function parseQuality(text: string): number {
  const value = text.trim();
  if (!PYTHON_FLOAT.test(value)) return 0;
  const lower = value.toLowerCase().replace(/^[+-]/, '');
  const sign = value.startsWith('-') ? -1 : 1;
  if (lower.startsWith('inf')) return sign * Number.POSITIVE_INFINITY;
  if (lower === 'nan') return Number.NaN;
  const score = Number(value.replaceAll('_', ''));
  return score < 0 ? 0 : score;
}

/**
 * The language tags of an `Accept-Language` header, most wanted first: each tag's `q=` weight
 * orders it (1 when absent; ties keep the header's order), and tags weighted 0 are left out.
 * A weight that is not a number, or is negative, counts as 0, so a malformed entry drops
 * out instead of failing the request. Tags are trimmed and empty ones skipped; they are
 * otherwise returned as sent (`fr-CA`), for `Locale.get` to normalise.
 *
 * ```ts
 * parseAcceptLanguage('fr-CH, fr;q=0.9, en;q=0.8, *;q=0'); // ['fr-CH', 'fr', 'en']
 * ```
 *
 * @see Tornado `tornado.web.RequestHandler.get_browser_locale`
 */
export function parseAcceptLanguage(header: string): string[] {
  const weighted: { tag: string; score: number }[] = [];
  for (const entry of header.split(',')) {
    const parts = entry.trim().split(';');
    const tag = parts[0]!.trim();
    const param = parts[1]?.trim();
    const score = param?.startsWith('q=') ? parseQuality(param.slice(2)) : 1;
    // NaN fails this test too, as it does in Tornado.
    if (tag !== '' && score > 0) weighted.push({ tag, score });
  }
  // Array.prototype.sort is stable, like Python's list.sort.
  weighted.sort((a, b) => (a.score === b.score ? 0 : a.score > b.score ? -1 : 1));
  return weighted.map((w) => w.tag);
}
