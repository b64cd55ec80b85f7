import type { BaseLoader } from './base-loader.js';
import { ParseError } from './errors.js';
import { generateCode } from './internal/codegen.js';
import { DEFAULT_NAMESPACE } from './internal/default-namespace.js';
import { setParsedFile } from './internal/parsed-files.js';
import { parseTemplate } from './internal/parser.js';
import { Renderer } from './internal/renderer.js';
import { toUnicode } from './unicode.js';
import type { WhitespaceMode } from './whitespace.js';
import { invalidWhitespaceMode, isWhitespaceMode } from './whitespace.js';

/** The values a template can refer to by name: `{ name: 'Ben', items: [...] }`. */
export type Namespace = Readonly<Record<string, unknown>>;

/** Options of {@link Template}. */
export interface TemplateOptions {
  /** The template's name, used in error messages and to resolve relative includes. Default `<string>`. */
  name?: string | undefined;
  /** The loader that resolves `{% extends %}` and `{% include %}`, and supplies defaults. */
  loader?: BaseLoader | null | undefined;
  /**
   * Deprecated (as in Tornado): `true` means `whitespace: 'single'`, `false` means `'all'`.
   * Setting both this and `whitespace` is an error.
   */
  compressWhitespace?: boolean | undefined;
  /**
   * The name of the namespace function that escapes `{{ }}` output (default: the loader's
   * setting, else `xhtmlEscape`); `null` turns autoescaping off.
   */
  autoescape?: string | null | undefined;
  /**
   * Whitespace handling of the template's text. Default: the loader's setting, else `single`
   * for names ending in `.html` or `.js` and `all` otherwise.
   */
  whitespace?: WhitespaceMode | undefined;
}

/** The built-in autoescape function name. */
const DEFAULT_AUTOESCAPE = 'xhtmlEscape';

function chooseWhitespace(name: string, options: TemplateOptions): WhitespaceMode {
  let { whitespace } = options;
  if (options.compressWhitespace !== undefined) {
    if (whitespace !== undefined) {
      throw new TypeError('Template: set either whitespace or compressWhitespace, not both');
    }
    whitespace = options.compressWhitespace ? 'single' : 'all';
  }
  whitespace ??= options.loader?.whitespace;
  whitespace ??= name.endsWith('.html') || name.endsWith('.js') ? 'single' : 'all';
  if (!isWhitespaceMode(whitespace)) throw invalidWhitespaceMode(whitespace);
  return whitespace;
}

/**
 * A compiled template.
 *
 * The constructor parses the source, resolves `{% extends %}` and `{% include %}` through the
 * loader, and compiles everything to one JavaScript function; syntax errors are thrown then, as
 * {@link ParseError}s naming the template and line. {@link Template.generate} only runs that
 * function: no parsing, and no evaluation of the values passed in.
 *
 * Template expressions are JavaScript: `{{ items.length }}`, `{% if user && user.admin %}`.
 * See the package README for the syntax.
 *
 * @example
 * const t = new Template('<p>Hello {{ name }}!</p>');
 * t.generate({ name: '<Ben>' }); // '<p>Hello &lt;Ben&gt;!</p>'
 * @see Tornado `tornado.template.Template`
 */
export class Template {
  /** The template's name (`<string>` unless given). */
  readonly name: string;
  /**
   * The autoescape function name in effect for this template's own text (after any
   * `{% autoescape %}` directive), or `null` when autoescaping is off.
   */
  readonly autoescape: string | null;
  /** The whitespace mode the template's text started with. */
  readonly whitespace: WhitespaceMode;
  /** The loader given to the constructor, if any. */
  readonly loader: BaseLoader | undefined;
  /** The loader's namespace (empty without a loader), read when the template was compiled. */
  readonly namespace: Namespace;
  readonly #renderer: Renderer;

  /**
   * @param source the template text; bytes are decoded as UTF-8
   * @throws ParseError for syntax errors, including JavaScript syntax errors in template code,
   *   and for bytes that are not valid UTF-8
   */
  constructor(source: string | Uint8Array, options: TemplateOptions = {}) {
    const name = options.name ?? '<string>';
    const loader = options.loader ?? undefined;
    this.name = name;
    this.loader = loader;
    this.whitespace = chooseWhitespace(name, options);
    const initialAutoescape =
      options.autoescape !== undefined
        ? options.autoescape
        : loader !== undefined
          ? loader.autoescape
          : DEFAULT_AUTOESCAPE;
    this.namespace = loader?.namespace ?? {};

    let text: string;
    try {
      text = toUnicode(source);
    } catch (cause) {
      throw new ParseError('Template source is not valid UTF-8', name, 0, { cause });
    }
    const file = parseTemplate(name, text, this.whitespace, initialAutoescape);
    this.autoescape = file.info.autoescape;
    setParsedFile(this, file);
    const generated = generateCode(this, file, loader);
    const base = Object.freeze({ ...DEFAULT_NAMESPACE, ...this.namespace });
    this.#renderer = new Renderer(name, generated, base);
  }

  /** The generated JavaScript source (for an empty namespace), for debugging. */
  get code(): string {
    return this.#renderer.source;
  }

  /**
   * Renders the template with `namespace` on top of the default helpers (`escape`/`xhtmlEscape`,
   * `urlEscape`, `jsonEncode`, `squeeze`, `linkify`) and the loader's namespace.
   *
   * Synchronous. An exception thrown by template code is re-thrown as is, with the template name
   * and line added (see {@link templateTrace}).
   *
   * @see Tornado `Template.generate` (which returns bytes; this returns a string)
   */
  generate(namespace: Namespace = {}): string {
    return this.#renderer.render(namespace);
  }
}
