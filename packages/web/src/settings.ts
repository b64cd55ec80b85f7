/**
 * ApplicationSettings: the settings an {@link Application} accepts (Tornado's, in camelCase).
 */
import type { BaseLoader } from '@tronada/template';
import type { CookieSecret } from './security/signed-value.js';

/**
 * An application's settings. Every setting is optional; handlers read them through
 * `this.settings`. Unknown keys are kept, so applications may store their own.
 *
 * `debug: true` turns on `autoreload`, `serveTraceback`, and turns off `compiledTemplateCache`
 * and `staticHashCache`, unless those are given.
 *
 * @see Tornado `tornado.web.Application` settings
 */
export interface ApplicationSettings {
  /** Development mode (see above). */
  debug?: boolean;
  /**
   * Restart the process when a source file or template changes (see `autoreload`): the first
   * process becomes a supervisor that re-runs the script whenever the app process exits to reload.
   */
  autoreload?: boolean;
  /** Cache compiled templates (default true). */
  compiledTemplateCache?: boolean;
  /** Cache static file content hashes (default true). */
  staticHashCache?: boolean;
  /** Error pages show the stack trace of uncaught errors. */
  serveTraceback?: boolean;
  /** The key (or key versions) for signed cookies. */
  cookieSecret?: CookieSecret;
  /** The key version that signs new cookies when `cookieSecret` is a key map. */
  keyVersion?: number;
  /** Check an XSRF token on POST, PUT, PATCH and DELETE. */
  xsrfCookies?: boolean;
  /** Options for the `_xsrf` cookie (`setCookie` options plus `version`). */
  xsrfCookieKwargs?: Record<string, unknown>;
  /** The format of new XSRF cookies: 2 (masked, default) or 1. */
  xsrfCookieVersion?: 1 | 2;
  /** Where `authenticated` sends users who are not logged in. */
  loginUrl?: string;
  /** The directory of templates for `render`. */
  templatePath?: string;
  /** A loader used instead of a directory loader on `templatePath`. */
  templateLoader?: BaseLoader;
  /** Autoescape function name for templates (`null` turns escaping off). */
  autoescape?: string | null;
  /** Whitespace mode for templates. */
  templateWhitespace?: 'all' | 'single' | 'oneline';
  /** The directory static files are served from (adds `/static/`, `/favicon.ico`, `/robots.txt`). */
  staticPath?: string;
  /** The URL prefix of static files (default `/static/`). */
  staticUrlPrefix?: string;
  /** The handler class for static files (default `StaticFileHandler`). */
  staticHandlerClass?: unknown;
  /** Extra initialize arguments for the static handler. */
  staticHandlerArgs?: Record<string, unknown>;
  /** Gzip responses of compressible types when the client accepts it. */
  compressResponse?: boolean;
  /** Older name of `compressResponse`. */
  gzip?: boolean;
  /** UI modules for templates: `UIModule` subclasses by name (one record or a list of them). */
  uiModules?: Record<string, unknown> | readonly Record<string, unknown>[];
  /** UI methods for templates: functions called with the handler first. */
  uiMethods?: Record<string, unknown> | readonly Record<string, unknown>[];
  /** Replaces the access log line: called with each finished handler. */
  logFunction?: (handler: never) => void;
  /** Seconds between websocket pings (websocket package). */
  websocketPingInterval?: number;
  /** Seconds to wait for a pong (websocket package). */
  websocketPingTimeout?: number;
  /** Largest incoming websocket message in bytes (websocket package). */
  websocketMaxMessageSize?: number;
  /** The handler class for requests no rule matches (default: a 404 `ErrorHandler`). */
  defaultHandlerClass?: unknown;
  /** Initialize arguments for `defaultHandlerClass`. */
  defaultHandlerArgs?: Record<string, unknown>;
  /** The host name treated as the default host (`DefaultHostMatches`). */
  defaultHost?: string;
  /** Anything else the application wants to keep. */
  [key: string]: unknown;
}
