import type { MatchResult, RoutingRequest } from './matcher.js';
import { type Rule, type RuleSpec, toRule } from './rule.js';

/**
 * What routing found for a request: the target, its keyword arguments, the path arguments, and
 * the rule that matched (in the innermost router).
 */
export interface HandlerMatch<T = unknown> extends MatchResult {
  target: T;
  targetKwargs: Record<string, unknown>;
  rule: Rule<T>;
}

/**
 * Finds what should handle a request, or `null`.
 *
 * @see Tornado `tornado.routing.Router`
 */
export interface Router<T = unknown> {
  findHandler(request: RoutingRequest): HandlerMatch<T> | null;
}

/**
 * A {@link Router} that can also rebuild the URL of a named route (`null` if the name is unknown).
 *
 * @see Tornado `tornado.routing.ReversibleRouter`
 */
export interface ReversibleRouter<T = unknown> extends Router<T> {
  reverseUrl(name: string, ...args: unknown[]): string | null;
}

/** True for objects with a `findHandler` method. */
export function isRouter(value: unknown): value is Router {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Router).findHandler === 'function'
  );
}

/** True for objects with `findHandler` and `reverseUrl` methods. */
export function isReversibleRouter(value: unknown): value is ReversibleRouter {
  return isRouter(value) && typeof (value as ReversibleRouter).reverseUrl === 'function';
}

/**
 * A router over an ordered list of rules: the first rule whose matcher matches wins. A rule whose
 * target is a {@link Router} hands the request on to it; if that router finds nothing, the search
 * goes on with the next rule.
 *
 * @see Tornado `tornado.routing.RuleRouter`
 */
export class RuleRouter<T = unknown> implements Router<T> {
  /** The rules, in the order they are tried. */
  readonly rules: Rule<T>[] = [];

  constructor(rules?: readonly RuleSpec<T>[]) {
    if (rules) this.addRules(rules);
  }

  /** Appends rules (instances or tuples), each passed through {@link RuleRouter.processRule}. */
  addRules(rules: readonly RuleSpec<T>[]): void {
    for (const spec of rules) this.rules.push(this.processRule(toRule(spec)));
  }

  /** A hook for subclasses to check or rewrite each rule as it is added; returns it unchanged. */
  processRule(rule: Rule<T>): Rule<T> {
    return rule;
  }

  findHandler(request: RoutingRequest): HandlerMatch<T> | null {
    for (const rule of this.rules) {
      const params = rule.matcher.match(request);
      if (params === null) continue;
      const found = this.getTargetMatch(rule, request, params);
      if (found !== null) return found;
    }
    return null;
  }

  /**
   * Turns a matching rule into the result: a nested router is asked in turn, anything else is
   * returned as the target. Subclasses may override it to support more target kinds.
   *
   * @see Tornado `RuleRouter.get_target_delegate`
   */
  getTargetMatch(
    rule: Rule<T>,
    request: RoutingRequest,
    params: MatchResult,
  ): HandlerMatch<T> | null {
    if (isRouter(rule.target)) return (rule.target as Router<T>).findHandler(request);
    return { target: rule.target, targetKwargs: rule.targetKwargs, ...params, rule };
  }
}

/**
 * A {@link RuleRouter} that remembers named rules and rebuilds their URLs. A name given twice
 * refers to the later rule, as in Tornado. Names not found here are looked up in nested
 * reversible routers, in rule order.
 *
 * @see Tornado `tornado.routing.ReversibleRuleRouter`
 */
export class ReversibleRuleRouter<T = unknown>
  extends RuleRouter<T>
  implements ReversibleRouter<T>
{
  /** The named rules, by name. */
  readonly namedRules = new Map<string, Rule<T>>();

  constructor(rules?: readonly RuleSpec<T>[]) {
    // Rules are added here, not by the base constructor: `namedRules` exists only after `super()`.
    super();
    if (rules) this.addRules(rules);
  }

  override processRule(rule: Rule<T>): Rule<T> {
    const processed = super.processRule(rule);
    if (processed.name) this.namedRules.set(processed.name, processed);
    return processed;
  }

  reverseUrl(name: string, ...args: unknown[]): string | null {
    const rule = this.namedRules.get(name);
    if (rule !== undefined) return rule.matcher.reverse(...args);
    for (const candidate of this.rules) {
      if (!isReversibleRouter(candidate.target)) continue;
      const found = candidate.target.reverseUrl(name, ...args);
      if (found !== null) return found;
    }
    return null;
  }
}
