import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { LoaderOptions } from './base-loader.js';
import { BaseLoader } from './base-loader.js';
import { TemplateNotFoundError, TemplatePathError } from './errors.js';
import { Template } from './template.js';

const MISSING = new Set(['ENOENT', 'ENOTDIR', 'EISDIR']);

/**
 * Loads templates from files under a root directory.
 *
 * Names are paths relative to the root (`pages/home.html`). A name used inside a template
 * (`{% include "row.html" %}`) is first tried relative to that template's directory, as in
 * Tornado. No name may reach outside the root: `../secret.txt` or an absolute path elsewhere is a
 * {@link TemplatePathError}. Files are read synchronously, once each, and decoded as UTF-8.
 *
 * @example
 * const loader = new Loader('templates');
 * loader.load('page.html').generate({ title: 'Home' });
 * @see Tornado `tornado.template.Loader`
 */
export class Loader extends BaseLoader {
  /** The absolute root directory. */
  readonly root: string;

  constructor(rootDirectory: string, options?: LoaderOptions) {
    super(options);
    this.root = path.resolve(rootDirectory);
  }

  /**
   * Resolves `name` to a path relative to the root, with `/` separators.
   *
   * @throws TemplatePathError when the name resolves outside the root directory
   */
  resolvePath(name: string, parentPath?: string): string {
    const relativeToParent =
      parentPath !== undefined &&
      parentPath !== '' &&
      !parentPath.startsWith('<') &&
      !path.isAbsolute(parentPath) &&
      !path.isAbsolute(name);
    let target = relativeToParent
      ? path.resolve(this.root, path.dirname(parentPath), name)
      : path.resolve(this.root, name);
    if (relativeToParent && !this.#inside(target)) target = path.resolve(this.root, name);
    if (!this.#inside(target)) throw new TemplatePathError(name, this.root);
    return path.relative(this.root, target).split(path.sep).join('/');
  }

  #inside(target: string): boolean {
    const relative = path.relative(this.root, target);
    return (
      relative !== '' &&
      relative !== '..' &&
      !relative.startsWith(`..${path.sep}`) &&
      !path.isAbsolute(relative)
    );
  }

  /** Reads `name` under the root and compiles it; a missing file is a TemplateNotFoundError. */
  protected createTemplate(name: string): Template {
    let source: Buffer;
    try {
      source = readFileSync(path.join(this.root, name));
    } catch (error) {
      if (MISSING.has((error as NodeJS.ErrnoException).code ?? '')) {
        throw new TemplateNotFoundError(name, this.root, { cause: error });
      }
      throw error;
    }
    return new Template(source, { name, loader: this });
  }
}
