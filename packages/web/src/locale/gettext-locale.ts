/** GettextLocale: a locale translated from a compiled gettext catalog (see `loadGettextTranslations`). */
import { CONTEXT_SEPARATOR, type GettextCatalog } from './gettext-catalog.js';
import { Locale, requireCount } from './locale.js';

/**
 * A locale whose translations come from a gettext catalog (`.mo` file): plural forms follow
 * the catalog's `Plural-Forms` rule, and `pgettext` finds messages stored with a context
 * (`msgctxt` in the `.po` file), falling back to the message without context and then to the
 * untranslated text.
 *
 * @see Tornado `tornado.locale.GettextLocale`
 */
export class GettextLocale extends Locale {
  /** The catalog this locale translates from. */
  readonly catalog: GettextCatalog;

  constructor(code: string, catalog: GettextCatalog) {
    super(code);
    this.catalog = catalog;
  }

  override translate(message: string): string;
  override translate(message: string, pluralMessage: string, count: number): string;
  override translate(message: string, pluralMessage?: string, count?: number): string {
    if (pluralMessage === undefined) return this.catalog.gettext(message);
    return this.catalog.ngettext(message, pluralMessage, requireCount(count));
  }

  /**
   * The translation of `message` (or of its plural form for `count`) in `context`:
   * `pgettext('law', 'right')` and `pgettext('good', 'right')` can differ, as can
   * `pgettext('stick', 'club', 'clubs', 2)` and `pgettext('organization', 'club', 'clubs', 2)`.
   * Extract such strings with `xgettext --keyword=pgettext:1c,2 --keyword=pgettext:1c,2,3`.
   *
   * @see Tornado `tornado.locale.GettextLocale.pgettext`
   */
  override pgettext(context: string, message: string): string;
  override pgettext(context: string, message: string, pluralMessage: string, count: number): string;
  override pgettext(
    context: string,
    message: string,
    pluralMessage?: string,
    count?: number,
  ): string {
    const prefix = `${context}${CONTEXT_SEPARATOR}`;
    if (pluralMessage === undefined) {
      const result = this.catalog.gettext(prefix + message);
      // Not found: the catalog handed back our key, separator and all.
      return result.includes(CONTEXT_SEPARATOR) ? message : result;
    }
    const n = requireCount(count);
    const result = this.catalog.ngettext(prefix + message, prefix + pluralMessage, n);
    return result.includes(CONTEXT_SEPARATOR)
      ? this.catalog.ngettext(message, pluralMessage, n)
      : result;
  }
}
