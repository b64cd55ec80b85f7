/**
 * UIModule: a reusable piece of a page, used in templates as `{% module Name(args) %}`.
 */
import type { HTTPServerRequest } from '@tronada/httputil';
import type { Locale } from './locale/locale.js';
import type { RequestHandler } from './request-handler.js';

/** A list of resource paths, or a single one: what `javascriptFiles`/`cssFiles` may return. */
export type ResourceFiles = string | readonly string[];

/** A UI module class, as the `uiModules` setting holds them. */
export type UIModuleClass = new (handler: RequestHandler) => UIModule;

/**
 * A reusable, modular part of a page. A template calls `{% module Entry(entry) %}`, which
 * runs {@link UIModule.render} of the module registered as `Entry` in the `uiModules`
 * setting and outputs its result unescaped.
 *
 * A module may also ask for JavaScript and CSS: {@link RequestHandler.render} collects the
 * answers of every module the page used and inserts them once, files before `</body>` (scripts)
 * and `</head>` (stylesheets), each path once and in first-use order.
 *
 * One instance serves every call of that module name during one request, so state kept in
 * fields is shared between those calls.
 *
 * ```ts
 * class Entry extends UIModule {
 *   override render(entry: Post): string {
 *     return this.renderString('modules/entry.html', { entry });
 *   }
 *   override cssFiles() { return 'entry.css'; }
 * }
 * new Application(rules, { uiModules: { Entry } });
 * ```
 *
 * @see Tornado `tornado.web.UIModule`
 */
export abstract class UIModule {
  /** The handler rendering the page. */
  readonly handler: RequestHandler;
  /** The request being handled. */
  readonly request: HTTPServerRequest;
  /** The handler's UI methods and modules (the handler's `ui`). */
  readonly ui: Record<string, unknown>;

  constructor(handler: RequestHandler) {
    this.handler = handler;
    this.request = handler.request;
    this.ui = handler.ui;
  }

  /** The handler's locale (computed on first use). */
  get locale(): Locale {
    return this.handler.locale;
  }

  /** The handler's current user (`getCurrentUser` runs only if a module reads it). */
  get currentUser(): unknown {
    return this.handler.currentUser;
  }

  /**
   * The module's HTML for one `{% module %}` call, given the call's arguments.
   *
   * @see Tornado `UIModule.render`
   */
  abstract render(...args: unknown[]): string;

  /** JavaScript to embed in the page (once per module, whatever the number of calls). */
  embeddedJavascript(): string | null | undefined {
    return null;
  }

  /**
   * JavaScript files the page needs. Paths not starting with `/`, `http:` or `https:` go
   * through `staticUrl`.
   */
  javascriptFiles(): ResourceFiles | null | undefined {
    return null;
  }

  /** CSS to embed in the page's `<head>`. */
  embeddedCss(): string | null | undefined {
    return null;
  }

  /** Stylesheets the page needs; relative paths go through `staticUrl`. */
  cssFiles(): ResourceFiles | null | undefined {
    return null;
  }

  /** HTML put at the end of the page's `<head>`. */
  htmlHead(): string | null | undefined {
    return null;
  }

  /** HTML put at the end of the page's `<body>`. */
  htmlBody(): string | null | undefined {
    return null;
  }

  /**
   * Renders template `path` with the handler's template namespace plus `namespace`.
   *
   * @see Tornado `UIModule.render_string`
   */
  renderString(path: string, namespace: Record<string, unknown> = {}): string {
    return this.handler.renderString(path, namespace);
  }
}

/** True when `value` is a subclass of {@link UIModule}. */
export function isUIModuleClass(value: unknown): value is UIModuleClass {
  return typeof value === 'function' && value.prototype instanceof UIModule;
}
