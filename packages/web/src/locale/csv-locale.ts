/** CSVLocale: a locale translated from a Tornado-style CSV table (see `loadTranslations`). */
import { genLog } from '@tronada/ioloop';
import { Locale, requireCount } from './locale.js';

/** The third column of a translation row: which form of the message the row translates. */
export type PluralIndicator = 'plural' | 'singular' | 'unknown';

/**
 * A CSV locale's table: for each plural indicator, English message to translation. Rows
 * without an indicator are `unknown`; `singular` and `plural` rows serve `translate` calls
 * with a count.
 */
export type CSVTranslations = { readonly [K in PluralIndicator]?: ReadonlyMap<string, string> };

/**
 * A locale whose translations come from a CSV table: `translate(message)` looks in the
 * `unknown` rows, `translate(singular, plural, count)` in the `singular` rows when the count
 * is 1 and in the `plural` rows (keyed by the plural message) otherwise. Missing entries come
 * back untranslated. CSV files have no contexts, so `pgettext` ignores the context (with a
 * warning on `genLog` when the table is not empty).
 *
 * @see Tornado `tornado.locale.CSVLocale`
 */
export class CSVLocale extends Locale {
  /** The table this locale translates from. */
  readonly translations: CSVTranslations;

  constructor(code: string, translations: CSVTranslations) {
    super(code);
    this.translations = translations;
  }

  override translate(message: string): string;
  override translate(message: string, pluralMessage: string, count: number): string;
  override translate(message: string, pluralMessage?: string, count?: number): string {
    let key = message;
    let table: ReadonlyMap<string, string> | undefined;
    if (pluralMessage === undefined) {
      table = this.translations.unknown;
    } else if (requireCount(count) === 1) {
      table = this.translations.singular;
    } else {
      key = pluralMessage;
      table = this.translations.plural;
    }
    return table?.get(key) ?? key;
  }

  override pgettext(context: string, message: string): string;
  override pgettext(context: string, message: string, pluralMessage: string, count: number): string;
  override pgettext(
    _context: string,
    message: string,
    pluralMessage?: string,
    count?: number,
  ): string {
    if (Object.values(this.translations).some((table) => table !== undefined)) {
      genLog.warn('pgettext is not supported by CSVLocale; the context is ignored');
    }
    if (pluralMessage === undefined) return this.translate(message);
    return this.translate(message, pluralMessage, requireCount(count));
  }
}
