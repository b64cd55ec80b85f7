/**
 * @packageDocumentation Tornado's template language for TypeScript, compiled to JavaScript
 * functions, and the escaping helpers it uses (Tornado: `tornado.template`, `tornado.escape`).
 */

export type { LoaderOptions } from './base-loader.js';
export { BaseLoader } from './base-loader.js';
export { DictLoader } from './dict-loader.js';
export { ParseError, TemplateError, TemplateNotFoundError, TemplatePathError } from './errors.js';
export { jsonDecode, jsonEncode } from './json.js';
export type { LinkifyOptions } from './linkify.js';
export { linkify } from './linkify.js';
export { Loader } from './loader.js';
export { squeeze } from './squeeze.js';
export type { Namespace, TemplateOptions } from './template.js';
export { Template } from './template.js';
export type { TemplateFrame } from './trace.js';
export { templateTrace } from './trace.js';
export { toUnicode, utf8 } from './unicode.js';
export { urlEscape, urlUnescape } from './url.js';
export type { WhitespaceMode } from './whitespace.js';
export { filterWhitespace } from './whitespace.js';
export { xhtmlEscape, xhtmlUnescape } from './xhtml.js';
