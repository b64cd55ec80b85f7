/**
 * The part of a request that matchers look at. `HTTPServerRequest` from `@tronada/httputil`
 * satisfies it; tests and custom routers may pass any object with these two fields.
 */
export interface RoutingRequest {
  /** The path, still percent-encoded, e.g. `/a%20b`. */
  readonly path: string;
  /** The host name, lower case and without the port. */
  readonly hostName: string;
  /** The method, e.g. `GET`, for custom routers that dispatch on it. */
  readonly method?: string;
}

/**
 * What a successful match hands on to the target: capturing groups in order (`undefined` for an
 * optional group that did not take part), and named groups by name.
 */
export interface MatchResult {
  pathArgs: (string | undefined)[];
  pathKwargs: Record<string, string | undefined>;
}

/**
 * Decides whether a rule applies to a request, and can rebuild a URL from arguments.
 *
 * `match` returns `null` for no match; an empty result is a match without arguments. `reverse`
 * returns `null` when the matcher has no URL to rebuild (a host matcher, say).
 *
 * @see Tornado `tornado.routing.Matcher`
 */
export interface Matcher {
  match(request: RoutingRequest): MatchResult | null;
  reverse(...args: unknown[]): string | null;
}

/** True for objects that look like a {@link Matcher} (used to read rule tuples). */
export function isMatcher(value: unknown): value is Matcher {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Matcher).match === 'function' &&
    typeof (value as Matcher).reverse === 'function'
  );
}

/**
 * Matches every request, with no arguments.
 *
 * @see Tornado `tornado.routing.AnyMatches`
 */
export class AnyMatches implements Matcher {
  match(_request: RoutingRequest): MatchResult {
    return { pathArgs: [], pathKwargs: {} };
  }

  reverse(..._args: unknown[]): null {
    return null;
  }
}
