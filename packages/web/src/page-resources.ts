/**
 * Page resources: the JavaScript, CSS and extra HTML that a page's UI modules ask for, and how
 * `RequestHandler.render` inserts them into the rendered HTML.
 */
import { xhtmlEscape } from '@tronada/template';
import type { ResourceFiles, UIModule } from './ui-module.js';

/** What the UI modules of one page asked for, in module order. */
export interface PageResources {
  readonly jsFiles: string[];
  readonly jsEmbed: string[];
  readonly cssFiles: string[];
  readonly cssEmbed: string[];
  readonly htmlHeads: string[];
  readonly htmlBodies: string[];
}

/** The formatting steps of {@link injectPageResources}, overridable on the handler. */
export interface PageResourceRenderer {
  renderLinkedJs(jsFiles: readonly string[]): string;
  renderEmbedJs(jsEmbed: readonly string[]): string;
  renderLinkedCss(cssFiles: readonly string[]): string;
  renderEmbedCss(cssEmbed: readonly string[]): string;
}

/** Collects the resources of `modules`; empty answers are skipped. */
export function collectPageResources(modules: readonly UIModule[]): PageResources {
  const resources: PageResources = {
    jsFiles: [],
    jsEmbed: [],
    cssFiles: [],
    cssEmbed: [],
    htmlHeads: [],
    htmlBodies: [],
  };
  const addFiles = (list: string[], files: ResourceFiles | null | undefined): void => {
    if (typeof files === 'string') {
      if (files !== '') list.push(files);
    } else if (files) list.push(...files);
  };
  const addText = (list: string[], text: string | null | undefined): void => {
    if (text) list.push(text);
  };
  for (const module of modules) {
    addText(resources.jsEmbed, module.embeddedJavascript());
    addFiles(resources.jsFiles, module.javascriptFiles());
    addText(resources.cssEmbed, module.embeddedCss());
    addFiles(resources.cssFiles, module.cssFiles());
    addText(resources.htmlHeads, module.htmlHead());
    addText(resources.htmlBodies, module.htmlBody());
  }
  return resources;
}

/**
 * Inserts `resources` into `html`, as Tornado does: script links, then embedded scripts,
 * before the last `</body>`; stylesheet links, then embedded CSS, then the modules' head HTML
 * before the first `</head>`; the modules' body HTML before the first `</body>`. Each insertion
 * is followed by a newline.
 *
 * @throws Error when the page lacks the `</head>` or `</body>` a resource must go before
 * @see Tornado `RequestHandler.render`
 */
export function injectPageResources(
  html: string,
  resources: PageResources,
  renderer: PageResourceRenderer,
): string {
  let page = html;
  const insert = (at: number, text: string): void => {
    page = `${page.slice(0, at)}${text}\n${page.slice(at)}`;
  };
  if (resources.jsFiles.length > 0) {
    insert(lastTag(page, '</body>'), renderer.renderLinkedJs(resources.jsFiles));
  }
  if (resources.jsEmbed.length > 0) {
    insert(lastTag(page, '</body>'), renderer.renderEmbedJs(resources.jsEmbed));
  }
  if (resources.cssFiles.length > 0) {
    insert(firstTag(page, '</head>'), renderer.renderLinkedCss(resources.cssFiles));
  }
  if (resources.cssEmbed.length > 0) {
    insert(firstTag(page, '</head>'), renderer.renderEmbedCss(resources.cssEmbed));
  }
  if (resources.htmlHeads.length > 0) {
    insert(firstTag(page, '</head>'), resources.htmlHeads.join(''));
  }
  if (resources.htmlBodies.length > 0) {
    insert(firstTag(page, '</body>'), resources.htmlBodies.join(''));
  }
  return page;
}

/**
 * `files` with relative paths turned into URLs by `staticUrl` (paths starting with `/`,
 * `http:` or `https:` are kept), each URL once, in first-seen order.
 */
export function resourceUrls(
  files: readonly string[],
  staticUrl: (path: string) => string,
): string[] {
  const urls = new Set<string>();
  for (const file of files) urls.add(isAbsoluteResource(file) ? file : staticUrl(file));
  return [...urls];
}

/** `<script src>` tags for `urls`. */
export function linkedJsHtml(urls: readonly string[]): string {
  return urls
    .map((url) => `<script src="${xhtmlEscape(url)}" type="text/javascript"></script>`)
    .join('');
}

/** One `<script>` element holding every part of `jsEmbed` (inside a CDATA guard). */
export function embeddedJsHtml(jsEmbed: readonly string[]): string {
  return `<script type="text/javascript">\n//<![CDATA[\n${jsEmbed.join('\n')}\n//]]>\n</script>`;
}

/** `<link rel="stylesheet">` tags for `urls`. */
export function linkedCssHtml(urls: readonly string[]): string {
  return urls
    .map((url) => `<link href="${xhtmlEscape(url)}" type="text/css" rel="stylesheet"/>`)
    .join('');
}

/** One `<style>` element holding every part of `cssEmbed`. */
export function embeddedCssHtml(cssEmbed: readonly string[]): string {
  return `<style type="text/css">\n${cssEmbed.join('\n')}\n</style>`;
}

function isAbsoluteResource(path: string): boolean {
  return path.startsWith('/') || path.startsWith('http:') || path.startsWith('https:');
}

function lastTag(html: string, tag: string): number {
  return found(html.lastIndexOf(tag), tag);
}

function firstTag(html: string, tag: string): number {
  return found(html.indexOf(tag), tag);
}

function found(index: number, tag: string): number {
  if (index < 0) {
    throw new Error(
      `render() cannot insert the UI modules' resources: the page has no ${tag}; add ${tag} to the template or render without modules that need it`,
    );
  }
  return index;
}
