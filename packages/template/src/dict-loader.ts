import { posix } from 'node:path';
import type { LoaderOptions } from './base-loader.js';
import { BaseLoader } from './base-loader.js';
import { TemplateNotFoundError } from './errors.js';
import { Template } from './template.js';

/**
 * Loads templates from an object of name to source, e.g. for tests or bundled templates.
 *
 * Relative names used inside a template resolve against that template's name, with POSIX path
 * rules (`a/1.html` including `../b/3.html` loads `b/3.html`).
 *
 * @example
 * const loader = new DictLoader({ 'base.html': '...', 'page.html': '{% extends "base.html" %}' });
 * @see Tornado `tornado.template.DictLoader`
 */
export class DictLoader extends BaseLoader {
  readonly #templates: Readonly<Record<string, string | Uint8Array>>;

  constructor(templates: Readonly<Record<string, string | Uint8Array>>, options?: LoaderOptions) {
    super(options);
    this.#templates = templates;
  }

  /** Resolves `name` against the directory of `parentPath`, if that is a relative name. */
  resolvePath(name: string, parentPath?: string): string {
    if (
      parentPath !== undefined &&
      parentPath !== '' &&
      !parentPath.startsWith('<') &&
      !parentPath.startsWith('/') &&
      !name.startsWith('/')
    ) {
      return posix.normalize(posix.join(posix.dirname(parentPath), name));
    }
    return name;
  }

  /** Compiles the source stored under `name`; a missing name is a TemplateNotFoundError. */
  protected createTemplate(name: string): Template {
    if (!Object.hasOwn(this.#templates, name)) throw new TemplateNotFoundError(name, 'DictLoader');
    return new Template(this.#templates[name]!, { name, loader: this });
  }
}
