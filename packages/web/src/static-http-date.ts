/**
 * Parsing the dates of conditional request headers (`If-Modified-Since`).
 */

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

// The three forms of RFC 9110 §5.6.7: IMF-fixdate, the obsolete RFC 850 form, and asctime.
// A trailing zone is accepted and, as in Tornado (Python's `email.utils.parsedate`), ignored:
// HTTP dates are always GMT.
const IMF_FIXDATE_RE =
  /^[a-z]{3},\s*(\d{1,2})\s+([a-z]{3})\s+(\d{4})\s+(\d{1,2}):(\d{2}):(\d{2})(?:\s+\S+)?$/i;
const RFC850_RE =
  /^[a-z]+,\s*(\d{1,2})-([a-z]{3})-(\d{2,4})\s+(\d{1,2}):(\d{2}):(\d{2})(?:\s+\S+)?$/i;
const ASCTIME_RE = /^[a-z]{3}\s+([a-z]{3})\s+(\d{1,2})\s+(\d{1,2}):(\d{2}):(\d{2})\s+(\d{4})$/i;

function toTime(
  day: string,
  month: string,
  year: string,
  h: string,
  m: string,
  s: string,
): number | null {
  const monthIndex = MONTHS.indexOf(month.toLowerCase());
  let fullYear = Number(year);
  // Two-digit years as Python's parsedate reads them: 69-99 are 19xx, 00-68 are 20xx.
  if (year.length === 2) fullYear += fullYear > 68 ? 1900 : 2000;
  const [d, hh, mm, ss] = [Number(day), Number(h), Number(m), Number(s)];
  if (monthIndex < 0 || d < 1 || d > 31 || hh > 23 || mm > 59 || ss > 60) return null;
  const time = Date.UTC(fullYear, monthIndex, d, hh, mm, ss);
  return Number.isNaN(time) ? null : time;
}

/**
 * The time (milliseconds since the epoch, negative before 1970) an HTTP date names, or null
 * when `value` is not an HTTP date.
 *
 * @see Tornado `StaticFileHandler.should_return_304` (`email.utils.parsedate`)
 */
export function parseHttpDate(value: string): number | null {
  const text = value.trim();
  let match = IMF_FIXDATE_RE.exec(text) ?? RFC850_RE.exec(text);
  if (match !== null) {
    const [, day, month, year, h, m, s] = match as unknown as string[];
    return toTime(day!, month!, year!, h!, m!, s!);
  }
  match = ASCTIME_RE.exec(text);
  if (match === null) return null;
  const [, month, day, h, m, s, year] = match as unknown as string[];
  return toTime(day!, month!, year!, h!, m!, s!);
}
