import { describe, expect, it } from 'vitest';
import {
  AnyMatches,
  type HandlerMatch,
  HostMatches,
  isReversibleRouter,
  isRouter,
  PathMatches,
  type ReversibleRouter,
  ReversibleRuleRouter,
  type Router,
  type RoutingRequest,
  Rule,
  RuleRouter,
  URLSpec,
  url,
} from '../src/index.js';

const request = (path: string, hostName = 'localhost', method = 'GET'): RoutingRequest => ({
  path,
  hostName,
  method,
});

/** A router answering every request with one target, like routing_test's BasicRouter. */
class FixedRouter implements Router {
  readonly #target: string;
  constructor(target: string) {
    this.#target = target;
  }
  findHandler(): HandlerMatch {
    return {
      target: this.#target,
      targetKwargs: {},
      pathArgs: [],
      pathKwargs: {},
      rule: new Rule(new AnyMatches(), this.#target),
    };
  }
}

/** A reversible router over a path → target table, like routing_test's CustomRouter. */
class TableRouter implements ReversibleRouter {
  readonly routes = new Map<string, string>();
  findHandler(req: RoutingRequest): HandlerMatch | null {
    const target = this.routes.get(req.path);
    if (target === undefined) return null;
    return {
      target,
      targetKwargs: {},
      pathArgs: [],
      pathKwargs: {},
      rule: new Rule(new AnyMatches(), target),
    };
  }
  reverseUrl(name: string): string | null {
    return this.routes.has(`/${name}`) ? `/${name}` : null;
  }
}

describe('RuleRouter', () => {
  it('returns the first matching rule, trying rules in order', () => {
    const router = new RuleRouter([
      ['/a', 'first'],
      ['/.*', 'catch-all'],
      ['/a', 'never'],
    ]);
    expect(router.findHandler(request('/a'))?.target).toBe('first');
    expect(router.findHandler(request('/b'))?.target).toBe('catch-all');
  });

  it('returns null when no rule matches', () => {
    expect(new RuleRouter([['/a', 'a']]).findHandler(request('/404'))).toBeNull();
    expect(new RuleRouter().findHandler(request('/'))).toBeNull();
  });

  it('returns the target, its kwargs, the path arguments and the rule', () => {
    const rule = new Rule(new PathMatches('/user/([0-9]+)'), 'user', { admin: true }, 'user');
    const found = new RuleRouter([rule]).findHandler(request('/user/42'));
    expect(found).toEqual({
      target: 'user',
      targetKwargs: { admin: true },
      pathArgs: ['42'],
      pathKwargs: {},
      rule,
    });
  });

  it('reads tuples of two, three and four items, with a string, RegExp or matcher first', () => {
    const router = new RuleRouter<string>([
      ['/two', 'two'],
      [/\/three/, 'three', { k: 1 }],
      [new PathMatches('/four'), 'four', null, 'four'],
      [new HostMatches('other\\.host'), 'host'],
    ]);
    expect(router.rules.map((r) => r.target)).toEqual(['two', 'three', 'four', 'host']);
    expect(router.rules[1]?.targetKwargs).toEqual({ k: 1 });
    expect(router.rules[2]?.targetKwargs).toEqual({});
    expect(router.rules[2]?.name).toBe('four');
    expect(router.findHandler(request('/nowhere', 'other.host'))?.target).toBe('host');
  });

  it('accepts URLSpec and url() rules', () => {
    const router = new RuleRouter([url('/u', 'u'), new URLSpec('/s', 's')]);
    expect(router.findHandler(request('/u'))?.target).toBe('u');
    expect(router.findHandler(request('/s'))?.target).toBe('s');
  });

  it('appends rules with addRules after the existing ones', () => {
    const router = new RuleRouter([['/.*', 'first']]);
    router.addRules([['/x', 'later']]);
    expect(router.findHandler(request('/x'))?.target).toBe('first');
    expect(router.rules).toHaveLength(2);
  });

  it('passes every added rule through processRule', () => {
    class Prefixing extends RuleRouter<string> {
      override processRule(rule: Rule<string>): Rule<string> {
        rule.target = `processed:${rule.target}`;
        return rule;
      }
    }
    const router = new Prefixing([['/a', 'a']]);
    router.addRules([['/b', 'b']]);
    expect(router.findHandler(request('/b'))?.target).toBe('processed:b');
    expect(router.findHandler(request('/a'))?.target).toBe('processed:a');
  });

  it('delegates to a nested router and goes on when it finds nothing', () => {
    const nested = new TableRouter();
    nested.routes.set('/nested_handler', 'nested');
    const router = new RuleRouter<unknown>([
      new Rule(new PathMatches('/.*handler'), nested),
      ['/nested_not_found_handler', 'after-nested'],
    ]);
    expect(router.findHandler(request('/nested_handler'))?.target).toBe('nested');
    expect(router.findHandler(request('/nested_not_found_handler'))?.target).toBe('after-nested');
  });

  it('hands any request to a custom Router target (routing_test BasicRouter)', () => {
    const router = new RuleRouter([[new AnyMatches(), new FixedRouter('ok')]]);
    expect(router.findHandler(request('/any_request'))?.target).toBe('ok');
  });

  it('lets a custom router dispatch on the method (routing_test HTTPMethodRouter)', () => {
    const byMethod: Router = {
      findHandler: (req) => ({
        target: req.method === 'GET' ? 'GetResource' : 'PostResource',
        targetKwargs: {},
        pathArgs: [req.path],
        pathKwargs: {},
        rule: new Rule(new AnyMatches(), null),
      }),
    };
    const router = new RuleRouter([[new AnyMatches(), byMethod]]);
    expect(router.findHandler(request('/r', 'h', 'POST'))).toMatchObject({
      target: 'PostResource',
      pathArgs: ['/r'],
    });
    expect(router.findHandler(request('/r', 'h', 'GET'))?.target).toBe('GetResource');
  });

  it('routes like routing_test RuleRouterTest: host rules, nested routers, fallbacks', () => {
    const custom = new TableRouter();
    custom.routes.set('/nested_handler', 'NestedHandler');
    const router = new ReversibleRuleRouter<unknown>([
      [
        new HostMatches('www.example.com'),
        new ReversibleRuleRouter([
          [new PathMatches('/first_handler'), 'SecondHandler', {}, 'second_handler'],
        ]),
      ],
      new Rule(new PathMatches('/.*handler'), custom),
      new Rule(new PathMatches('/first_handler'), 'FirstHandler', null, 'first_handler'),
      new Rule(new PathMatches('/request_callable'), 'requestCallable'),
      ['/connection_delegate', 'ConnectionDelegate'],
    ]);
    expect(router.findHandler(request('/first_handler'))?.target).toBe('FirstHandler');
    expect(router.findHandler(request('/first_handler', 'www.example.com'))?.target).toBe(
      'SecondHandler',
    );
    expect(router.findHandler(request('/nested_handler'))?.target).toBe('NestedHandler');
    expect(router.findHandler(request('/nested_not_found_handler'))).toBeNull();
    expect(router.findHandler(request('/connection_delegate'))?.target).toBe('ConnectionDelegate');
    expect(router.findHandler(request('/request_callable'))?.target).toBe('requestCallable');
    expect(router.findHandler(request('/404'))).toBeNull();
    expect(router.reverseUrl('first_handler')).toBe('/first_handler');
    expect(router.reverseUrl('second_handler')).toBe('/first_handler');
    expect(router.reverseUrl('nested_handler')).toBe('/nested_handler');
  });

  it('reports the innermost rule of a nested match', () => {
    const inner = new Rule(new PathMatches('/in/(.*)'), 'leaf');
    const router = new RuleRouter<unknown>([[new AnyMatches(), new RuleRouter([inner])]]);
    expect(router.findHandler(request('/in/x'))).toMatchObject({ rule: inner, pathArgs: ['x'] });
  });
});

describe('ReversibleRuleRouter', () => {
  it('reverses named rules with their arguments', () => {
    const router = new ReversibleRuleRouter([
      ['/user/([0-9]+)', 'user', {}, 'user'],
      ['/static', 'static', {}, 'static'],
    ]);
    expect(router.reverseUrl('user', 42)).toBe('/user/42');
    expect(router.reverseUrl('static')).toBe('/static');
    expect(router.namedRules.size).toBe(2);
  });

  it('returns null for an unknown name', () => {
    expect(new ReversibleRuleRouter([['/a', 'a', {}, 'a']]).reverseUrl('b')).toBeNull();
  });

  it('lets a later rule with the same name replace the earlier one', () => {
    const router = new ReversibleRuleRouter([
      ['/old', 'old', {}, 'page'],
      ['/new', 'new', {}, 'page'],
    ]);
    expect(router.reverseUrl('page')).toBe('/new');
  });

  it('searches nested reversible routers in rule order', () => {
    const first = new ReversibleRuleRouter([['/one', 'one', {}, 'shared']]);
    const second = new ReversibleRuleRouter([['/two', 'two', {}, 'shared']]);
    const router = new ReversibleRuleRouter<unknown>([
      [new AnyMatches(), new RuleRouter([['/plain', 'plain']])],
      [new HostMatches('a'), first],
      [new HostMatches('b'), second],
    ]);
    expect(router.reverseUrl('shared')).toBe('/one');
  });

  it('gives null for a named rule whose matcher has no URL', () => {
    const router = new ReversibleRuleRouter([new Rule(new HostMatches('.*'), 'x', null, 'host')]);
    expect(router.reverseUrl('host')).toBeNull();
  });

  it('names routers by shape', () => {
    expect(isRouter(new RuleRouter())).toBe(true);
    expect(isReversibleRouter(new RuleRouter())).toBe(false);
    expect(isReversibleRouter(new ReversibleRuleRouter())).toBe(true);
    expect(isRouter('nope')).toBe(false);
  });
});

describe('Rule', () => {
  it('defaults its kwargs to an empty object and reverses through its matcher', () => {
    const rule = new Rule(new PathMatches('/r/(.*)'), 'r');
    expect(rule.targetKwargs).toEqual({});
    expect(rule.name).toBeUndefined();
    expect(rule.reverse('x y')).toBe('/r/x%20y');
  });

  it('keeps the URLSpec regex and kwargs', () => {
    const spec = url('/s/(.*)', 'handler', { a: 1 }, 'spec');
    expect(spec.regex.source).toBe('\\/s\\/(.*)$');
    expect(spec.targetKwargs).toEqual({ a: 1 });
    expect(spec.name).toBe('spec');
    expect(spec.target).toBe('handler');
  });
});
