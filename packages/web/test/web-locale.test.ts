/**
 * Locale in request handlers (Tornado's AcceptLanguageTest and the locale half of
 * SetLazyPropertiesTest), plus `_` in templates.
 */
import { fileURLToPath } from 'node:url';
import { DictLoader } from '@tronada/template';
import { useTestLoop } from '@tronada/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  Application,
  Locale,
  loadGettextTranslations,
  localeRegistry,
  RequestHandler,
} from '../src/index.js';
import { useAsyncHTTPTestCase } from '../src/testing/index.js';

useTestLoop({ beforeEach, afterEach }, { clock: false });

const GETTEXT_DIR = fileURLToPath(new URL('./fixtures/locale/gettext', import.meta.url));

class AcceptLanguageHandler extends RequestHandler {
  override get(): void {
    this.setHeader('Content-Language', this.getBrowserLocale().code.replace('_', '-'));
    void this.finish(Buffer.alloc(0));
  }
}

class LazyPropertiesHandler extends RequestHandler {
  override prepare(): void {
    this.currentUser = 'Ben';
    this.locale = Locale.get('en_US');
  }
  override getUserLocale(): Locale | null {
    throw new Error('getUserLocale must not be called when locale was assigned');
  }
  override getCurrentUser(): unknown {
    throw new Error('getCurrentUser must not be called when currentUser was assigned');
  }
  override get(): void {
    this.write(`Hello ${String(this.currentUser)} (${this.locale.code})`);
  }
}

class UserLocaleHandler extends RequestHandler {
  override getUserLocale(): Locale | null {
    const wanted = this.getArgument('lang', null);
    return wanted === null ? null : Locale.get(wanted);
  }
  override get(): void {
    this.render('page.html');
  }
}

beforeEach(() => {
  localeRegistry.reset();
  loadGettextTranslations(GETTEXT_DIR, 'tronada_test');
});
afterEach(() => {
  localeRegistry.reset();
});

const server = useAsyncHTTPTestCase(
  { beforeEach, afterEach },
  () =>
    new Application(
      [
        ['/', AcceptLanguageHandler],
        ['/lazy', LazyPropertiesHandler],
        ['/page', UserLocaleHandler],
      ],
      { templateLoader: new DictLoader({ 'page.html': '{{ locale.code }}' }) },
    ),
);

async function contentLanguage(acceptLanguage: string): Promise<string | undefined> {
  const response = await server.current.fetch('/', {
    headers: { 'Accept-Language': acceptLanguage },
  });
  return response.headers.get('Content-Language');
}

describe('AcceptLanguageTest', () => {
  it('picks the language of Accept-Language, with or without a space before q (test_accept_language)', async () => {
    expect(await contentLanguage('fr-FR;q=0.9')).toBe('fr-FR');
    expect(await contentLanguage('fr-FR; q=0.9')).toBe('fr-FR');
  });

  it('ignores a language with q=0 (test_accept_language_ignore)', async () => {
    expect(await contentLanguage('fr-FR;q=0')).toBe('en-US');
  });

  it('ignores a language with an invalid q (test_accept_language_invalid)', async () => {
    expect(await contentLanguage('fr-FR;q=-1')).toBe('en-US');
  });
});

describe('SetLazyPropertiesTest', () => {
  it('lets prepare assign currentUser and locale without calling their getters (test_set_properties)', async () => {
    expect((await server.current.fetch('/lazy')).text).toBe('Hello Ben (en_US)');
  });
});

describe('locale in templates', () => {
  it('gives templates the locale of getUserLocale, else of the browser', async () => {
    expect((await server.current.fetch('/page?lang=fr_FR')).text).toBe('fr_FR');
    const browser = await server.current.fetch('/page', { headers: { 'Accept-Language': 'pt' } });
    expect(browser.text).toBe('pt');
  });
});
