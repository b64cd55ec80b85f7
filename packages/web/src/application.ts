/**
 * Application: a collection of request handlers that make up a web application.
 */

import { CallableAdapter, HTTPServer, type HTTPServerOptions } from '@tronada/httpserver';
import type {
  HTTPConnection,
  HTTPMessageDelegate,
  HTTPServerConnectionDelegate,
  HTTPServerRequest,
} from '@tronada/httputil';
import { accessLog, Future } from '@tronada/ioloop';
import type { BaseLoader } from '@tronada/template';
import {
  ApplicationRouter,
  asApplicationMatch,
  DefaultHostMatches,
  hostPatternOf,
  isServerDelegate,
} from './application-router.js';
import { autoreload } from './autoreload/autoreload.js';
import { ErrorHandler } from './error-handler.js';
import { GZipContentEncoding } from './gzip-content-encoding.js';
import { HandlerDelegate } from './handler-delegate.js';
import type { OutputTransformClass } from './output-transform.js';
import {
  isRequestHandlerClass,
  type RequestHandler,
  type RequestHandlerClass,
} from './request-handler.js';
import { HostMatches } from './routing/host-matches.js';
import { AnyMatches } from './routing/matcher.js';
import { Rule, type RuleSpec } from './routing/rule.js';
import { type DelegateFinder, RoutingDelegate } from './routing-delegate.js';
import type { ApplicationSettings } from './settings.js';
import { StaticFileHandler, type StaticFileHandlerClass } from './static-file-handler.js';
import { loadUiMethods } from './ui-methods.js';
import type { UIModuleClass } from './ui-module.js';
import { loadUiModules } from './ui-modules.js';

/** Settings plus the constructor-only options of {@link Application}. */
export interface ApplicationOptions extends ApplicationSettings {
  /** Output transforms applied to every response (default: gzip when `compressResponse`). */
  transforms?: OutputTransformClass[];
}

/**
 * A rule of an application: `[pattern, Handler, initArgs?, name?]`, a `url(...)` spec, or any
 * routing rule. Targets: a {@link RequestHandler} class, a nested router or list of rules, an
 * HTTP delegate, or a request callback.
 */
export type HandlerRule = RuleSpec<unknown>;

const debugDefaults = {
  autoreload: true,
  compiledTemplateCache: false,
  staticHashCache: false,
  serveTraceback: true,
} as const;

/**
 * A web application: routes requests to handlers and holds the settings they share. Give it to
 * an {@link HTTPServer}, or call {@link Application.listen}.
 *
 * ```ts
 * const app = new Application([
 *   ['/', MainHandler],
 *   url('/story/([0-9]+)', StoryHandler, { db }, 'story'),
 * ], { cookieSecret: '...', xsrfCookies: true });
 * await app.listen(8888);
 * ```
 *
 * Patterns are regular expressions matched against the whole path (`$` is implied); capturing
 * groups become the verb method's arguments. With a `staticPath` setting, `/static/...`,
 * `/favicon.ico` and `/robots.txt` are served from that directory. With `autoreload` (or
 * `debug`) on, the constructor starts {@link autoreload}: in the first process it does not
 * return, as that process becomes the supervisor that runs the script again as a child.
 *
 * @see Tornado `tornado.web.Application`
 */
export class Application implements HTTPServerConnectionDelegate, DelegateFinder {
  /** The settings handlers see as `this.settings`. */
  readonly settings: ApplicationSettings;
  /** Output transform classes, instantiated per request. */
  readonly transforms: OutputTransformClass[];
  /**
   * The host whose rules serve requests for unknown hosts (see {@link DefaultHostMatches});
   * read per request, so changing it takes effect at once.
   */
  defaultHost: string | undefined;
  /** The rules given to the constructor (and `addHandlers` for the default host). */
  readonly wildcardRouter: ApplicationRouter;
  /** The top router: host rules from `addHandlers`, then the wildcard router. */
  readonly defaultRouter: ApplicationRouter;
  /** Tells {@link HTTPServer} that this application writes its own access log. */
  readonly logsRequests = true;
  /**
   * The UI modules templates can call with `{% module Name(...) %}`: the built-in `linkify`,
   * `xsrf_form_html` and `Template`, plus the `uiModules` setting's.
   */
  readonly uiModules: Readonly<Record<string, UIModuleClass>>;
  /** The `uiMethods` setting's functions, by name. */
  readonly uiMethods: Readonly<Record<string, (handler: never, ...args: never[]) => unknown>>;
  readonly #templateLoaders = new Map<string, BaseLoader>();

  constructor(handlers: readonly HandlerRule[] = [], options: ApplicationOptions = {}) {
    const { transforms, ...settings } = options;
    if (settings.debug) {
      for (const [key, value] of Object.entries(debugDefaults)) {
        if (settings[key] === undefined) settings[key] = value;
      }
    }
    this.settings = settings;
    this.transforms =
      transforms ?? (settings.compressResponse || settings.gzip ? [GZipContentEncoding] : []);
    this.defaultHost = settings.defaultHost;
    this.uiModules = loadUiModules(settings.uiModules);
    this.uiMethods = loadUiMethods(settings.uiMethods);
    const rules = [...handlers];
    if (settings.staticPath) {
      const prefix = settings.staticUrlPrefix ?? '/static/';
      const handlerClass = this.staticHandlerClass;
      const args = { ...settings.staticHandlerArgs, path: settings.staticPath };
      for (const pattern of [
        `${escapeRegExp(prefix)}(.*)`,
        '/(favicon\\.ico)',
        '/(robots\\.txt)',
      ]) {
        rules.unshift([pattern, handlerClass, args]);
      }
    }
    this.wildcardRouter = new ApplicationRouter(rules);
    this.defaultRouter = new ApplicationRouter([new Rule(new AnyMatches(), this.wildcardRouter)]);
    // Last, as in the first process this does not return (it becomes the supervisor).
    if (settings.autoreload) {
      autoreload.start({
        paths: settings.templatePath === undefined ? [] : [settings.templatePath],
      });
    }
  }

  /**
   * Starts an {@link HTTPServer} for this application on `port` (0 picks a free one);
   * resolves with the server once it listens.
   *
   * @see Tornado `Application.listen`
   */
  listen(
    port: number,
    address?: string | null,
    serverOptions: HTTPServerOptions = {},
  ): Future<HTTPServer> {
    const server = new HTTPServer(this, serverOptions);
    const result = new Future<HTTPServer>();
    server.listen(port, address).addDoneCallback((listening) => {
      const error = listening.exception();
      if (error === null || error === undefined) result.setResult(server);
      else result.setException(error);
    });
    return result;
  }

  /**
   * Adds rules that apply only to requests whose host matches `hostPattern`. Host rules are
   * tried in the order added, before the constructor's rules.
   *
   * @see Tornado `Application.add_handlers`
   */
  addHandlers(hostPattern: string | RegExp, handlers: readonly HandlerRule[]): void {
    const router = new ApplicationRouter(handlers);
    const matcher = new HostMatches(hostPattern);
    this.defaultRouter.rules.splice(
      this.defaultRouter.rules.length - 1,
      0,
      new Rule(matcher, router),
    );
    if (this.defaultHost !== undefined) {
      this.wildcardRouter.addRules([
        [new DefaultHostMatches(this, hostPatternOf(hostPattern)), [...handlers]],
      ]);
    }
  }

  /** Adds an output transform class for every later request. */
  addTransform(transform: OutputTransformClass): void {
    this.transforms.push(transform);
  }

  /** Called by the server for each request: routes it once its headers arrive. */
  startRequest(serverConn: object, requestConn: HTTPConnection): HTTPMessageDelegate {
    return new RoutingDelegate(this, serverConn, requestConn);
  }

  /** Called by the server when a connection closes (nothing to do). */
  onClose(_serverConn: object): void {}

  /**
   * The delegate that serves `request`: its handler's, or the `defaultHandlerClass`'s, or a 404
   * {@link ErrorHandler}'s.
   *
   * @see Tornado `Application.find_handler`
   */
  findHandler(request: HTTPServerRequest): HTTPMessageDelegate {
    const found = asApplicationMatch(this.defaultRouter.findHandler(request));
    if (found !== null) {
      const target = found.target;
      if (isRequestHandlerClass(target)) {
        return this.getHandlerDelegate(
          request,
          target,
          found.targetKwargs,
          found.rawPathArgs,
          found.rawPathKwargs,
        );
      }
      if (isServerDelegate(target)) {
        return target.startRequest(request.serverConnection ?? {}, request.connection!);
      }
      if (typeof target === 'function') {
        return new CallableAdapter(
          target as (request: HTTPServerRequest) => unknown,
          request.serverConnection ?? {},
          request.connection!,
        );
      }
      throw new TypeError(`Cannot serve a request with a rule target of type ${typeof target}`);
    }
    const defaultClass = this.settings.defaultHandlerClass;
    if (isRequestHandlerClass(defaultClass)) {
      return this.getHandlerDelegate(request, defaultClass, this.settings.defaultHandlerArgs ?? {});
    }
    return this.getHandlerDelegate(request, ErrorHandler, { statusCode: 404 });
  }

  /**
   * A delegate that serves `request` with a new handler of `handlerClass`.
   *
   * @see Tornado `Application.get_handler_delegate`
   */
  getHandlerDelegate(
    request: HTTPServerRequest,
    handlerClass: RequestHandlerClass,
    kwargs: Record<string, unknown> = {},
    pathArgs: readonly (Uint8Array | undefined)[] = [],
    pathKwargs: Readonly<Record<string, Uint8Array | undefined>> = {},
  ): HandlerDelegate {
    return new HandlerDelegate(this, request, handlerClass, kwargs, pathArgs, pathKwargs);
  }

  /**
   * The URL path of the rule named `name`, its groups filled with `args` (percent-encoded).
   *
   * @throws Error when no rule has that name
   * @see Tornado `Application.reverse_url`
   */
  reverseUrl(name: string, ...args: unknown[]): string {
    const found = this.defaultRouter.reverseUrl(name, ...args);
    if (found === null) throw new Error(`${name} not found in named urls`);
    return found;
  }

  /**
   * Writes the access log line of a finished request (`200 GET / (127.0.0.1) 1.23ms`): info
   * below 400, warning below 500, error above; or calls the `logFunction` setting instead.
   *
   * @see Tornado `Application.log_request`
   */
  logRequest(handler: RequestHandler): void {
    const logFunction = this.settings.logFunction as ((h: RequestHandler) => void) | undefined;
    if (logFunction !== undefined) {
      logFunction(handler);
      return;
    }
    const status = handler.getStatus();
    const level = status < 400 ? 'info' : status < 500 ? 'warn' : 'error';
    if (!accessLog.isEnabledFor(level)) return;
    const ms = (handler.request.requestTime() * 1000).toFixed(2);
    accessLog[level](`${status} ${handler.requestSummary()} ${ms}ms`);
  }

  /** The static file handler class (the `staticHandlerClass` setting or {@link StaticFileHandler}). */
  get staticHandlerClass(): StaticFileHandlerClass {
    return (
      (this.settings.staticHandlerClass as StaticFileHandlerClass | undefined) ?? StaticFileHandler
    );
  }

  /** The versioned URL of static file `path`, through the static handler class. */
  makeStaticUrl(path: string, options: Record<string, unknown> = {}): string {
    return this.staticHandlerClass.makeStaticUrl(this.settings, path, options);
  }

  /**
   * The template loader for `templatePath`, created by `create` on first use and shared by
   * every handler of this application.
   */
  templateLoader(templatePath: string | undefined, create: () => BaseLoader): BaseLoader {
    const key = templatePath ?? '';
    let loader = this.#templateLoaders.get(key);
    if (loader === undefined) {
      loader = create();
      this.#templateLoaders.set(key, loader);
    }
    return loader;
  }

  /**
   * In debug set-ups (`compiledTemplateCache: false`, `staticHashCache: false`), forgets
   * compiled templates and static hashes so each request sees the files as they are now.
   */
  resetCachesForDebug(): void {
    if (this.settings.compiledTemplateCache === false) {
      for (const loader of this.#templateLoaders.values()) loader.reset();
    }
    if (this.settings.staticHashCache === false) this.staticHandlerClass.reset();
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
