/**
 * The UI modules of an application: the built-in ones plus the `uiModules` setting's.
 */
import { type LinkifyOptions, linkify } from '@tronada/template';
import { TemplateModule } from './template-module.js';
import { isUIModuleClass, UIModule, type UIModuleClass } from './ui-module.js';

/** `{% module linkify(text, options) %}`: the text escaped, with its URLs made links. */
class LinkifyModule extends UIModule {
  override render(text: string, options: LinkifyOptions = {}): string {
    return linkify(text, options);
  }
}

/** `{% module xsrf_form_html() %}`: the hidden XSRF form field. */
class XsrfFormHtmlModule extends UIModule {
  override render(): string {
    return this.handler.xsrfFormHtml();
  }
}

/**
 * The UI modules every application has: `linkify`, `xsrf_form_html` (also as `xsrfFormHtml`)
 * and `Template` ({@link TemplateModule}).
 */
export function builtinUiModules(): Record<string, UIModuleClass> {
  return {
    linkify: LinkifyModule,
    xsrf_form_html: XsrfFormHtmlModule,
    xsrfFormHtml: XsrfFormHtmlModule,
    Template: TemplateModule,
  };
}

/**
 * The built-in UI modules plus those of the `uiModules` setting: one record of name to class,
 * or a list of records (later ones win). Entries that are not {@link UIModule} subclasses are
 * skipped, so a module namespace object (`import * as modules`) can be passed whole.
 *
 * @see Tornado `Application._load_ui_modules`
 */
export function loadUiModules(
  setting:
    | Readonly<Record<string, unknown>>
    | readonly Readonly<Record<string, unknown>>[]
    | undefined,
): Record<string, UIModuleClass> {
  const loaded = builtinUiModules();
  if (setting === undefined) return loaded;
  const sources = Array.isArray(setting) ? setting : [setting as Readonly<Record<string, unknown>>];
  for (const source of sources) {
    for (const [name, value] of Object.entries(source)) {
      if (isUIModuleClass(value)) loaded[name] = value;
    }
  }
  return loaded;
}
