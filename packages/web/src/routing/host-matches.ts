import { anchoredRegex, execAnchored } from './anchored-regex.js';
import type { Matcher, MatchResult, RoutingRequest } from './matcher.js';

/**
 * Matches requests whose `hostName` matches a pattern, from its start; a string pattern gets `$`
 * appended, so `example\.com` does not match `example.com.evil`. Gives no arguments.
 *
 * @see Tornado `tornado.routing.HostMatches`
 */
export class HostMatches implements Matcher {
  /** The compiled, anchored host pattern. */
  readonly hostPattern: RegExp;

  constructor(hostPattern: string | RegExp) {
    this.hostPattern = anchoredRegex(hostPattern);
  }

  match(request: RoutingRequest): MatchResult | null {
    return execAnchored(this.hostPattern, request.hostName) === null
      ? null
      : { pathArgs: [], pathKwargs: {} };
  }

  reverse(..._args: unknown[]): null {
    return null;
  }
}
