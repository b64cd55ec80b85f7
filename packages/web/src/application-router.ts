/**
 * ApplicationRouter and DefaultHostMatches: the routing an {@link Application} does.
 */
import type { HTTPServerConnectionDelegate, HTTPServerRequest } from '@tronada/httputil';
import { execAnchored } from './routing/anchored-regex.js';
import { HostMatches } from './routing/host-matches.js';
import type { Matcher, MatchResult, RoutingRequest } from './routing/matcher.js';
import { PathMatches } from './routing/path-matches.js';
import type { Rule, RuleSpec } from './routing/rule.js';
import { type HandlerMatch, isRouter, ReversibleRuleRouter } from './routing/rule-router.js';

/**
 * A routing result with the path groups as percent-decoded bytes, which the handler decodes
 * (`RequestHandler.decodeArgument`).
 */
export interface ApplicationMatch<T = unknown> extends HandlerMatch<T> {
  rawPathArgs: (Uint8Array | undefined)[];
  rawPathKwargs: Record<string, Uint8Array | undefined>;
}

/** What an application knows about its default host (for {@link DefaultHostMatches}). */
export interface DefaultHostSource {
  readonly defaultHost: string | undefined;
}

/**
 * Matches requests when the application's `defaultHost` matches `hostPattern` and the request
 * did not come through a proxy that names the real client (`X-Real-Ip`), so requests to an
 * unknown host reach the default host's handlers.
 *
 * @see Tornado `tornado.routing.DefaultHostMatches`
 */
export class DefaultHostMatches implements Matcher {
  readonly application: DefaultHostSource;
  readonly hostPattern: RegExp;

  constructor(application: DefaultHostSource, hostPattern: RegExp) {
    this.application = application;
    this.hostPattern = hostPattern;
  }

  match(request: RoutingRequest): MatchResult | null {
    const headers = (request as Partial<HTTPServerRequest>).headers;
    if (headers?.has('X-Real-Ip')) return null;
    const host = this.application.defaultHost;
    if (host === undefined) return null;
    return execAnchored(this.hostPattern, host) === null ? null : { pathArgs: [], pathKwargs: {} };
  }

  reverse(): null {
    return null;
  }
}

function utf8Bytes(value: string | undefined): Uint8Array | undefined {
  return value === undefined ? undefined : Buffer.from(value, 'utf8');
}

/**
 * The router inside an {@link Application}: a rule's target may be a handler class, a nested
 * router, an HTTP delegate, a request callback, or a list of rules (which becomes a nested
 * ApplicationRouter). Path groups are kept as bytes for the handler to decode.
 *
 * @see Tornado `tornado.web._ApplicationRouter`
 */
export class ApplicationRouter extends ReversibleRuleRouter<unknown> {
  override processRule(rule: Rule<unknown>): Rule<unknown> {
    if (Array.isArray(rule.target)) {
      rule.target = new ApplicationRouter(rule.target as RuleSpec<unknown>[]);
    }
    return super.processRule(rule);
  }

  override findHandler(request: RoutingRequest): ApplicationMatch | null {
    for (const rule of this.rules) {
      const found = this.#matchRule(rule, request);
      if (found !== null) return found;
    }
    return null;
  }

  #matchRule(rule: Rule<unknown>, request: RoutingRequest): ApplicationMatch | null {
    const matcher = rule.matcher;
    const bytes = matcher instanceof PathMatches ? matcher.matchBytes(request) : null;
    const params = bytes === null ? matcher.match(request) : null;
    if (bytes === null && params === null) return null;
    const target = rule.target;
    // A nested router is asked in turn; an application is served as an HTTP delegate instead.
    if (isRouter(target) && !isServerDelegate(target)) {
      return asApplicationMatch(target.findHandler(request));
    }
    if (bytes === null) {
      return asApplicationMatch({ target, targetKwargs: rule.targetKwargs, ...params!, rule });
    }
    const pathKwargs: Record<string, string | undefined> = {};
    for (const name in bytes.pathKwargs)
      pathKwargs[name] = bytes.pathKwargs[name]?.toString('utf8');
    return {
      target,
      targetKwargs: rule.targetKwargs,
      pathArgs: bytes.pathArgs.length === 0 ? [] : bytes.pathArgs.map((b) => b?.toString('utf8')),
      pathKwargs,
      rule,
      rawPathArgs: bytes.pathArgs,
      rawPathKwargs: bytes.pathKwargs,
    };
  }
}

/** True for HTTP server delegates (an application, say): objects with `startRequest`. */
export function isServerDelegate(value: unknown): value is HTTPServerConnectionDelegate {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as HTTPServerConnectionDelegate).startRequest === 'function'
  );
}

/** Adds byte groups to a match found by a router that only gives text. */
export function asApplicationMatch(found: HandlerMatch | null): ApplicationMatch | null {
  if (found === null) return null;
  if ('rawPathArgs' in found) return found as ApplicationMatch;
  const rawPathKwargs: Record<string, Uint8Array | undefined> = {};
  for (const [name, value] of Object.entries(found.pathKwargs))
    rawPathKwargs[name] = utf8Bytes(value);
  return { ...found, rawPathArgs: found.pathArgs.map(utf8Bytes), rawPathKwargs };
}

/** A host pattern as {@link HostMatches} compiles it. */
export function hostPatternOf(pattern: string | RegExp): RegExp {
  return new HostMatches(pattern).hostPattern;
}
