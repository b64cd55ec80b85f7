/**
 * The process-wide translation state: which locales are loaded, which one is the default, and
 * the Locale objects already built.
 *
 * Tornado keeps this in module globals (`_translations`, `_default_locale`,
 * `_supported_locales`, `Locale._cache`); here it sits in one object, {@link localeRegistry},
 * that the loaders fill and `Locale.get` reads, and that a test can `reset()`. It lives in its
 * own file, apart from the loaders in translations.ts, because `Locale.get` needs it while the
 * loaders need the Locale subclasses: one module for both would form an import cycle through
 * `class ... extends Locale`.
 */
import { Locale } from './locale.js';
import { UnsupportedLocaleError } from './locale-errors.js';

/** Builds the Locale for a loaded code (a CSV table or a gettext catalog bound in). */
export type LocaleFactory = (code: string) => Locale;

const INITIAL_DEFAULT = 'en_US';

/**
 * Holds the loaded translations (one {@link LocaleFactory} per locale code), the default
 * locale and a cache of built Locales. Loading new translations replaces the old ones and
 * empties the cache, so `Locale.get` never returns a locale of an earlier load.
 *
 * @see Tornado `tornado.locale` module state
 */
export class LocaleRegistry {
  #defaultLocale = INITIAL_DEFAULT;
  #factories: ReadonlyMap<string, LocaleFactory> = new Map();
  #supported: ReadonlySet<string> = new Set([INITIAL_DEFAULT]);
  readonly #cache = new Map<string, Locale>();

  /** The code of the language the application's strings are written in (`en_US` at first). */
  get defaultLocale(): string {
    return this.#defaultLocale;
  }

  /**
   * The codes {@link locale} accepts: every loaded code plus the default locale. A new set
   * after each change; never mutated.
   */
  get supportedLocales(): ReadonlySet<string> {
    return this.#supported;
  }

  /**
   * Makes `code` the default locale: the language of the application's own strings, which
   * needs no translation file, and the answer of `Locale.get` when nothing else matches.
   *
   * @see Tornado `tornado.locale.set_default_locale`
   */
  setDefaultLocale(code: string): void {
    this.#defaultLocale = code;
    this.#refreshSupported();
  }

  /** Replaces all loaded translations with `factories` (code to factory) and empties the cache. */
  install(factories: ReadonlyMap<string, LocaleFactory>): void {
    this.#factories = new Map(factories);
    this.#cache.clear();
    this.#refreshSupported();
  }

  /**
   * The Locale for exactly `code`, built once and then cached. A supported code without
   * translations (the default locale) gets a plain {@link Locale}, whose messages come back
   * untranslated. Throws {@link UnsupportedLocaleError} for any other code; `Locale.get`
   * matches loosely instead.
   *
   * @see Tornado `tornado.locale.Locale.get`
   */
  locale(code: string): Locale {
    const cached = this.#cache.get(code);
    if (cached !== undefined) return cached;
    if (!this.#supported.has(code)) throw new UnsupportedLocaleError(code);
    const factory = this.#factories.get(code);
    const built = factory ? factory(code) : new Locale(code);
    this.#cache.set(code, built);
    return built;
  }

  /** Back to the initial state: no translations, default `en_US`, empty cache (for tests). */
  reset(): void {
    this.#defaultLocale = INITIAL_DEFAULT;
    this.install(new Map());
  }

  #refreshSupported(): void {
    this.#supported = new Set([...this.#factories.keys(), this.#defaultLocale]);
  }
}

/**
 * The registry of this process, as Tornado's module state is: the loaders write it,
 * `Locale.get` reads it. Tests call `localeRegistry.reset()` afterwards.
 */
export const localeRegistry = new LocaleRegistry();
