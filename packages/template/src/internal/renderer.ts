/**
 * Turns generated code into render functions, one per namespace shape.
 *
 * A template refers to namespace values by plain names (`{{ user.name }}`), and the generated
 * code must run in strict mode, which rules out `with`. Instead the render function starts by
 * destructuring exactly the names it needs: `var { user, items } = _tt_a;` for names passed to
 * `generate`, and `var { escape } = _tt_b;` for the defaults and the loader's namespace. A name
 * the namespace does not have stays free, so it resolves to a global (`Math`, `JSON`) or throws
 * a ReferenceError, as Python raises NameError. Which names to destructure depends on the keys
 * of the namespace, so functions are compiled per key set and cached; only keys that the
 * template mentions and that are valid variable names count, so the number of shapes stays
 * small whatever callers pass. Namespace values are only ever read as values: no user data is
 * compiled.
 *
 * The same step binds each autoescape slot `_tt_xN`: when it names the built-in `xhtmlEscape`
 * (and nothing rebinds it), the slot is the fused convert-and-escape fast path; otherwise it
 * calls the named function, looked up at each use like any other name.
 */
import { ParseError } from '../errors.js';
import { attachTrace } from '../trace.js';
import { xhtmlEscape } from '../xhtml.js';
import type { GeneratedCode } from './codegen.js';
import { identifiersIn, isBindableName } from './js-syntax.js';
import { escapeValue, toText } from './runtime.js';

/** A compiled template body: `(namespace, baseNamespace) => output`. */
type RenderFunction = (args: object, base: object) => string;

// A template rendered with ever-changing key sets recompiles instead of growing without bound.
const MAX_SHAPES = 64;

// Renders nest (a template can render another through a UI module); `outermost` counts the
// outermost ones, so that an error's trace holds the levels of one render only.
let depth = 0;
let outermost = 0;

const SIMPLE_NAME = /^[\p{ID_Start}$_][\p{ID_Continue}$\u200c\u200d]*$/u;

/** Renders one template's generated code against namespaces. */
export class Renderer {
  readonly #code: Omit<GeneratedCode, 'checks'>;
  readonly #name: string;
  readonly #base: Readonly<Record<string, unknown>>;
  readonly #names: ReadonlySet<string>;
  readonly #cache = new Map<string, RenderFunction>();
  readonly #runtime: object;

  /**
   * Compiles the function for the empty namespace at once, so that syntax errors in template
   * code surface as a ParseError when the template is created.
   */
  constructor(name: string, code: GeneratedCode, base: Readonly<Record<string, unknown>>) {
    this.#name = name;
    // The syntax-check snippets are only needed for this first compile: later key sets differ
    // only in `var` bindings of valid names, which cannot make valid code invalid (short of a
    // template declaring a function or class of the same name, reported without a line).
    const { checks, ...kept } = code;
    this.#code = kept;
    this.#base = base;
    const mentioned = [...code.identifiers, ...code.escapeSlots.flatMap(identifiersIn)];
    this.#names = new Set(
      mentioned.filter(
        (id) => isBindableName(id) && (!id.startsWith('_tt_') || id === '_tt_modules'),
      ),
    );
    const marker = sourceUrl(name);
    const locations = code.locations;
    this.#runtime = {
      s: toText,
      fast: escapeValue,
      fail: (error: unknown, location: number) =>
        attachTrace(error, locations[location] ?? locations[0]!, marker, outermost),
    };
    this.#cache.set('', this.#compile(this.source, checks));
  }

  /** The full source of the render function for an empty namespace (for debugging). */
  get source(): string {
    return this.#sourceFor([]);
  }

  /** Renders with `args` as the namespace (on top of the defaults and the loader's). */
  render(args: Readonly<Record<string, unknown>>): string {
    let signature = '';
    for (const key of Object.keys(args)) {
      if (this.#names.has(key)) signature = signature === '' ? key : `${signature},${key}`;
    }
    let render = this.#cache.get(signature);
    if (render === undefined) {
      render = this.#compile(this.#sourceFor(signature.split(',')));
      if (this.#cache.size >= MAX_SHAPES) this.#cache.clear();
      this.#cache.set(signature, render);
    }
    if (depth === 0) outermost++;
    depth++;
    try {
      return render(args, this.#base);
    } finally {
      depth--;
    }
  }

  #sourceFor(argNames: readonly string[]): string {
    const fromArgs = new Set(argNames.filter((name) => name !== ''));
    const fused = this.#code.escapeSlots.map((expression) =>
      this.#isBuiltinEscape(expression, fromArgs),
    );
    // Names the code reads, plus those of escape functions that are called by name.
    const needed = new Set(this.#code.identifiers);
    this.#code.escapeSlots.forEach((expression, slot) => {
      if (!fused[slot]) for (const name of identifiersIn(expression)) needed.add(name);
    });
    const fromBase = Object.keys(this.#base).filter(
      (name) => this.#names.has(name) && needed.has(name) && !fromArgs.has(name),
    );
    const lines = [
      '"use strict";',
      'const _tt_s = _tt_rt.s, _tt_fast = _tt_rt.fast, _tt_fail = _tt_rt.fail;',
    ];
    lines.push('return function _tt_render(_tt_a, _tt_b) {');
    lines.push("  var _tt_o = '', _tt_l = 0;");
    lines.push('  try {');
    if (fromArgs.size > 0) lines.push(`    var { ${[...fromArgs].join(', ')} } = _tt_a;`);
    if (fromBase.length > 0) lines.push(`    var { ${fromBase.join(', ')} } = _tt_b;`);
    this.#code.escapeSlots.forEach((expression, slot) => {
      if (fused[slot]) {
        lines.push(`    var _tt_x${slot} = _tt_fast;`);
      } else {
        lines.push(
          `    var _tt_x${slot} = function (_tt_v) { return _tt_s((${expression}\n)(_tt_s(_tt_v))); };`,
        );
      }
    });
    lines.push(this.#code.body);
    lines.push('  } catch (_tt_error) {');
    lines.push('    throw _tt_fail(_tt_error, _tt_l);');
    lines.push('  }');
    lines.push('  return _tt_o;');
    lines.push('};');
    lines.push(`//# sourceURL=${sourceUrl(this.#name)}`);
    return lines.join('\n');
  }

  /** True when `expression` is a name bound to the built-in xhtmlEscape for this key set. */
  #isBuiltinEscape(expression: string, fromArgs: ReadonlySet<string>): boolean {
    return (
      SIMPLE_NAME.test(expression) &&
      !fromArgs.has(expression) &&
      !this.#code.assigned.has(expression) &&
      this.#names.has(expression) &&
      this.#base[expression] === xhtmlEscape
    );
  }

  #compile(source: string, checks: GeneratedCode['checks'] = []): RenderFunction {
    let factory: (runtime: object) => RenderFunction;
    try {
      factory = new Function('_tt_rt', source) as typeof factory;
    } catch (error) {
      throw this.#syntaxError(error, checks);
    }
    return factory(this.#runtime);
  }

  /** Finds the template code fragment that does not compile, to report its line. */
  #syntaxError(error: unknown, checks: GeneratedCode['checks']): ParseError {
    for (const check of checks) {
      try {
        new Function(`"use strict";\n${check.snippet}`);
      } catch (cause) {
        const frame = this.#code.locations[check.location]![0]!;
        const message = cause instanceof Error ? cause.message : String(cause);
        return new ParseError(`JavaScript syntax error: ${message}`, frame.name, frame.line, {
          cause,
        });
      }
    }
    const message = error instanceof Error ? error.message : String(error);
    return new ParseError(`Generated code does not compile: ${message}`, this.#name, 0, {
      cause: error,
    });
  }
}

/** The sourceURL that names generated functions in stack traces. */
function sourceUrl(name: string): string {
  return `tronada-template:${name.replace(/[^\w./-]/g, '_')}`;
}
