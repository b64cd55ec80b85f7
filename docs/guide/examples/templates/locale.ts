import { fileURLToPath } from 'node:url';
import { DictLoader } from '@tronada/template';
import { Application, interpolate, Locale, loadTranslations, RequestHandler } from '@tronada/web';

// Once at startup: es_ES.csv, fr_FR.csv, ... (rows of "message","translation"[,"plural"]).
export function loadAppTranslations(): void {
  loadTranslations(fileURLToPath(new URL('./translations', import.meta.url)));
}

// In templates, _() translates into the request's locale: _(singular, plural, count) picks the
// form; interpolate fills Python-style %(name)s placeholders.
const templates = new DictLoader({
  'home.html':
    '<h1>{{ _("Welcome") }}</h1>' +
    '<p>{{ interpolate(_("%(count)s new message", "%(count)s new messages", count), { count }) }}</p>' +
    '<p>{{ locale.code }}</p>',
});

class HomeHandler extends RequestHandler {
  // A stored preference (here a cookie) wins; null falls back to Accept-Language.
  override getUserLocale() {
    const lang = this.getCookie('lang');
    return lang === undefined ? null : Locale.get(lang);
  }

  override get() {
    const count = Number(this.getArgument('count', '1'));
    return this.render('home.html', { count, interpolate });
  }
}

export function makeApp(): Application {
  return new Application([['/', HomeHandler]], { templateLoader: templates });
}
