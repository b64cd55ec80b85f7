/** @packageDocumentation Tornado's web framework for Node.js (Tornado: `tornado.web`, `tornado.routing`). */
export type { ApplicationOptions, HandlerRule } from './application.js';
export { Application } from './application.js';
export type { ApplicationMatch, DefaultHostSource } from './application-router.js';
export { ApplicationRouter, DefaultHostMatches } from './application-router.js';
export type { AutoreloadOptions } from './autoreload/autoreload.js';
export { autoreload } from './autoreload/autoreload.js';
export { ErrorHandler } from './error-handler.js';
export type { HTTPErrorOptions } from './errors.js';
export { Finish, HTTPError, MissingArgumentError } from './errors.js';
export type { Fallback } from './fallback-handler.js';
export { FallbackHandler } from './fallback-handler.js';
export { GZipContentEncoding } from './gzip-content-encoding.js';
export { HandlerDelegate } from './handler-delegate.js';
export { parseAcceptLanguage } from './locale/accept-language.js';
export type { CSVTranslations, PluralIndicator } from './locale/csv-locale.js';
export { CSVLocale } from './locale/csv-locale.js';
export type { GettextCatalogParseOptions } from './locale/gettext-catalog.js';
export { CONTEXT_SEPARATOR, GettextCatalog } from './locale/gettext-catalog.js';
export { GettextLocale } from './locale/gettext-locale.js';
export { interpolate } from './locale/interpolate.js';
export type { FormatDateOptions, FormatDayOptions } from './locale/locale.js';
export { Locale } from './locale/locale.js';
export {
  LocaleArgumentError,
  MoFileError,
  TranslationsFileError,
  UnsupportedLocaleError,
} from './locale/locale-errors.js';
export type { LocaleName } from './locale/locale-names.js';
export { LOCALE_NAMES } from './locale/locale-names.js';
export type { LocaleFactory } from './locale/locale-registry.js';
export { LocaleRegistry, localeRegistry } from './locale/locale-registry.js';
export {
  getSupportedLocales,
  loadGettextTranslations,
  loadTranslations,
  setDefaultLocale,
} from './locale/translations.js';
export type { NodeRequestHandler } from './node-fallback.js';
export type { FirstChunk, OutputTransformClass } from './output-transform.js';
export { OutputTransform } from './output-transform.js';
export { RedirectHandler } from './redirect-handler.js';
export type {
  ArgumentOptions,
  HeaderValue,
  OutputChunk,
  RedirectOptions,
  RequestHandlerClass,
  SendErrorOptions,
  SetSignedCookieOptions,
  SignedCookieOptions,
} from './request-handler.js';
export { RequestHandler } from './request-handler.js';
export {
  InvalidPathEncodingError,
  MixedGroupsError,
  NonReversibleUrlError,
  ReverseArgumentsError,
} from './routing/errors.js';
export { HostMatches } from './routing/host-matches.js';
export type { Matcher, MatchResult, RoutingRequest } from './routing/matcher.js';
export { AnyMatches, isMatcher } from './routing/matcher.js';
export type { BytesMatchResult } from './routing/path-matches.js';
export { PathMatches } from './routing/path-matches.js';
export type { RuleSpec, RuleTuple } from './routing/rule.js';
export { Rule, URLSpec, url } from './routing/rule.js';
export type { HandlerMatch, ReversibleRouter, Router } from './routing/rule-router.js';
export {
  isReversibleRouter,
  isRouter,
  ReversibleRuleRouter,
  RuleRouter,
} from './routing/rule-router.js';
export type {
  CookieSecret,
  CreateSignedValueOptions,
  DecodeSignedValueOptions,
  SecretKey,
} from './security/signed-value.js';
export {
  createSignedValue,
  DEFAULT_SIGNED_VALUE_MIN_VERSION,
  DEFAULT_SIGNED_VALUE_VERSION,
  decodeSignedValue,
  getSignatureKeyVersion,
  InvalidSigningArgumentError,
} from './security/signed-value.js';
export type { CookieOptions } from './set-cookie.js';
export type { ApplicationSettings } from './settings.js';
export type { StaticContent } from './static-content.js';
export type { StaticFileHandlerArgs, StaticFileHandlerClass } from './static-file-handler.js';
export { StaticFileHandler } from './static-file-handler.js';
export type { TemplateResources } from './template-module.js';
export { TemplateModule } from './template-module.js';
export type { ResourceFiles, UIModuleClass } from './ui-module.js';
export { UIModule } from './ui-module.js';
export type { HandlerMethod } from './wrappers.js';
export {
  addslash,
  asynchronous,
  authenticated,
  removeslash,
  streamRequestBody,
} from './wrappers.js';
