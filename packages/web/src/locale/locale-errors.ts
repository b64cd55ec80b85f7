/**
 * The errors of the locale module: a code that is not loaded, a translation file that cannot
 * be read, and arguments the formatting methods cannot use.
 */
import { TronadaError } from '@tronada/ioloop';

/**
 * An exact locale lookup named a code that is neither loaded nor the default locale.
 *
 * @see Tornado `tornado.locale.Locale.get` (an assertion there)
 */
export class UnsupportedLocaleError extends TronadaError {
  override readonly name = 'UnsupportedLocaleError';
  readonly code = 'ERR_UNSUPPORTED_LOCALE';
  /** The code that was asked for. */
  readonly locale: string;

  constructor(locale: string) {
    super(
      `Locale ${JSON.stringify(locale)} is not supported; load its translations first, or use ` +
        'Locale.get(...codes), which falls back to the closest supported locale',
    );
    this.locale = locale;
  }
}

/**
 * A gettext `.mo` file is not in the format GNU gettext writes: bad magic number, unknown
 * major version, offsets past the end, or text that its declared charset cannot decode.
 *
 * @see Tornado `gettext.GNUTranslations` (raises `OSError` there)
 */
export class MoFileError extends TronadaError {
  override readonly name = 'MoFileError';
  readonly code = 'ERR_MO_FILE';
  /** The file (or description of the bytes) that failed to parse. */
  readonly source: string;

  constructor(source: string, problem: string, options?: { cause?: unknown }) {
    super(`Cannot read gettext catalog ${source}: ${problem}; recompile it with msgfmt`, options);
    this.source = source;
  }
}

/**
 * A CSV translation file cannot be decoded with the encoding given (or detected from its BOM).
 *
 * @see Tornado `tornado.locale.load_translations` (raises `UnicodeDecodeError` there)
 */
export class TranslationsFileError extends TronadaError {
  override readonly name = 'TranslationsFileError';
  readonly code = 'ERR_TRANSLATIONS_FILE';
  /** The path of the file. */
  readonly path: string;

  constructor(path: string, problem: string, options?: { cause?: unknown }) {
    super(`Cannot read translation file ${path}: ${problem}`, options);
    this.path = path;
  }
}

/**
 * A locale method got an argument it cannot use: an invalid `Date`, or a plural message
 * without a count.
 */
export class LocaleArgumentError extends TronadaError {
  override readonly name = 'LocaleArgumentError';
  readonly code = 'ERR_LOCALE_ARGUMENT';
}
