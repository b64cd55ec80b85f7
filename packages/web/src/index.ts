/** @packageDocumentation Tornado's web framework for Node.js (Tornado: `tornado.web`, `tornado.routing`). */
export {
  InvalidPathEncodingError,
  MixedGroupsError,
  NonReversibleUrlError,
  ReverseArgumentsError,
} from './routing/errors.js';
export { HostMatches } from './routing/host-matches.js';
export type { Matcher, MatchResult, RoutingRequest } from './routing/matcher.js';
export { AnyMatches, isMatcher } from './routing/matcher.js';
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
