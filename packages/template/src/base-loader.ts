import { ParseError } from './errors.js';
import type { Namespace, Template } from './template.js';
import type { WhitespaceMode } from './whitespace.js';
import { invalidWhitespaceMode, isWhitespaceMode } from './whitespace.js';

/** Options shared by every loader. */
export interface LoaderOptions {
  /**
   * The autoescape function name for the templates this loader creates (default
   * `xhtmlEscape`); `null` turns autoescaping off. `{% autoescape %}` overrides it per file.
   */
  autoescape?: string | null | undefined;
  /** Extra names for every template of this loader, on top of the default helpers. */
  namespace?: Namespace | undefined;
  /**
   * Whitespace mode for every template; by default it depends on the file name (`single` for
   * `.html` and `.js`, `all` otherwise).
   */
  whitespace?: WhitespaceMode | undefined;
}

/**
 * Base class of template loaders: resolves names, creates templates and caches them.
 *
 * A loader is what makes `{% extends %}` and `{% include %}` work. Each template is compiled
 * once, on first {@link BaseLoader.load}, and cached by resolved name until
 * {@link BaseLoader.reset}. A template that extends or includes itself, directly or not, is a
 * ParseError instead of endless recursion.
 *
 * Subclasses implement {@link BaseLoader.resolvePath} and {@link BaseLoader.createTemplate}.
 *
 * @see Tornado `tornado.template.BaseLoader`
 */
export abstract class BaseLoader {
  /** The default autoescape function name of this loader's templates (`null`: off). */
  readonly autoescape: string | null;
  /** Names added to the namespace of every template this loader creates. */
  readonly namespace: Namespace;
  /** The whitespace mode for this loader's templates, or undefined to decide by file name. */
  readonly whitespace: WhitespaceMode | undefined;
  #templates = new Map<string, Template>();
  #loading: string[] = [];

  constructor(options: LoaderOptions = {}) {
    this.autoescape = options.autoescape === undefined ? 'xhtmlEscape' : options.autoescape;
    this.namespace = options.namespace ?? {};
    if (options.whitespace !== undefined && !isWhitespaceMode(options.whitespace)) {
      throw invalidWhitespaceMode(options.whitespace);
    }
    this.whitespace = options.whitespace;
  }

  /**
   * Forgets every compiled template, so the next loads read and compile them again (e.g. after
   * the files changed).
   *
   * @see Tornado `BaseLoader.reset`
   */
  reset(): void {
    this.#templates.clear();
  }

  /**
   * Turns a possibly relative template name into the name the loader caches and creates it
   * under. `parentPath` is the name of the template that refers to `name`, if any.
   *
   * @see Tornado `BaseLoader.resolve_path`
   */
  abstract resolvePath(name: string, parentPath?: string): string;

  /**
   * Returns the compiled template `name` (resolved against `parentPath`), compiling it on first
   * use.
   *
   * @throws ParseError for syntax errors in the template or in those it extends or includes
   * @throws TemplateNotFoundError when there is no such template
   * @see Tornado `BaseLoader.load`
   */
  load(name: string, parentPath?: string): Template {
    const resolved = this.resolvePath(name, parentPath);
    const cached = this.#templates.get(resolved);
    if (cached !== undefined) return cached;
    if (this.#loading.includes(resolved)) {
      const cycle = [...this.#loading.slice(this.#loading.indexOf(resolved)), resolved];
      throw new ParseError(`Template cycle: ${cycle.join(' -> ')}`);
    }
    this.#loading.push(resolved);
    try {
      const template = this.createTemplate(resolved);
      this.#templates.set(resolved, template);
      return template;
    } finally {
      this.#loading.pop();
    }
  }

  /**
   * Creates the template for a resolved name (called by {@link BaseLoader.load} on a cache
   * miss). Implementations pass `loader: this` to the Template.
   */
  protected abstract createTemplate(name: string): Template;
}
