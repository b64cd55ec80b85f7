import { isMatcher, type Matcher } from './matcher.js';
import { PathMatches } from './path-matches.js';

/**
 * One routing rule: a matcher, the target it leads to, keyword arguments for the target, and an
 * optional name for {@link ReversibleRuleRouter.reverseUrl}.
 *
 * The target is opaque here: a handler class, a nested router, a function; the layer that runs
 * the request decides what to do with it.
 *
 * @see Tornado `tornado.routing.Rule`
 */
export class Rule<T = unknown> {
  readonly matcher: Matcher;
  target: T;
  /** Keyword arguments for the target (empty unless given). */
  readonly targetKwargs: Record<string, unknown>;
  readonly name: string | undefined;

  constructor(
    matcher: Matcher,
    target: T,
    targetKwargs?: Record<string, unknown> | null,
    name?: string,
  ) {
    this.matcher = matcher;
    this.target = target;
    this.targetKwargs = targetKwargs ?? {};
    this.name = name;
  }

  /** Rebuilds a URL through the matcher (`null` if it has none). */
  reverse(...args: unknown[]): string | null {
    return this.matcher.reverse(...args);
  }
}

/**
 * A rule matching the request path, as listed in an application's handlers.
 *
 * @see Tornado `tornado.web.URLSpec`
 */
export class URLSpec<T = unknown> extends Rule<T> {
  /** The compiled, anchored path pattern. */
  readonly regex: RegExp;

  constructor(
    pattern: string | RegExp,
    handler: T,
    kwargs?: Record<string, unknown> | null,
    name?: string,
  ) {
    const matcher = new PathMatches(pattern);
    super(matcher, handler, kwargs, name);
    this.regex = matcher.regex;
  }

  /** Rebuilds the path from one argument per group; see {@link PathMatches.reverse}. */
  override reverse(...args: unknown[]): string {
    return (this.matcher as PathMatches).reverse(...args);
  }
}

/**
 * Shorthand for `new URLSpec(pattern, handler, kwargs, name)`.
 *
 * @see Tornado `tornado.web.url`
 */
export function url<T>(
  pattern: string | RegExp,
  handler: T,
  kwargs?: Record<string, unknown> | null,
  name?: string,
): URLSpec<T> {
  return new URLSpec(pattern, handler, kwargs, name);
}

/**
 * A rule written as a tuple: `[pattern or matcher, target, kwargs?, name?]`. A string or RegExp
 * pattern means a {@link PathMatches}.
 */
export type RuleTuple<T = unknown> =
  | readonly [string | RegExp | Matcher, T]
  | readonly [string | RegExp | Matcher, T, Record<string, unknown> | null | undefined]
  | readonly [
      string | RegExp | Matcher,
      T,
      Record<string, unknown> | null | undefined,
      string | undefined,
    ];

/** A rule as accepted by routers: a {@link Rule} or a {@link RuleTuple}. */
export type RuleSpec<T = unknown> = Rule<T> | RuleTuple<T>;

/** Turns a {@link RuleSpec} into a {@link Rule}. */
export function toRule<T>(spec: RuleSpec<T>): Rule<T> {
  if (spec instanceof Rule) return spec;
  const [pattern, target, kwargs, name] = spec;
  const matcher = isMatcher(pattern) ? pattern : new PathMatches(pattern);
  return new Rule(matcher, target, kwargs, name);
}
