/**
 * The errors this package throws. Each condition is a class with a stable `code`.
 *
 * The package is standalone (it does not depend on `@tronada/ioloop`), so it carries its own
 * small base class. Two copies of the package can be installed side by side, which breaks a plain
 * `instanceof`; the base class therefore brands its instances with a `Symbol.for` key and answers
 * `instanceof` by that brand plus the `code`, so an error from one copy matches the class of
 * another.
 */

const BRAND = Symbol.for('@tronada/template.error');

/**
 * Base class of every error thrown by `@tronada/template` itself.
 *
 * `instanceof TemplateError` (or a subclass) also holds for errors created by another installed
 * copy of the package.
 */
export abstract class TemplateError extends Error {
  /** A stable identifier of the condition, e.g. `ERR_TEMPLATE_PARSE`. */
  abstract readonly code: string;

  /** Matches instances of this class from any installed copy of the package (by brand and code). */
  // `this` is the class on the right of `instanceof` (a subclass too), which is the point.
  static override [Symbol.hasInstance](value: unknown): boolean {
    // biome-ignore lint/complexity/noThisInStatic: see above
    if (Function.prototype[Symbol.hasInstance].call(this, value)) return true;
    if (typeof value !== 'object' || value === null) return false;
    if ((value as Record<symbol, unknown>)[BRAND] !== true) return false;
    // biome-ignore lint/complexity/noThisInStatic: see above
    const wanted = (this as { code?: unknown }).code;
    if (wanted === undefined) return true; // the abstract base: any branded error
    return (value as { code?: unknown }).code === wanted;
  }
}

// The brand lives on the prototype, so every instance of every subclass carries it.
Object.defineProperty(TemplateError.prototype, BRAND, { value: true });

/**
 * A template syntax error, raised when a template is constructed or loaded.
 *
 * The message ends with the template name and line, as in Tornado:
 * `Missing {% end %} block for if at base.html:12`. The parts are also available as data:
 * {@link ParseError.detail}, {@link ParseError.filename} and {@link ParseError.lineno}.
 *
 * @see Tornado `tornado.template.ParseError`
 */
export class ParseError extends TemplateError {
  /** The code shared by every `ParseError`. */
  static readonly code = 'ERR_TEMPLATE_PARSE';
  override readonly name = 'ParseError';
  readonly code = ParseError.code;
  /** What is wrong, without the location. */
  readonly detail: string;
  /** The name of the template in which the error was found, when known. */
  readonly filename: string | undefined;
  /** The 1-based line of the error in {@link ParseError.filename}; 0 when unknown. */
  readonly lineno: number;

  /**
   * @param detail what is wrong, e.g. `Missing end expression }}`
   * @param filename the template name; without one the message is `detail` alone
   * @param lineno the 1-based line number
   */
  constructor(detail: string, filename?: string, lineno = 0, options?: { cause?: unknown }) {
    super(filename === undefined ? detail : `${detail} at ${filename}:${lineno}`, options);
    this.detail = detail;
    this.filename = filename;
    this.lineno = lineno;
  }
}

/**
 * A loader was asked for a template that does not exist (no such file, no such key).
 *
 * @see Tornado raises `FileNotFoundError` (`Loader`) or `KeyError` (`DictLoader`)
 */
export class TemplateNotFoundError extends TemplateError {
  /** The code shared by every `TemplateNotFoundError`. */
  static readonly code = 'ERR_TEMPLATE_NOT_FOUND';
  override readonly name = 'TemplateNotFoundError';
  readonly code = TemplateNotFoundError.code;
  /** The resolved name that was looked up. */
  readonly templateName: string;

  constructor(templateName: string, where: string, options?: { cause?: unknown }) {
    super(`Template "${templateName}" not found in ${where}`, options);
    this.templateName = templateName;
  }
}

/**
 * A template name resolves outside the loader's root directory (`../../etc/passwd`, or an
 * absolute path elsewhere). `Loader` refuses such names instead of reading the file.
 */
export class TemplatePathError extends TemplateError {
  /** The code shared by every `TemplatePathError`. */
  static readonly code = 'ERR_TEMPLATE_PATH';
  override readonly name = 'TemplatePathError';
  readonly code = TemplatePathError.code;
  /** The name as requested. */
  readonly templateName: string;

  constructor(templateName: string, root: string) {
    super(
      `Template name "${templateName}" resolves outside the loader root ${root}; ` +
        'use a path inside the root directory',
    );
    this.templateName = templateName;
  }
}
