/**
 * TemplateModule: the built-in `Template` UI module, which renders a template with its own
 * namespace and lets that template ask for page resources.
 */
import { isDeepStrictEqual } from 'node:util';
import { type ResourceFiles, UIModule } from './ui-module.js';

/** What a template may pass to `setResources`: the page resources of {@link UIModule}. */
export interface TemplateResources {
  embeddedJavascript?: string;
  javascriptFiles?: ResourceFiles;
  embeddedCss?: string;
  cssFiles?: ResourceFiles;
  htmlHead?: string;
  htmlBody?: string;
}

type ResourceKey = keyof TemplateResources;

// Tornado's keyword names, accepted so that templates port with fewer edits.
const snakeCaseKeys: Readonly<Record<string, ResourceKey>> = {
  embedded_javascript: 'embeddedJavascript',
  javascript_files: 'javascriptFiles',
  embedded_css: 'embeddedCss',
  css_files: 'cssFiles',
  html_head: 'htmlHead',
  html_body: 'htmlBody',
};

/**
 * The `Template` UI module: `{% module Template("entry.html", { entry }) %}` renders
 * `entry.html` like `{% include %}` would, but with a namespace of its own (the handler's
 * template namespace plus the given object) instead of the caller's variables.
 *
 * The rendered template may call `setResources({ cssFiles: 'entry.css', embeddedJavascript:
 * '...' })` (also spelled `set_resources`, with Tornado's snake_case keys accepted) to add
 * page resources like a {@link UIModule}'s. Resources count once per template file, however
 * many times it is rendered, so they must not depend on the template's arguments: a second call
 * for the same file with different resources throws.
 *
 * @see Tornado `tornado.web.TemplateModule`
 */
export class TemplateModule extends UIModule {
  // Kept in first-use order, one entry per template path.
  readonly #resources = new Map<string, TemplateResources>();

  override render(path: string, namespace: Record<string, unknown> = {}): string {
    const setResources = (resources: Record<string, unknown> = {}): string => {
      const normalized = normalizeResources(resources);
      const known = this.#resources.get(path);
      if (known === undefined) this.#resources.set(path, normalized);
      else if (!isDeepStrictEqual(known, normalized)) {
        throw new Error(
          `setResources was called with different resources for the same template (${path}); resources are kept once per template file, so they must not depend on its arguments`,
        );
      }
      return '';
    };
    return this.renderString(path, {
      ...namespace,
      setResources,
      set_resources: setResources,
    });
  }

  override embeddedJavascript(): string {
    return this.#strings('embeddedJavascript').join('\n');
  }

  override javascriptFiles(): string[] {
    return this.#files('javascriptFiles');
  }

  override embeddedCss(): string {
    return this.#strings('embeddedCss').join('\n');
  }

  override cssFiles(): string[] {
    return this.#files('cssFiles');
  }

  override htmlHead(): string {
    return this.#strings('htmlHead').join('');
  }

  override htmlBody(): string {
    return this.#strings('htmlBody').join('');
  }

  #strings(key: 'embeddedJavascript' | 'embeddedCss' | 'htmlHead' | 'htmlBody'): string[] {
    const found: string[] = [];
    for (const resources of this.#resources.values()) {
      const value = resources[key];
      if (value !== undefined) found.push(value);
    }
    return found;
  }

  #files(key: 'javascriptFiles' | 'cssFiles'): string[] {
    const found: string[] = [];
    for (const resources of this.#resources.values()) {
      const value = resources[key];
      if (typeof value === 'string') found.push(value);
      else if (value !== undefined) found.push(...value);
    }
    return found;
  }
}

function normalizeResources(resources: Record<string, unknown>): TemplateResources {
  const normalized: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(resources)) {
    const key = snakeCaseKeys[name] ?? name;
    if (!isResourceKey(key)) {
      throw new TypeError(
        `setResources got an unknown resource '${name}'; use embeddedJavascript, javascriptFiles, embeddedCss, cssFiles, htmlHead or htmlBody`,
      );
    }
    normalized[key] = value;
  }
  return normalized as TemplateResources;
}

function isResourceKey(key: string): key is ResourceKey {
  return Object.values(snakeCaseKeys).includes(key as ResourceKey);
}
