/**
 * What every page handler of the blog shares: the database, the signed-in author (from a
 * signed cookie, checked against the database) and the locale switch (`?lang=` remembered in a
 * cookie, else the browser's Accept-Language).
 */
import { getSupportedLocales, Locale, RequestHandler } from '@tronada/web';
import type { BlogDb } from './blog-db.js';
import type { Author } from './records.js';

/** The signed cookie holding the signed-in author's id. */
export const AUTHOR_COOKIE = 'blog_author';
/** The cookie remembering the language picked with `?lang=`. */
export const LANG_COOKIE = 'blog_lang';

/** What the application passes to each handler's `initialize` (a type, so it fits a record). */
export type BlogHandlerArgs = {
  readonly db: BlogDb;
};

/** Base class of the blog's handlers. */
export class BaseHandler extends RequestHandler {
  db!: BlogDb;

  override initialize(kwargs: BlogHandlerArgs): void {
    this.db = kwargs.db;
  }

  /** The author whose id the signed cookie holds, if they still exist (awaited before prepare). */
  override async getCurrentUser(): Promise<Author | null> {
    const id = this.getSignedCookie(AUTHOR_COOKIE)?.toString('utf8');
    if (id === undefined || !/^[0-9]+$/.test(id)) return null;
    return this.db.authorById(Number(id));
  }

  /** `currentUser`, typed. */
  get author(): Author | null {
    return this.currentUser as Author | null;
  }

  /** A `?lang=` naming a supported locale picks it for this page and is remembered. */
  override prepare(): void {
    const asked = this.getQueryArgument('lang', null);
    if (asked !== null && getSupportedLocales().has(asked)) {
      this.setCookie(LANG_COOKIE, asked, { expiresDays: 365, httponly: true, samesite: 'Lax' });
      this.locale = Locale.get(asked);
    }
  }

  /** The remembered language, when it is still supported; else Accept-Language decides. */
  override getUserLocale(): Locale | null {
    const code = this.getCookie(LANG_COOKIE);
    return code !== undefined && getSupportedLocales().has(code) ? Locale.get(code) : null;
  }

  /** Signs `author` in (a signed cookie, valid 30 days). */
  signIn(author: Author): void {
    this.setSignedCookie(AUTHOR_COOKIE, String(author.id), {
      expiresDays: 30,
      httponly: true,
      samesite: 'Lax',
    });
  }
}
