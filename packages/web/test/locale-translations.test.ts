/**
 * Loading translations: Tornado's CSV tables and gettext catalogs into the process-wide
 * registry (Tornado's TranslationLoaderTest, plus the loaders' edge cases).
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { genLog } from '@tronada/ioloop';
import { expectLog } from '@tronada/testing';
import { afterEach, describe, expect, test } from 'vitest';
import { CSVLocale } from '../src/locale/csv-locale.js';
import { GettextLocale } from '../src/locale/gettext-locale.js';
import { Locale } from '../src/locale/locale.js';
import { TranslationsFileError } from '../src/locale/locale-errors.js';
import { localeRegistry } from '../src/locale/locale-registry.js';
import {
  getSupportedLocales,
  loadGettextTranslations,
  loadTranslations,
  setDefaultLocale,
} from '../src/locale/translations.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'locale');
const CSV_DIR = join(FIXTURES, 'csv');
const GETTEXT_DIR = join(FIXTURES, 'gettext');
const DOMAIN = 'tronada_test';

const temporary: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tronada-locale-'));
  temporary.push(dir);
  return dir;
}

afterEach(() => {
  localeRegistry.reset();
  for (const dir of temporary.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('CSV translations (TranslationLoaderTest)', () => {
  test('a locale loaded from CSV is a CSVLocale that translates its messages', () => {
    loadTranslations(CSV_DIR);
    const locale = Locale.get('fr_FR');
    expect(locale).toBeInstanceOf(CSVLocale);
    expect(locale.translate('school')).toBe('\u00e9cole');
  });

  test('UTF-8 with a BOM and UTF-16 in either byte order load without an encoding', () => {
    const text = readFileSync(join(CSV_DIR, 'fr_FR.csv'), 'utf8');
    const utf16le = Buffer.from(`\ufeff${text}`, 'utf16le');
    const utf16be = Buffer.from(utf16le).swap16();
    const encodings: [string, Uint8Array][] = [
      ['utf-8-sig', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)])],
      ['utf-16le', utf16le],
      ['utf-16be', utf16be],
    ];
    for (const [name, bytes] of encodings) {
      const dir = tempDir();
      writeFileSync(join(dir, 'fr_FR.csv'), bytes);
      loadTranslations(dir);
      const locale = Locale.get('fr_FR');
      expect(locale, name).toBeInstanceOf(CSVLocale);
      expect(locale.translate('school'), name).toBe('\u00e9cole');
      // The mark never reaches the first message.
      expect((locale as CSVLocale).translations.unknown?.has('school'), name).toBe(true);
    }
  });

  test('each file finds its own encoding from its BOM', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'es_LA.csv'), Buffer.from('\ufeff"school","escuela"\n', 'utf16le'));
    writeFileSync(join(dir, 'fr_FR.csv'), '"school","\u00e9cole"\n');
    loadTranslations(dir);
    expect(Locale.get('es_LA').translate('school')).toBe('escuela');
    expect(Locale.get('fr_FR').translate('school')).toBe('\u00e9cole');
  });

  test('an explicit encoding takes Python names such as latin-1', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'fr_FR.csv'), Buffer.from('"school","\u00e9cole"\n', 'latin1'));
    loadTranslations(dir, 'latin-1');
    expect(Locale.get('fr_FR').translate('school')).toBe('\u00e9cole');
  });

  test('a file that is not valid in its encoding fails the load and keeps the old one', () => {
    loadTranslations(CSV_DIR);
    const dir = tempDir();
    writeFileSync(join(dir, 'fr_FR.csv'), Buffer.from([0x22, 0xff, 0xfa, 0x22, 0x2c, 0x22, 0x22]));
    expect(() => loadTranslations(dir)).toThrow(TranslationsFileError);
    expect(() => loadTranslations(CSV_DIR, 'no-such-encoding')).toThrow(/unknown encoding/);
    expect(Locale.get('fr_FR').translate('school')).toBe('\u00e9cole');
  });

  test('singular and plural rows answer translate with a count; unknown rows without', () => {
    loadTranslations(CSV_DIR);
    const fr = Locale.get('fr_FR');
    expect(fr.translate('%(name)s liked this', '%(name)s liked this', 1)).toBe(
      '%(name)s a aim\u00e9 \u00e7a',
    );
    expect(fr.translate('%(name)s liked this', '%(name)s liked this', 2)).toBe(
      '%(name)s ont aim\u00e9 \u00e7a',
    );
    // A plural row is keyed by the plural message, so a count of 0 looks there.
    expect(fr.translate('%(count)d apples', '%(count)d apples', 0)).toBe('%(count)d pommes');
    expect(fr.translate('I love you')).toBe("Je t'aime");
    expect(fr.translate('She said "hi"')).toBe('Elle a dit "salut"');
    expect(fr.translate('a line\nbreak')).toBe('un saut\nde ligne');
    expect(fr.translate('not in the file')).toBe('not in the file');
    expect(fr.translate('one', 'many', 3)).toBe('many');
  });

  test('the table keeps rows by indicator, skipping blank lines and non-CSV files', () => {
    loadTranslations(CSV_DIR);
    const fr = Locale.get('fr_FR') as CSVLocale;
    expect([...(fr.translations.singular?.keys() ?? [])]).toEqual([
      '%(name)s liked this',
      '%(count)d apples',
    ]);
    expect(fr.translations.unknown?.size).toBe(9);
    expect([...getSupportedLocales()].sort()).toEqual(['en_US', 'es_LA', 'fr_FR']);
  });

  test('files not named after a locale are logged and skipped', () => {
    const dir = tempDir();
    for (const name of ['fr_FR', 'French', 'fr_fr', 'fr-FR', 'fr_FR_x']) {
      writeFileSync(join(dir, `${name}.csv`), '"school","\u00e9cole"\n');
    }
    let logged = 0;
    const remove = genLog.addHandler((record) => {
      if (record.level === 'error' && /Unrecognized locale/.test(record.message)) logged++;
      return true;
    });
    try {
      loadTranslations(dir);
    } finally {
      remove();
    }
    expect(logged).toBe(4);
    expect([...getSupportedLocales()].sort()).toEqual(['en_US', 'fr_FR']);
  });

  test('a row with an unknown plural indicator is logged with its line and skipped', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'fr_FR.csv'), '"school","\u00e9cole"\n"one","un","dual"\n');
    expectLog(genLog, /Unrecognized plural indicator "dual" in fr_FR\.csv line 2/, () =>
      loadTranslations(dir),
    );
    const fr = Locale.get('fr_FR') as CSVLocale;
    expect(fr.translate('school')).toBe('\u00e9cole');
    expect(fr.translations.unknown?.has('one')).toBe(false);
  });

  test('cells are trimmed, and rows with fewer than two cells are ignored', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'de.csv'), 'lonely\n  "ignored"\n"  school ","Schule  ", plural \n');
    loadTranslations(dir);
    const de = Locale.get('de') as CSVLocale;
    expect(de.translations).toEqual({ plural: new Map([['school', 'Schule']]) });
  });

  test('pgettext on a CSV locale ignores the context and warns', () => {
    loadTranslations(CSV_DIR);
    const fr = Locale.get('fr_FR');
    expect(expectLog(genLog, /pgettext is not supported/, () => fr.pgettext('ctx', 'school'))).toBe(
      '\u00e9cole',
    );
    expect(
      expectLog(genLog, /pgettext is not supported/, () =>
        fr.pgettext('ctx', '%(name)s liked this', '%(name)s liked this', 2),
      ),
    ).toBe('%(name)s ont aim\u00e9 \u00e7a');
    // The default locale has no table, so there is nothing to warn about.
    expect(Locale.get('en_US').pgettext('ctx', 'school')).toBe('school');
  });

  test('a new load replaces the old translations and the cached locales', () => {
    loadTranslations(CSV_DIR);
    const before = Locale.get('fr_FR');
    const dir = tempDir();
    writeFileSync(join(dir, 'fr_FR.csv'), '"school","lyc\u00e9e"\n');
    loadTranslations(dir);
    expect(Locale.get('fr_FR')).not.toBe(before);
    expect(Locale.get('fr_FR').translate('school')).toBe('lyc\u00e9e');
    expect(Locale.get('es_LA').code).toBe('en_US');
  });
});

describe('gettext translations (TranslationLoaderTest)', () => {
  test('a locale loaded from .mo files translates messages, contexts and plurals', () => {
    loadGettextTranslations(GETTEXT_DIR, DOMAIN);
    const locale = Locale.get('fr_FR');
    expect(locale).toBeInstanceOf(GettextLocale);
    expect(locale.translate('school')).toBe('\u00e9cole');
    expect(locale.pgettext('river', 'bank')).toBe('la rive');
    expect(locale.pgettext('money', 'bank')).toBe('la banque');
    expect(locale.pgettext('sport', 'club', 'clubs', 1)).toBe('le club');
    expect(locale.pgettext('sport', 'club', 'clubs', 2)).toBe('les clubs');
    expect(locale.pgettext('weapon', 'club', 'clubs', 1)).toBe('la massue');
    expect(locale.pgettext('weapon', 'club', 'clubs', 2)).toBe('les massues');
  });

  test('an unknown context falls back to the message without context, then to the text', () => {
    loadGettextTranslations(GETTEXT_DIR, DOMAIN);
    const fr = Locale.get('fr_FR');
    expect(fr.pgettext('nowhere', 'bank')).toBe('bank');
    expect(fr.pgettext('nowhere', 'club', 'clubs', 2)).toBe('des clubs');
    expect(fr.pgettext('nowhere', 'cat', 'cats', 2)).toBe('cats');
    expect(fr.pgettext('nowhere', 'cat', 'cats', 1)).toBe('cat');
  });

  test("plural forms follow the catalog's Plural-Forms rule", () => {
    loadGettextTranslations(GETTEXT_DIR, DOMAIN);
    // French: 0 takes the singular (n > 1), unlike English.
    const fr = Locale.get('fr_FR');
    expect(fr.translate('%(count)d apple', '%(count)d apples', 0)).toBe('%(count)d pomme');
    expect(fr.translate('%(count)d apple', '%(count)d apples', 2)).toBe('%(count)d pommes');
    // Polish: three forms.
    const pl = Locale.get('pl');
    const forms = [0, 1, 2, 4, 5, 12, 22, 25, 101, 112].map((n) =>
      pl.translate('%(count)d file', '%(count)d files', n),
    );
    expect(forms.map((form) => form.replace('%(count)d ', ''))).toEqual([
      'plik\u00f3w',
      'plik',
      'pliki',
      'pliki',
      'plik\u00f3w',
      'plik\u00f3w',
      'pliki',
      'plik\u00f3w',
      'plik\u00f3w',
      'plik\u00f3w',
    ]);
    // An untranslated plural uses the English rule, as gettext does.
    expect(fr.translate('dog', 'dogs', 0)).toBe('dogs');
  });

  test('a region catalog falls back to its language catalog', () => {
    loadGettextTranslations(GETTEXT_DIR, DOMAIN);
    const br = Locale.get('pt-br');
    expect(br.code).toBe('pt_BR');
    expect(br.translate('bus')).toBe('\u00f4nibus');
    expect(br.translate('school')).toBe('escola');
    const pt = Locale.get('pt');
    expect(pt.translate('bus')).toBe('autocarro');
  });

  test("strings decode in the catalog's declared charset", () => {
    loadGettextTranslations(GETTEXT_DIR, DOMAIN);
    expect(Locale.get('de_DE').translate('green')).toBe('gr\u00fcn');
  });

  test('the supported locales are the catalog directories plus the default', () => {
    loadGettextTranslations(GETTEXT_DIR, DOMAIN);
    expect([...getSupportedLocales()].sort()).toEqual([
      'de_DE',
      'en_US',
      'fr_FR',
      'pl',
      'pt',
      'pt_BR',
    ]);
    loadGettextTranslations(GETTEXT_DIR, 'no_such_domain');
    expect([...getSupportedLocales()]).toEqual(['en_US']);
  });

  test('a catalog that cannot be read is logged and skipped; the others load', () => {
    const dir = tempDir();
    for (const [lang, bytes] of [
      ['fr_FR', readFileSync(join(GETTEXT_DIR, 'fr_FR', 'LC_MESSAGES', `${DOMAIN}.mo`))],
      ['xx', Buffer.from('this is not a catalog at all')],
    ] as const) {
      mkdirSync(join(dir, lang, 'LC_MESSAGES'), { recursive: true });
      writeFileSync(join(dir, lang, 'LC_MESSAGES', `${DOMAIN}.mo`), bytes);
    }
    writeFileSync(join(dir, 'stray-file'), '');
    expectLog(genLog, /Cannot load translation for 'xx': .*bad magic number/, () =>
      loadGettextTranslations(dir, DOMAIN),
    );
    expect([...getSupportedLocales()].sort()).toEqual(['en_US', 'fr_FR']);
    expect(Locale.get('fr_FR').translate('school')).toBe('\u00e9cole');
  });

  test('loading CSV after gettext gives CSV locales again', () => {
    loadGettextTranslations(GETTEXT_DIR, DOMAIN);
    expect(Locale.get('fr_FR')).toBeInstanceOf(GettextLocale);
    loadTranslations(CSV_DIR);
    expect(Locale.get('fr_FR')).toBeInstanceOf(CSVLocale);
    expect(Locale.get('fr_FR').translate('school')).toBe('\u00e9cole');
  });

  test('a big-endian catalog loads like a little-endian one', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'fr_FR', 'LC_MESSAGES'), { recursive: true });
    copyFileSync(
      join(FIXTURES, 'gettext-big-endian', 'fr_FR', 'LC_MESSAGES', `${DOMAIN}.mo`),
      join(dir, 'fr_FR', 'LC_MESSAGES', `${DOMAIN}.mo`),
    );
    loadGettextTranslations(dir, DOMAIN);
    const fr = Locale.get('fr_FR');
    expect(fr.pgettext('weapon', 'club', 'clubs', 5)).toBe('les massues');
    expect(fr.translate('%(count)d apple', '%(count)d apples', 1)).toBe('%(count)d pomme');
  });
});

describe('default locale', () => {
  test('setDefaultLocale changes the fallback and the supported set', () => {
    loadTranslations(CSV_DIR);
    setDefaultLocale('de_DE');
    expect([...getSupportedLocales()].sort()).toEqual(['de_DE', 'es_LA', 'fr_FR']);
    const locale = Locale.get('xx');
    expect(locale.code).toBe('de_DE');
    expect(locale.translate('school')).toBe('school');
    expect(locale.name).toBe('Deutsch');
  });

  test('reset() restores en_US and forgets the translations', () => {
    loadTranslations(CSV_DIR);
    setDefaultLocale('fr_FR');
    localeRegistry.reset();
    expect([...getSupportedLocales()]).toEqual(['en_US']);
    expect(Locale.get('fr_FR').code).toBe('en_US');
  });
});
