/**
 * The blog application: routes, settings and the translations, over an open {@link BlogDb}.
 */
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Application, loadTranslations, url } from '@tronada/web';
import { CreateAuthorHandler, LoginHandler, LogoutHandler } from './auth-handlers.js';
import type { BlogDb } from './blog-db.js';
import { ArchiveHandler, ComposeHandler, EntryHandler, HomeHandler } from './entry-handlers.js';
import { EntryModule } from './entry-module.js';

const appDir = (path: string): string => fileURLToPath(new URL(`../${path}`, import.meta.url));

/** Where the blog's templates, static files and translation tables are. */
export const BLOG_PATHS = {
  templates: appDir('templates'),
  static: appDir('static'),
  translations: appDir('translations'),
} as const;

/** How to build the application. */
export interface BlogAppOptions {
  readonly db: BlogDb;
  /** Signs the login cookie and the XSRF token; a random one (sessions end on restart) if absent. */
  readonly cookieSecret?: string | undefined;
  /** Tornado's debug mode (autoreload, no template or static hash caches, tracebacks). */
  readonly debug?: boolean;
}

/**
 * The blog: `/`, `/entry/<slug>`, `/archive`, `/compose`, `/auth/login`, `/auth/logout`,
 * `/auth/create`, and `/static/...`. Loads the CSV translations (process-wide, as Tornado's
 * locale module does).
 */
export function makeApp(options: BlogAppOptions): Application {
  loadTranslations(BLOG_PATHS.translations);
  const kwargs = { db: options.db };
  return new Application(
    [
      url('/', HomeHandler, kwargs, 'home'),
      url('/archive', ArchiveHandler, kwargs, 'archive'),
      url('/entry/([^/]+)', EntryHandler, kwargs, 'entry'),
      url('/compose', ComposeHandler, kwargs, 'compose'),
      url('/auth/login', LoginHandler, kwargs, 'login'),
      url('/auth/logout', LogoutHandler, kwargs, 'logout'),
      url('/auth/create', CreateAuthorHandler, kwargs, 'create-author'),
    ],
    {
      templatePath: BLOG_PATHS.templates,
      staticPath: BLOG_PATHS.static,
      uiModules: { Entry: EntryModule },
      xsrfCookies: true,
      cookieSecret: options.cookieSecret ?? randomBytes(32).toString('hex'),
      loginUrl: '/auth/login',
      debug: options.debug ?? false,
    },
  );
}
