import { jsonEncode } from '../json.js';
import { linkify } from '../linkify.js';
import { squeeze } from '../squeeze.js';
import { urlEscape } from '../url.js';
import { xhtmlEscape } from '../xhtml.js';

/**
 * The names every template can use without passing them: the escape helpers, with `escape` as
 * Tornado's short name for `xhtmlEscape` (it also hides the deprecated global `escape()`, which
 * would otherwise URL-encode silently). The loader's namespace and the values passed to
 * `generate` override these.
 */
export const DEFAULT_NAMESPACE: Readonly<Record<string, unknown>> = Object.freeze({
  escape: xhtmlEscape,
  xhtmlEscape,
  urlEscape,
  jsonEncode,
  squeeze,
  linkify,
});
