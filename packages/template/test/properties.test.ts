// Property tests (fast-check): escaping is safe and reversible, and generated templates render
// exactly as a small reference interpreter of the same tree says.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DictLoader,
  jsonDecode,
  jsonEncode,
  ParseError,
  Template,
  urlEscape,
  urlUnescape,
  xhtmlEscape,
  xhtmlUnescape,
} from '../src/index.js';
import { isWellFormed } from './helpers.js';

const SEED = 20261121;
const runs = { seed: SEED, numRuns: 300 };

/** Strings rich in the characters that matter for HTML, plus any code point. */
const htmlish = fc.oneof(
  fc.string({
    unit: fc.constantFrom('<', '>', '&', '"', "'", ';', '#', 'x', 'a', '3', 'amp', 'lt;'),
  }),
  fc.string({ unit: 'binary' }),
);

describe('escaping properties', () => {
  const template = new Template('{{ v }}');

  it('{{ v }} has no unescaped special character and unescapes back to v', () => {
    fc.assert(
      fc.property(htmlish, (v) => {
        const out = template.generate({ v });
        expect(out).not.toMatch(/[<>"']/);
        expect(out).not.toMatch(/&(?!(?:amp|lt|gt|quot|#39);)/);
        expect(xhtmlUnescape(out)).toBe(v);
        expect(out).toBe(xhtmlEscape(v));
      }),
      runs,
    );
  });

  it('jsonEncode never contains </ and decodes to the same value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), htmlish, (value, text) => {
        for (const input of [value, text, { text, value }]) {
          const json = jsonEncode(input);
          expect(json).not.toContain('</');
          expect(jsonDecode(json)).toEqual(JSON.parse(JSON.stringify(input)));
        }
      }),
      runs,
    );
  });

  it('urlUnescape reverses urlEscape in both modes', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary' }).filter(isWellFormed),
        fc.boolean(),
        (text, plus) => {
          const escaped = urlEscape(text, plus);
          expect(escaped).toMatch(plus ? /^[A-Za-z0-9_.~%+-]*$/ : /^[A-Za-z0-9_.~%/-]*$/);
          expect(urlUnescape(escaped, 'utf-8', plus)).toBe(text);
        },
      ),
      runs,
    );
  });
});

describe('parser robustness', () => {
  const piece = fc.constantFrom(
    '{',
    '}',
    '{{',
    '}}',
    '{%',
    '%}',
    '{#',
    '#}',
    '!',
    ' ',
    '\n',
    'x',
    '1',
    '"',
    "'",
    '(',
    ')',
    '[',
    ']',
    ',',
    '=',
    'if ',
    'elif ',
    'else',
    'end',
    'for ',
    ' in ',
    'while ',
    'try',
    'except',
    'finally',
    'set ',
    'apply ',
    'block ',
    'raw ',
    'module ',
    'break',
    'continue',
    'comment',
    'autoescape ',
    'whitespace ',
    'oneline',
    'None',
    'extends ',
    'include ',
    'constructor',
    '//',
  );

  it('either compiles any source or throws a ParseError (never another error)', () => {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), (pieces) => {
        const source = pieces.join('');
        try {
          new Template(source);
        } catch (error) {
          expect(error, source).toBeInstanceOf(ParseError);
        }
      }),
      { seed: SEED, numRuns: 2000 },
    );
  });
});

// ---- generated template trees against a reference interpreter ---------------------------------

type Expr =
  | { readonly k: 'var'; readonly name: string }
  | { readonly k: 'num'; readonly n: number }
  | { readonly k: 'add'; readonly l: Expr; readonly r: Expr };
type Cond = { readonly l: Expr; readonly op: '<' | '==='; readonly r: Expr };
type TNode =
  | { readonly t: 'text'; readonly s: string }
  | { readonly t: 'out' | 'raw'; readonly e: Expr | 'str' }
  | { readonly t: 'set'; readonly v: string; readonly e: Expr }
  | {
      readonly t: 'if';
      readonly branches: readonly { readonly c: Cond; readonly body: readonly TNode[] }[];
      readonly orelse: readonly TNode[] | undefined;
    }
  | {
      readonly t: 'for';
      readonly v: string;
      readonly items: readonly number[];
      readonly body: readonly TNode[];
      readonly orelse: readonly TNode[] | undefined;
    }
  | { readonly t: 'break' | 'continue' }
  | { readonly t: 'block'; readonly name: string; readonly body: readonly TNode[] };

const SETTABLE = ['a', 'b', 'c'];
const LOOP_VARS = ['i', 'j', 'k'];

interface Scope {
  readonly loops: number; // loop variables in scope: LOOP_VARS.slice(0, loops)
  readonly inLoop: boolean; // break/continue allowed
  readonly blocks: boolean; // block tags allowed (in the base template only)
}

function exprArb(scope: Scope): fc.Arbitrary<Expr> {
  const names = [...SETTABLE, ...LOOP_VARS.slice(0, scope.loops)];
  const leaf = fc.oneof(
    fc.constantFrom(...names).map((name): Expr => ({ k: 'var', name })),
    fc.integer({ min: -3, max: 9 }).map((n): Expr => ({ k: 'num', n })),
  );
  return fc.oneof(
    leaf,
    fc.tuple(leaf, leaf).map(([l, r]): Expr => ({ k: 'add', l, r })),
  );
}

// Text never contains '{', so it cannot start a tag.
const textArb = fc.string({
  unit: fc.constantFrom('a', ' ', '\n', '<', '&', '"', "'", '\\', '`', '$', '}', '%', '#', 'é'),
  minLength: 1,
});

const memo = new Map<string, fc.Arbitrary<TNode[]>>();

function nodesArb(scope: Scope, depth: number): fc.Arbitrary<TNode[]> {
  const key = `${scope.loops}/${scope.inLoop}/${scope.blocks}/${depth}`;
  const cached = memo.get(key);
  if (cached !== undefined) return cached;
  const e = exprArb(scope);
  const cond = fc.record({ l: e, op: fc.constantFrom<'<' | '==='>('<', '==='), r: e });
  const leaves: fc.Arbitrary<TNode>[] = [
    textArb.map((s): TNode => ({ t: 'text', s })),
    fc.record({
      t: fc.constantFrom<'out' | 'raw'>('out', 'raw'),
      e: fc.oneof(e, fc.constant<'str'>('str')),
    }),
    fc.record({ t: fc.constant<'set'>('set'), v: fc.constantFrom(...SETTABLE), e }),
  ];
  if (scope.inLoop) leaves.push(fc.constantFrom<TNode>({ t: 'break' }, { t: 'continue' }));
  const kinds: fc.Arbitrary<TNode>[] = [...leaves];
  if (depth > 0) {
    const inner = nodesArb(scope, depth - 1);
    kinds.push(
      fc.record({
        t: fc.constant<'if'>('if'),
        branches: fc.array(fc.record({ c: cond, body: inner }), { minLength: 1, maxLength: 3 }),
        orelse: fc.option(inner, { nil: undefined }),
      }),
    );
    if (scope.loops < LOOP_VARS.length) {
      const loopScope = { ...scope, loops: scope.loops + 1, inLoop: true };
      kinds.push(
        fc.record({
          t: fc.constant<'for'>('for'),
          v: fc.constant(LOOP_VARS[scope.loops]!),
          items: fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 4 }),
          body: nodesArb(loopScope, depth - 1),
          // The else body runs outside the loop.
          orelse: fc.option(inner, { nil: undefined }),
        }),
      );
    }
    if (scope.blocks) {
      // A block body may be replaced by an override written outside any loop, so it has no
      // break/continue of its own; names are made unique after generation.
      const blockBody = nodesArb({ ...scope, inLoop: false }, depth - 1);
      kinds.push(blockBody.map((body): TNode => ({ t: 'block', name: '', body })));
    }
  }
  const arb = fc.array(fc.oneof(...kinds), { maxLength: 4 });
  memo.set(key, arb);
  return arb;
}

function nameBlocks(nodes: readonly TNode[], names: string[]): TNode[] {
  return nodes.map((node): TNode => {
    switch (node.t) {
      case 'block': {
        const name = `b${names.length}`;
        names.push(name);
        return { ...node, name, body: nameBlocks(node.body, names) };
      }
      case 'if':
        return {
          ...node,
          branches: node.branches.map((b) => ({ ...b, body: nameBlocks(b.body, names) })),
          orelse: node.orelse && nameBlocks(node.orelse, names),
        };
      case 'for':
        return {
          ...node,
          body: nameBlocks(node.body, names),
          orelse: node.orelse && nameBlocks(node.orelse, names),
        };
      default:
        return node;
    }
  });
}

function exprSource(e: Expr | 'str'): string {
  if (e === 'str') return 's';
  switch (e.k) {
    case 'var':
      return e.name;
    case 'num':
      return `(${e.n})`;
    case 'add':
      return `${exprSource(e.l)} + ${exprSource(e.r)}`;
  }
}

function source(nodes: readonly TNode[]): string {
  return nodes.map(nodeSource).join('');
}

function nodeSource(node: TNode): string {
  switch (node.t) {
    case 'text':
      return node.s;
    case 'out':
      return `{{ ${exprSource(node.e)} }}`;
    case 'raw':
      return `{% raw ${exprSource(node.e)} %}`;
    case 'set':
      return `{% set ${node.v} = ${exprSource(node.e)} %}`;
    case 'if': {
      const parts = node.branches.map(
        (b, i) =>
          `{% ${i === 0 ? 'if' : 'elif'} ${exprSource(b.c.l)} ${b.c.op} ${exprSource(b.c.r)} %}${source(b.body)}`,
      );
      const orelse = node.orelse ? `{% else %}${source(node.orelse)}` : '';
      return `${parts.join('')}${orelse}{% end %}`;
    }
    case 'for': {
      const orelse = node.orelse ? `{% else %}${source(node.orelse)}` : '';
      return `{% for ${node.v} in [${node.items.join(', ')}] %}${source(node.body)}${orelse}{% end %}`;
    }
    case 'break':
    case 'continue':
      return `{% ${node.t} %}`;
    case 'block':
      return `{% block ${node.name} %}${source(node.body)}{% end %}`;
  }
}

// The reference semantics: Python-like function-scoped variables in one environment.
class Jump {
  readonly kind: 'break' | 'continue';
  constructor(kind: 'break' | 'continue') {
    this.kind = kind;
  }
}

const escapeRef = (text: string): string =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

function evaluate(e: Expr | 'str', env: Map<string, unknown>): unknown {
  if (e === 'str') return env.get('s');
  switch (e.k) {
    case 'var':
      return env.get(e.name);
    case 'num':
      return e.n;
    case 'add':
      return (evaluate(e.l, env) as number) + (evaluate(e.r, env) as number);
  }
}

/** Appends the output of `nodes` to `sink.out`; break and continue unwind as exceptions. */
function interpret(
  nodes: readonly TNode[],
  env: Map<string, unknown>,
  overrides: ReadonlyMap<string, readonly TNode[]>,
  sink: { out: string },
): void {
  for (const node of nodes) {
    switch (node.t) {
      case 'text':
        sink.out += node.s;
        break;
      case 'out':
        sink.out += escapeRef(String(evaluate(node.e, env)));
        break;
      case 'raw':
        sink.out += String(evaluate(node.e, env));
        break;
      case 'set':
        env.set(node.v, evaluate(node.e, env));
        break;
      case 'if': {
        const branch = node.branches.find((b) => {
          const l = evaluate(b.c.l, env) as number;
          const r = evaluate(b.c.r, env) as number;
          return b.c.op === '<' ? l < r : l === r;
        });
        const body = branch?.body ?? node.orelse;
        if (body) interpret(body, env, overrides, sink);
        break;
      }
      case 'for': {
        let broken = false;
        for (const item of node.items) {
          env.set(node.v, item);
          try {
            interpret(node.body, env, overrides, sink);
          } catch (jump) {
            if (!(jump instanceof Jump)) throw jump;
            if (jump.kind === 'break') {
              broken = true;
              break;
            }
          }
        }
        if (!broken && node.orelse) interpret(node.orelse, env, overrides, sink);
        break;
      }
      case 'break':
      case 'continue':
        throw new Jump(node.t);
      case 'block':
        interpret(overrides.get(node.name) ?? node.body, env, overrides, sink);
        break;
    }
  }
}

function reference(
  nodes: readonly TNode[],
  namespace: Record<string, unknown>,
  overrides: ReadonlyMap<string, readonly TNode[]> = new Map(),
): string {
  const sink = { out: '' };
  interpret(nodes, new Map(Object.entries(namespace)), overrides, sink);
  return sink.out;
}

const namespaceArb = fc.record({
  a: fc.integer({ min: -5, max: 5 }),
  b: fc.integer({ min: -5, max: 5 }),
  c: fc.integer({ min: -5, max: 5 }),
  s: htmlish,
});

describe('generated templates', () => {
  const topScope: Scope = { loops: 0, inLoop: false, blocks: true };

  it('render as the reference interpreter says (if/for/set/break/blocks)', () => {
    const treeArb = nodesArb(topScope, 3).map((nodes) => nameBlocks(nodes, []));
    fc.assert(
      fc.property(treeArb, namespaceArb, (tree, namespace) => {
        const template = new Template(source(tree));
        const expected = reference(tree, namespace);
        expect(template.generate(namespace)).toBe(expected);
      }),
      runs,
    );
  });

  it('render extended templates with overridden blocks as the interpreter says', () => {
    const childScope: Scope = { loops: 0, inLoop: false, blocks: false };
    const treeArb = nodesArb(topScope, 3).chain((nodes) => {
      const names: string[] = [];
      const base = nameBlocks(nodes, names);
      const overrides = fc
        .subarray(names)
        .chain((chosen) =>
          fc.tuple(
            ...chosen.map((name) => nodesArb(childScope, 2).map((body) => [name, body] as const)),
          ),
        );
      return fc.tuple(fc.constant(base), overrides, textArb);
    });
    fc.assert(
      fc.property(treeArb, namespaceArb, ([base, overrides, junk], namespace) => {
        const child =
          `{% extends "base" %}${junk}` +
          overrides
            .map(([name, body]) => `{% block ${name} %}${source(body)}{% end %}${junk}`)
            .join('');
        const loader = new DictLoader({ base: source(base), child });
        const expected = reference(base, namespace, new Map(overrides));
        expect(loader.load('child').generate(namespace)).toBe(expected);
      }),
      runs,
    );
  });
});
