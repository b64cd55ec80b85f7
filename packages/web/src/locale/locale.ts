/**
 * Locale: one language's translations and its way of writing dates, lists and numbers.
 *
 * Dates are instants read in UTC and shifted by the caller's `gmtOffset` (minutes west of
 * UTC, as JavaScript's `getTimezoneOffset()` gives them), as Tornado reads naive UTC
 * datetimes. Differences are taken in whole microseconds, split like Python's `timedelta`
 * into whole days and the remaining seconds, so every boundary (50 seconds, 50 minutes,
 * 5 days, 334 days) falls where Tornado puts it.
 */
import { interpolate } from './interpolate.js';
import { LocaleArgumentError } from './locale-errors.js';
import { LOCALE_NAMES } from './locale-names.js';
import { localeRegistry } from './locale-registry.js';

/** Options of {@link Locale.formatDate}. */
export interface FormatDateOptions {
  /** The reader's offset from UTC in minutes, positive west of UTC (`getTimezoneOffset()`); default 0. */
  gmtOffset?: number;
  /** Say "2 hours ago" and "yesterday" for recent dates; default true. */
  relative?: boolean;
  /** Leave out the time of day ("yesterday", "April 28"); default false. */
  shorter?: boolean;
  /** Always give month, day and year ("April 28, 2013 at 6:35 pm"); default false. */
  fullFormat?: boolean;
  /** The present, as a `Date` or Unix seconds; default the current wall-clock time. */
  now?: Date | number;
}

/** Options of {@link Locale.formatDay}. */
export interface FormatDayOptions {
  /** The reader's offset from UTC in minutes, positive west of UTC; default 0. */
  gmtOffset?: number;
  /** Start with the day of the week ("Sunday, April 28"); default true. */
  dow?: boolean;
}

const US_PER_SECOND = 1_000_000;
const US_PER_DAY = 86_400 * US_PER_SECOND;
const RTL_PREFIXES = ['fa', 'ar', 'he'] as const;
// Codes that write the time of day on a 12-hour clock; all others use 24 hours.
const TWELVE_HOUR_CODES: ReadonlySet<string> = new Set(['en', 'en_US', 'zh_CN']);

function toMicroseconds(date: Date | number, what: string): number {
  const us = typeof date === 'number' ? Math.round(date * US_PER_SECOND) : date.getTime() * 1000;
  if (!Number.isFinite(us)) {
    throw new LocaleArgumentError(`${what} is not a valid date; pass a Date or Unix seconds`);
  }
  return us;
}

/** The calendar fields of an instant given in microseconds, read in UTC. */
function fields(us: number): Date {
  return new Date(Math.floor(us / 1000));
}

/** Python's round(): halves go to the even neighbour. */
function roundHalfEven(x: number): number {
  const floor = Math.floor(x);
  const rest = x - floor;
  if (rest !== 0.5) return Math.round(x);
  return floor % 2 === 0 ? floor : floor + 1;
}

/**
 * A language: translates messages and formats dates, days, lists and numbers the way
 * Tornado does for it. Get one with {@link Locale.get}; this base class translates nothing
 * (each message comes back as given, the plural chosen by the count), which is what the
 * default locale needs. `CSVLocale` and `GettextLocale` translate from loaded files.
 *
 * @see Tornado `tornado.locale.Locale`
 */
export class Locale {
  /** The locale code, e.g. `en_US` or `fr`. */
  readonly code: string;
  /** The language's name in itself, e.g. `Español`, or `Unknown`. */
  readonly name: string;
  /** True for right-to-left scripts: codes starting with `fa`, `ar` or `he`. */
  readonly rtl: boolean;
  #months: readonly string[] | undefined;
  #weekdays: readonly string[] | undefined;

  /** A locale for `code`; application code normally calls {@link Locale.get} instead. */
  constructor(code: string) {
    this.code = code;
    this.name = Object.hasOwn(LOCALE_NAMES, code) ? LOCALE_NAMES[code]!.name : 'Unknown';
    this.rtl = RTL_PREFIXES.some((prefix) => code.startsWith(prefix));
  }

  /**
   * The closest supported locale to the first of `codes` that matches one, trying each code
   * exactly (after normalising `fr-ca` to `fr_CA`) and then by its language alone (`fr`);
   * the default locale when none matches. Codes with more than two parts (`zh_Hant_TW`) are
   * skipped, as in Tornado. Never throws.
   *
   * ```ts
   * const locale = Locale.get('es_LA');
   * ```
   *
   * @see Tornado `tornado.locale.get`
   */
  static get(...codes: string[]): Locale {
    return Locale.getClosest(...codes);
  }

  /**
   * The same lookup as {@link Locale.get}, under Tornado's class-method name.
   *
   * @see Tornado `tornado.locale.Locale.get_closest`
   */
  static getClosest(...codes: string[]): Locale {
    const supported = localeRegistry.supportedLocales;
    for (const given of codes) {
      if (!given) continue;
      const parts = given.replaceAll('-', '_').split('_');
      if (parts.length > 2) continue;
      const language = parts[0]!.toLowerCase();
      const code = parts.length === 2 ? `${language}_${parts[1]!.toUpperCase()}` : parts[0]!;
      if (supported.has(code)) return localeRegistry.locale(code);
      if (supported.has(language)) return localeRegistry.locale(language);
    }
    return localeRegistry.locale(localeRegistry.defaultLocale);
  }

  /**
   * The translation of `message`; with `pluralMessage` and `count`, the form for `count`
   * (`pluralMessage` untranslated when the count is not 1). Untranslated text comes back as
   * given. Placeholders such as `%(name)s` are left for {@link interpolate}.
   *
   * @see Tornado `tornado.locale.Locale.translate`
   */
  translate(message: string): string;
  translate(message: string, pluralMessage: string, count: number): string;
  translate(message: string, pluralMessage?: string, count?: number): string {
    if (pluralMessage === undefined) return message;
    return requireCount(count) === 1 ? message : pluralMessage;
  }

  /**
   * Like {@link translate}, for the meaning of `message` in `context` (`pgettext('law',
   * 'right')` vs `pgettext('good', 'right')`); only gettext catalogs store contexts.
   *
   * @see Tornado `tornado.locale.Locale.pgettext`
   */
  pgettext(context: string, message: string): string;
  pgettext(context: string, message: string, pluralMessage: string, count: number): string;
  pgettext(_context: string, message: string, pluralMessage?: string, count?: number): string {
    if (pluralMessage === undefined) return this.translate(message);
    return this.translate(message, pluralMessage, requireCount(count));
  }

  /**
   * Formats `date` (a `Date` or Unix seconds) for a reader `gmtOffset` minutes west of UTC.
   *
   * Relative (the default), a date less than a day old reads "1 second ago", "5 seconds ago",
   * "2 minutes ago" (from 50 seconds) or "3 hours ago" (from 50 minutes); then "yesterday at
   * 3:15 pm", the weekday ("Monday at 3:15 pm") under 5 days, month and day ("April 28 at
   * 3:15 pm") under 334 days, and month, day and year beyond. `shorter` drops the time of
   * day; `fullFormat` always gives the full date; `relative: false` gives the time alone for
   * today. Dates in the future get the full date, except that in relative mode one less than
   * a minute ahead (clock skew) counts as now. `en`, `en_US` and `zh_CN` write times on a
   * 12-hour clock (`6:35 pm`, `下午6:35`); every other locale uses 24 hours.
   *
   * @see Tornado `tornado.locale.Locale.format_date`
   */
  formatDate(date: Date | number, options: FormatDateOptions = {}): string {
    const { gmtOffset = 0, relative = true, shorter = false } = options;
    let fullFormat = options.fullFormat ?? false;
    const now = toMicroseconds(options.now ?? new Date(), 'options.now');
    let then = toMicroseconds(date, 'date');
    if (then > now) {
      if (relative && then - now < 60 * US_PER_SECOND) then = now;
      else fullFormat = true;
    }
    const offset = gmtOffset * 60 * US_PER_SECOND;
    const local = fields(then - offset);
    const localYesterday = fields(now - offset - US_PER_DAY);
    const difference = now - then;
    const days = Math.floor(difference / US_PER_DAY);
    const seconds = Math.floor((difference - days * US_PER_DAY) / US_PER_SECOND);

    let format: string | undefined;
    if (!fullFormat) {
      if (relative && days === 0) {
        if (seconds < 50) {
          return interpolate(this.translate('1 second ago', '%(seconds)d seconds ago', seconds), {
            seconds,
          });
        }
        if (seconds < 50 * 60) {
          const minutes = roundHalfEven(seconds / 60);
          return interpolate(this.translate('1 minute ago', '%(minutes)d minutes ago', minutes), {
            minutes,
          });
        }
        const hours = roundHalfEven(seconds / 3600);
        return interpolate(this.translate('1 hour ago', '%(hours)d hours ago', hours), { hours });
      }
      if (days === 0) {
        format = this.translate('%(time)s');
      } else if (days === 1 && relative && local.getUTCDate() === localYesterday.getUTCDate()) {
        format = shorter ? this.translate('yesterday') : this.translate('yesterday at %(time)s');
      } else if (days < 5) {
        format = shorter
          ? this.translate('%(weekday)s')
          : this.translate('%(weekday)s at %(time)s');
      } else if (days < 334) {
        // Under eleven months: a month and day cannot be mistaken for last year's.
        format = shorter
          ? this.translate('%(month_name)s %(day)s')
          : this.translate('%(month_name)s %(day)s at %(time)s');
      }
    }
    format ??= shorter
      ? this.translate('%(month_name)s %(day)s, %(year)s')
      : this.translate('%(month_name)s %(day)s, %(year)s at %(time)s');

    return interpolate(format, {
      month_name: this.#monthName(local),
      weekday: this.#weekdayName(local),
      day: String(local.getUTCDate()),
      year: String(local.getUTCFullYear()),
      time: this.#timeOfDay(local),
    });
  }

  /**
   * Formats the day of `date` (a `Date` or Unix seconds) for a reader `gmtOffset` minutes
   * west of UTC: "Sunday, April 28", or "April 28" with `dow: false`.
   *
   * @see Tornado `tornado.locale.Locale.format_day`
   */
  formatDay(date: Date | number, options: FormatDayOptions = {}): string {
    const { gmtOffset = 0, dow = true } = options;
    const local = fields(toMicroseconds(date, 'date') - gmtOffset * 60 * US_PER_SECOND);
    if (dow) {
      return interpolate(this.translate('%(weekday)s, %(month_name)s %(day)s'), {
        month_name: this.#monthName(local),
        weekday: this.#weekdayName(local),
        day: String(local.getUTCDate()),
      });
    }
    return interpolate(this.translate('%(month_name)s %(day)s'), {
      month_name: this.#monthName(local),
      day: String(local.getUTCDate()),
    });
  }

  /**
   * Joins `parts` as a sentence would: "A, B and C", "A and B", "A", or "" for none (Persian
   * joins with " و ").
   *
   * @see Tornado `tornado.locale.Locale.list`
   */
  list(parts: readonly string[]): string {
    if (parts.length === 0) return '';
    if (parts.length === 1) return parts[0]!;
    const comma = this.code.startsWith('fa') ? ' \u0648 ' : ', ';
    return interpolate(this.translate('%(commas)s and %(last)s'), {
      commas: parts.slice(0, -1).join(comma),
      last: parts[parts.length - 1],
    });
  }

  /**
   * `value` with its digits grouped by commas ("1,000,000") for `en` and `en_US`; other
   * locales get the plain number. A sign stays in front and a fraction is left as it is.
   *
   * @see Tornado `tornado.locale.Locale.friendly_number`
   */
  friendlyNumber(value: number | bigint): string {
    const text = String(value);
    if (this.code !== 'en' && this.code !== 'en_US') return text;
    const match = /^(-?)(\d+)(.*)$/s.exec(text);
    if (match === null) return text;
    const [, sign, digits, rest] = match;
    return sign! + digits!.replace(/\B(?=(\d{3})+$)/g, ',') + rest!;
  }

  /** The translated month names, January first, built on first use (after subclasses are ready). */
  #monthName(local: Date): string {
    this.#months ??= [
      this.translate('January'),
      this.translate('February'),
      this.translate('March'),
      this.translate('April'),
      this.translate('May'),
      this.translate('June'),
      this.translate('July'),
      this.translate('August'),
      this.translate('September'),
      this.translate('October'),
      this.translate('November'),
      this.translate('December'),
    ];
    return this.#months[local.getUTCMonth()]!;
  }

  /** The translated weekday names, Monday first as in Python, built on first use. */
  #weekdayName(local: Date): string {
    this.#weekdays ??= [
      this.translate('Monday'),
      this.translate('Tuesday'),
      this.translate('Wednesday'),
      this.translate('Thursday'),
      this.translate('Friday'),
      this.translate('Saturday'),
      this.translate('Sunday'),
    ];
    return this.#weekdays[(local.getUTCDay() + 6) % 7]!;
  }

  #timeOfDay(local: Date): string {
    const hour = local.getUTCHours();
    const minute = String(local.getUTCMinutes()).padStart(2, '0');
    if (!TWELVE_HOUR_CODES.has(this.code)) return `${hour}:${minute}`;
    const hour12 = hour % 12 || 12;
    if (this.code === 'zh_CN')
      return `${hour >= 12 ? '\u4e0b\u5348' : '\u4e0a\u5348'}${hour12}:${minute}`;
    return `${hour12}:${minute} ${hour >= 12 ? 'pm' : 'am'}`;
  }
}

/** A plural message needs its count; Tornado asserts the same. */
export function requireCount(count: number | undefined): number {
  if (count === undefined) {
    throw new LocaleArgumentError(
      'A plural message needs a count: translate(singular, plural, count)',
    );
  }
  return count;
}
