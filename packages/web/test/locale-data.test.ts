/**
 * Locale names and lookup: Tornado's LocaleDataTest, and how `Locale.get` picks the closest
 * supported locale.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { parseAcceptLanguage } from '../src/locale/accept-language.js';
import { CSVLocale } from '../src/locale/csv-locale.js';
import { Locale } from '../src/locale/locale.js';
import { UnsupportedLocaleError } from '../src/locale/locale-errors.js';
import { LOCALE_NAMES } from '../src/locale/locale-names.js';
import { localeRegistry } from '../src/locale/locale-registry.js';

afterEach(() => localeRegistry.reset());

function support(...codes: string[]): void {
  localeRegistry.install(
    new Map(codes.map((code) => [code, (c: string) => new CSVLocale(c, {})] as const)),
  );
}

describe('LocaleDataTest', () => {
  test('a non-ASCII name is a proper string with the right UTF-8 bytes', () => {
    const name = LOCALE_NAMES.es_LA!.name;
    expect(typeof name).toBe('string');
    expect(name).toBe('Espa\u00f1ol');
    expect(Buffer.from(name, 'utf8')).toEqual(
      Buffer.from([0x45, 0x73, 0x70, 0x61, 0xc3, 0xb1, 0x6f, 0x6c]),
    );
  });
});

describe('locale names', () => {
  test('holds all 62 of Tornado’s locales with English and native names', () => {
    expect(Object.keys(LOCALE_NAMES)).toHaveLength(62);
    expect(LOCALE_NAMES.zh_CN).toEqual({ name_en: 'Chinese (Simplified)', name: '中文(简体)' });
    expect(Object.isFrozen(LOCALE_NAMES)).toBe(true);
  });

  test('a locale takes its name from the table, Unknown otherwise', () => {
    expect(new Locale('de_DE').name).toBe('Deutsch');
    expect(new Locale('xx_YY').name).toBe('Unknown');
    expect(new Locale('constructor').name).toBe('Unknown');
  });

  test('Persian, Arabic and Hebrew codes are right-to-left', () => {
    expect(['fa_IR', 'ar_AR', 'he_IL', 'en_US', 'fr'].map((c) => new Locale(c).rtl)).toEqual([
      true,
      true,
      true,
      false,
      false,
    ]);
  });
});

describe('Locale.get', () => {
  test('with nothing loaded, every code gives the en_US default', () => {
    const locale = Locale.get('fr_FR');
    expect(locale.code).toBe('en_US');
    expect(locale.name).toBe('English (US)');
    expect(Locale.get()).toBe(locale);
    expect(Locale.getClosest('es', 'de')).toBe(locale);
  });

  test('normalises case and dashes, then tries the language alone', () => {
    support('fr_CA', 'es');
    expect(Locale.get('FR-ca').code).toBe('fr_CA');
    expect(Locale.get('es_MX').code).toBe('es');
    expect(Locale.get('ES').code).toBe('es');
    // Only the exact code or its language: fr_FR does not lead to fr_CA.
    expect(Locale.get('fr_FR').code).toBe('en_US');
  });

  test('takes the first code that matches, skipping empty and three-part codes', () => {
    support('zh_CN', 'es');
    expect(Locale.get('', 'zh-Hans-CN', 'xx', 'es_AR', 'zh_CN').code).toBe('es');
    expect(Locale.getClosest('zh_cn').code).toBe('zh_CN');
  });

  test('returns one cached Locale per code', () => {
    support('es');
    expect(Locale.get('es')).toBe(Locale.get('es_ES'));
    expect(Locale.get('es')).toBeInstanceOf(CSVLocale);
  });

  test('exact lookups refuse unsupported codes', () => {
    support('es');
    expect(localeRegistry.locale('es').code).toBe('es');
    expect(() => localeRegistry.locale('es_ES')).toThrow(UnsupportedLocaleError);
  });

  test('the Accept-Language codes pick the browser locale, as getBrowserLocale does', () => {
    support('fr', 'de_DE');
    expect(Locale.get(...parseAcceptLanguage('en-US;q=0.5, de-de;q=0.8, fr;q=0.7')).code).toBe(
      'de_DE',
    );
    expect(Locale.get(...parseAcceptLanguage('fr-CH, fr;q=0.9')).code).toBe('fr');
    expect(Locale.get(...parseAcceptLanguage('de;q=0, it')).code).toBe('en_US');
  });
});
