/**
 * Loading translations into the process-wide {@link localeRegistry}: Tornado's CSV tables
 * (`loadTranslations`) or gettext catalogs (`loadGettextTranslations`), plus the default
 * locale and the list of supported ones.
 *
 * The loaders read files synchronously: call them once at startup, before serving, as
 * Tornado applications do. Each call replaces what an earlier call loaded, and only touches
 * the registry after every file has been read, so a failed load leaves the old state intact.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { genLog } from '@tronada/ioloop';
import { CSVLocale, type CSVTranslations, type PluralIndicator } from './csv-locale.js';
import { parseCsvRows } from './csv-rows.js';
import { decodeText } from './decode-text.js';
import { GettextCatalog } from './gettext-catalog.js';
import { GettextLocale } from './gettext-locale.js';
import { TranslationsFileError } from './locale-errors.js';
import { type LocaleFactory, localeRegistry } from './locale-registry.js';

const LOCALE_FILE_NAME = /^[a-z]+(_[A-Z]+)?$/;
const PLURAL_INDICATORS: ReadonlySet<string> = new Set(['plural', 'singular', 'unknown']);

function readCsvTable(path: string, name: string, encoding: string | undefined): CSVTranslations {
  let text: string;
  try {
    text = decodeText(readFileSync(path), encoding);
  } catch (error) {
    const problem =
      error instanceof RangeError
        ? `unknown encoding ${JSON.stringify(encoding)}`
        : `not valid ${encoding ?? 'UTF-8 or UTF-16'}`;
    throw new TranslationsFileError(path, problem, { cause: error });
  }
  const tables = new Map<PluralIndicator, Map<string, string>>();
  parseCsvRows(text).forEach((row, index) => {
    if (row.length < 2) return;
    const [english, translation, indicator] = row.map((cell) => cell.trim()) as [
      string,
      string,
      string | undefined,
    ];
    const plural = indicator || 'unknown';
    if (!PLURAL_INDICATORS.has(plural)) {
      genLog.error(
        `Unrecognized plural indicator ${JSON.stringify(plural)} in ${name} line ${index + 1}; ` +
          'use "plural", "singular" or "unknown"',
      );
      return;
    }
    const key = plural as PluralIndicator;
    const table = tables.get(key) ?? new Map<string, string>();
    tables.set(key, table);
    table.set(english, translation);
  });
  return Object.fromEntries(tables);
}

/**
 * Loads Tornado's CSV translations from `directory`: one file per locale, named after it
 * (`es_LA.csv`, `fr.csv`; other names are logged on `genLog` and skipped), with rows
 * `"message","translation"` and an optional third column `"plural"`, `"singular"` or
 * `"unknown"` (empty means unknown; rows with another value are logged and skipped).
 *
 * ```csv
 * "I love you","Te amo"
 * "%(name)s liked this","A %(name)s les gustó esto","plural"
 * "%(name)s liked this","A %(name)s le gustó esto","singular"
 * ```
 *
 * Files are read as Python's `csv` module reads them (excel dialect: no spaces after the
 * commas). Without `encoding`, each file's byte-order mark picks UTF-16, and otherwise it is
 * UTF-8, with or without a mark (as Excel writes it); `encoding` takes Python's names
 * (`utf-8-sig`, `utf-16`, `latin-1`). Replaces any translations loaded before. Throws
 * {@link TranslationsFileError} for a file that cannot be decoded.
 *
 * @see Tornado `tornado.locale.load_translations`
 */
export function loadTranslations(directory: string, encoding?: string): void {
  const factories = new Map<string, LocaleFactory>();
  for (const file of readdirSync(directory).sort()) {
    if (!file.endsWith('.csv')) continue;
    const code = file.slice(0, -'.csv'.length);
    const path = join(directory, file);
    if (!LOCALE_FILE_NAME.test(code)) {
      genLog.error(
        `Unrecognized locale ${JSON.stringify(code)} (path: ${path}); name translation files ` +
          'after their locale, like es_LA.csv or fr.csv',
      );
      continue;
    }
    const table = readCsvTable(path, file, encoding);
    factories.set(code, (localeCode) => new CSVLocale(localeCode, table));
  }
  localeRegistry.install(factories);
  genLog.debug(`Supported locales: ${[...localeRegistry.supportedLocales].sort().join(', ')}`);
}

function catalogPath(directory: string, lang: string, domain: string): string {
  return join(directory, lang, 'LC_MESSAGES', `${domain}.mo`);
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    // Missing, or a path through a plain file (ENOTDIR): not a catalog either way.
    return false;
  }
}

/**
 * Loads gettext catalogs from a locale tree laid out like `/usr/share/locale`:
 * `{directory}/{lang}/LC_MESSAGES/{domain}.mo`, one locale per `lang` directory. A catalog
 * for a language and region (`pt_BR`) falls back to the language's own catalog (`pt`) when
 * both exist. A catalog that cannot be read is logged on `genLog` and skipped. Replaces any
 * translations loaded before.
 *
 * Making the catalogs, with GNU gettext: extract the strings (`xgettext --language=JavaScript
 * --keyword=_:1,2 --keyword=translate:1,2 --keyword=pgettext:1c,2 --keyword=pgettext:1c,2,3`),
 * merge them into each language's `.po` file (`msgmerge`), and compile it (`msgfmt
 * mydomain.po -o {directory}/pt_BR/LC_MESSAGES/mydomain.mo`).
 *
 * @see Tornado `tornado.locale.load_gettext_translations`
 */
export function loadGettextTranslations(directory: string, domain: string): void {
  const catalogs = new Map<string, GettextCatalog>();
  for (const lang of readdirSync(directory).sort()) {
    const path = catalogPath(directory, lang, domain);
    if (!isFile(path)) continue;
    try {
      catalogs.set(lang, GettextCatalog.parse(readFileSync(path), { source: path }));
    } catch (error) {
      genLog.error(`Cannot load translation for '${lang}': ${(error as Error).message}`);
    }
  }
  const factories = new Map<string, LocaleFactory>();
  for (const [lang, catalog] of catalogs) {
    const language = lang.split('_')[0]!;
    const fallback = language === lang ? undefined : catalogs.get(language);
    factories.set(lang, (code) => {
      // Chain a copy, so the language's own locale keeps its catalog free of fallbacks.
      const chained = fallback ? catalog.withFallback(fallback) : catalog;
      return new GettextLocale(code, chained);
    });
  }
  localeRegistry.install(factories);
  genLog.debug(`Supported locales: ${[...localeRegistry.supportedLocales].sort().join(', ')}`);
}

/**
 * Makes `code` the default locale: the language the application's own strings are written
 * in (it needs no translation file) and the answer of `Locale.get` when nothing matches.
 *
 * @see Tornado `tornado.locale.set_default_locale`
 */
export function setDefaultLocale(code: string): void {
  localeRegistry.setDefaultLocale(code);
}

/**
 * The codes `Locale.get` can return: every loaded locale plus the default one.
 *
 * @see Tornado `tornado.locale.get_supported_locales`
 */
export function getSupportedLocales(): ReadonlySet<string> {
  return localeRegistry.supportedLocales;
}
