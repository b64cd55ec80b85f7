/**
 * Code generation: a parsed template (with its ancestors and includes) to the body of one
 * JavaScript render function.
 *
 * As in Tornado, inheritance and includes are resolved at compile time (composition.ts): the
 * root ancestor's body is generated, with each block replaced by its winning definition and each
 * include inlined. The result is one straight function: no calls per block or include at render time,
 * and included files share the caller's variables, as Tornado's do.
 *
 * Shape of the output (inside `try { ... }` of the render function, see renderer.ts):
 * - output is appended to the string `_tt_o` with `+=`; adjacent text and expressions are joined
 *   into one statement, and text is merged into single literals;
 * - `{{ e }}` becomes `_tt_xN(e)`, where slot N is the file's autoescape function (bound per
 *   namespace shape by the renderer), `{% raw e %}` becomes `_tt_s(e)`;
 * - control tags map to JavaScript statements; `{% set %}` and loop variables are `var`s, so
 *   they are function-scoped like Python locals and visible after the block that set them;
 * - before code that may throw, `_tt_l` is set to a location id when it changes. The catch
 *   around the whole body turns the id into the template name, line and include/block chain, at
 *   no cost on the normal path beyond an integer store.
 * - all internal names start with `_tt_`, which templates must not use (as in Tornado).
 */

import type { BaseLoader } from '../base-loader.js';
import { ParseError } from '../errors.js';
import type { Template } from '../template.js';
import type { TemplateFrame } from '../trace.js';
import { Composition } from './composition.js';
import { declarationTarget, forTargetPattern, identifiersIn } from './js-syntax.js';
import { LocationTable } from './locations.js';
import type { BlockNode, Body, FileInfo, Node, ParsedFile, Section } from './nodes.js';

/** The generated code of one template and what the renderer needs to bind and run it. */
export interface GeneratedCode {
  /** Statements of the render function body. */
  readonly body: string;
  /** Location id (the values of `_tt_l`) to its frames, innermost first. */
  readonly locations: readonly (readonly TemplateFrame[])[];
  /** Every identifier-shaped word in the template's code (names it may read from the namespace). */
  readonly identifiers: ReadonlySet<string>;
  /** Names the template's code may assign (`set`, loop targets, `except ... as`). */
  readonly assigned: ReadonlySet<string>;
  /** The autoescape expression of each `_tt_xN` slot (their names are not in `identifiers`). */
  readonly escapeSlots: readonly string[];
  /** Self-contained snippets of each code fragment, to find a syntax error's line. */
  readonly checks: readonly { readonly snippet: string; readonly location: number }[];
}

/**
 * Closes a code fragment: a newline first when it contains `//`, so a trailing line comment in
 * template code cannot swallow the generated code after it.
 */
function close(code: string): string {
  return code.includes('//') ? `${code}\n` : code;
}

/** Where a `break` or `continue` goes: a loop, or an `apply` body that no jump may leave. */
type LoopFrame = { readonly label: string | undefined; readonly header: number } | 'barrier';

const INDENT = '  ';

/** Generates the render body for `template`, whose parsed form is `file`. */
export function generateCode(
  template: Template,
  file: ParsedFile,
  loader: BaseLoader | undefined,
): GeneratedCode {
  return new CodeGenerator(template.name, loader).run(file);
}

class CodeGenerator {
  readonly #composition: Composition;
  readonly #locations: LocationTable;
  #blocks = new Map<string, BlockNode>();
  #lines: string[] = [];
  #depth = 2;
  #pending: string[] = [];
  #file: FileInfo | undefined;
  #via: TemplateFrame[] = [];
  #known = 0;
  #loops: LoopFrame[] = [];
  #counter = 0;
  // > 0 inside the body of a {% try %} (and not in an apply within it): there an expression that
  // throws must not take the text before it along, so output parts are not joined.
  #tryBodies = 0;
  #escapeSlots = new Map<string, number>();
  #identifiers = new Set<string>();
  #assigned = new Set<string>();
  #checks: { snippet: string; location: number }[] = [];

  constructor(name: string, loader: BaseLoader | undefined) {
    this.#composition = new Composition(loader);
    this.#locations = new LocationTable(name);
  }

  run(file: ParsedFile): GeneratedCode {
    const ancestors = this.#composition.ancestors(file);
    this.#blocks = this.#composition.blocks(ancestors);
    const root = ancestors[0]!;
    this.#file = root.info;
    this.#body(root.body);
    this.#flush();
    return {
      body: this.#lines.join('\n'),
      locations: this.#locations.frames,
      identifiers: this.#identifiers,
      assigned: this.#assigned,
      escapeSlots: [...this.#escapeSlots.keys()],
      checks: this.#checks,
    };
  }

  /** Generates `body` as if written in `file`, called from the current location. */
  #inFile(file: FileInfo, line: number, body: Body): void {
    const outer = this.#file!;
    if (file === outer) {
      this.#body(body);
      return;
    }
    this.#via.push({ name: outer.name, line });
    this.#file = file;
    this.#body(body);
    this.#file = outer;
    this.#via.pop();
  }

  // ---- emission helpers -----------------------------------------------------------------------

  #emit(statement: string): void {
    this.#lines.push(INDENT.repeat(this.#depth) + statement);
  }

  /** Writes the pending output parts as one `_tt_o += ...` statement. */
  #flush(): void {
    if (this.#pending.length === 0) return;
    this.#emit(`_tt_o += ${this.#pending.join(' + ')};`);
    this.#pending = [];
  }

  #location(line: number): number {
    return this.#locations.id(this.#file!.name, line, this.#via);
  }

  /** `_tt_l = id, ` when the current location must change to `line`, else ''. */
  #at(line: number): string {
    const id = this.#location(line);
    if (id === this.#known) return '';
    this.#known = id;
    return `_tt_l = ${id}, `;
  }

  /** Records a code fragment: its identifiers, and a snippet to check its syntax alone. */
  #code(code: string, line: number, snippet: string): string {
    for (const name of identifiersIn(code)) this.#identifiers.add(name);
    this.#checks.push({ snippet, location: this.#location(line) });
    return code;
  }

  #assigns(code: string): void {
    for (const name of identifiersIn(code)) this.#assigned.add(name);
  }

  #uid(): number {
    return ++this.#counter;
  }

  // ---- nodes ----------------------------------------------------------------------------------

  #body(body: Body): void {
    for (const node of body) this.#node(node);
  }

  #node(node: Node): void {
    switch (node.kind) {
      case 'text':
        this.#text(node.value);
        break;
      case 'output':
        this.#output(node);
        break;
      case 'set':
        this.#set(node.code, node.line);
        break;
      case 'if':
        this.#if(node);
        break;
      case 'for':
        this.#for(node);
        break;
      case 'while':
        this.#while(node);
        break;
      case 'try':
        this.#try(node);
        break;
      case 'break':
      case 'continue':
        this.#jump(node.kind, node.line);
        break;
      case 'apply':
        this.#apply(node);
        break;
      case 'block': {
        const winner = this.#blocks.get(node.name)!;
        this.#inFile(winner.file, node.line, winner.body);
        break;
      }
      case 'include': {
        const included = this.#composition.load(node.name, node.from, node.line, 'include');
        this.#inFile(included.info, node.line, included.body);
        break;
      }
      default:
        assertNever(node);
    }
  }

  #text(value: string): void {
    const literal = JSON.stringify(value);
    const last = this.#pending.length - 1;
    const previous = this.#pending[last];
    if (previous?.startsWith('"')) {
      this.#pending[last] = JSON.stringify(JSON.parse(previous) + value);
    } else {
      this.#pending.push(literal);
    }
  }

  #output(node: Node & { kind: 'output' }): void {
    if (this.#tryBodies > 0) {
      this.#flush();
      this.#pushOutput(node);
      this.#flush();
    } else {
      this.#pushOutput(node);
    }
  }

  #pushOutput(node: Node & { kind: 'output' }): void {
    const { line } = node;
    if (node.mode === 'module') {
      const code = this.#code(node.code, line, `(_tt_modules.${node.code}\n);`);
      this.#identifiers.add('_tt_modules');
      this.#pending.push(`_tt_s((${this.#at(line)}_tt_modules.${close(code)}))`);
      return;
    }
    const code = this.#code(node.code, line, `(${node.code}\n);`);
    const autoescape = this.#file!.autoescape;
    if (node.mode === 'raw' || autoescape === null) {
      this.#pending.push(`_tt_s((${this.#at(line)}${close(code)}))`);
      return;
    }
    this.#pending.push(`_tt_x${this.#escapeSlot(autoescape)}((${this.#at(line)}${close(code)}))`);
  }

  #escapeSlot(expression: string): number {
    let slot = this.#escapeSlots.get(expression);
    if (slot === undefined) {
      slot = this.#escapeSlots.size;
      this.#escapeSlots.set(expression, slot);
      const file = this.#file!;
      const where = this.#location(file.autoescapeLine);
      this.#checks.push({ snippet: `(${expression}\n)('');`, location: where });
    }
    return slot;
  }

  #set(written: string, line: number): void {
    this.#flush();
    // `{% set let x = 1 %}` (or const, var) means the same as `{% set x = 1 %}`: a block-scoped
    // declaration would vanish at the next {% end %} and clash with namespace bindings.
    const keyword = /^(?:let|const|var)\s+/.exec(written);
    const code = keyword === null ? written : written.slice(keyword[0].length);
    const declaration = keyword !== null || declarationTarget(code) !== undefined;
    // Any name in the statement may change (`x = 1, y = 2`, `f(y = 2)`); this only decides
    // whether autoescape may use the built-in fast path, so erring on the safe side is cheap.
    this.#assigns(code);
    const statement = declaration ? `var ${code}` : code;
    this.#code(code, line, `${statement}\n;`);
    const at = this.#at(line);
    if (at !== '') this.#emit(`${at.slice(0, -2)};`);
    this.#emit(`${close(statement)};`);
  }

  /** Generates a nested body one level deeper, starting with `_tt_l` known to be `known`. */
  #nested(body: Body, known: number): void {
    this.#depth++;
    this.#known = known;
    this.#body(body);
    this.#flush();
    this.#depth--;
  }

  #if(node: Node & { kind: 'if' }): void {
    this.#flush();
    let known = this.#known;
    node.branches.forEach((branch, index) => {
      this.#known = known;
      const test = this.#code(branch.test, branch.line, `(${branch.test}\n);`);
      const keyword = index === 0 ? 'if' : '} else if';
      this.#emit(`${keyword} ((${this.#at(branch.line)}${close(test)})) {`);
      known = this.#known;
      this.#nested(branch.body, known);
    });
    if (node.orelse !== undefined) {
      this.#emit('} else {');
      this.#nested(node.orelse.body, known);
    }
    this.#emit('}');
    this.#known = -1;
  }

  /** Opens the labelled block that lets `break` skip a loop's else, if it has one. */
  #loopLabel(orelse: Section | undefined): string | undefined {
    if (orelse === undefined) return undefined;
    const label = `_tt_loop${this.#uid()}`;
    this.#emit(`${label}: {`);
    this.#depth++;
    return label;
  }

  #closeLoop(label: string | undefined, orelse: Section | undefined, header: number): void {
    if (label !== undefined && orelse !== undefined) {
      this.#known = header;
      this.#body(orelse.body);
      this.#flush();
      this.#depth--;
      this.#emit('}');
    }
    this.#known = -1;
  }

  #for(node: Node & { kind: 'for' }): void {
    this.#flush();
    const label = this.#loopLabel(node.orelse);
    const pattern = forTargetPattern(node.target);
    this.#assigns(pattern);
    this.#code(pattern, node.line, `for (var ${pattern} of []);`);
    const iterable = this.#code(node.iterable, node.line, `(${node.iterable}\n);`);
    this.#emit(`for (var ${pattern} of (${this.#at(node.line)}${close(iterable)})) {`);
    const header = this.#known;
    this.#loops.push({ label, header });
    this.#nested(node.body, header);
    // The iterator advances at the loop head: report errors there at the for line.
    if (this.#known !== header) this.#emit(`${INDENT}_tt_l = ${header};`);
    this.#loops.pop();
    this.#emit('}');
    this.#closeLoop(label, node.orelse, header);
  }

  #while(node: Node & { kind: 'while' }): void {
    this.#flush();
    const label = this.#loopLabel(node.orelse);
    const test = this.#code(node.test, node.line, `(${node.test}\n);`);
    const header = this.#location(node.line);
    // The test runs again after every iteration, so the location is always set.
    this.#emit(`while ((_tt_l = ${header}, ${close(test)})) {`);
    this.#loops.push({ label, header });
    this.#nested(node.body, header);
    this.#loops.pop();
    this.#emit('}');
    this.#closeLoop(label, node.orelse, header);
  }

  #jump(kind: 'break' | 'continue', line: number): void {
    this.#flush();
    const loop = this.#loops.at(-1);
    if (loop === undefined || loop === 'barrier') {
      // Possible only when a block written inside a loop is placed outside it by inheritance.
      throw new ParseError(`${kind} outside for/while block`, this.#file!.name, line);
    }
    if (kind === 'break') {
      this.#emit(loop.label === undefined ? 'break;' : `break ${loop.label};`);
    } else {
      this.#emit(`_tt_l = ${loop.header};`);
      this.#emit('continue;');
    }
  }

  #try(node: Node & { kind: 'try' }): void {
    this.#flush();
    const id = this.#uid();
    const start = this.#known;
    const { handlers, orelse, finalbody } = node;
    if (handlers.length === 0) {
      // try/finally (the parser guarantees a finally here, and no else without an except).
      this.#emit('try {');
      this.#tryBody(node.body, start);
      this.#emit('} finally {');
      this.#nested(finalbody?.body ?? [], -1);
      this.#emit('}');
      this.#known = -1;
      return;
    }
    const ok = `_tt_ok${id}`;
    if (finalbody !== undefined) {
      this.#emit('try {');
      this.#depth++;
    }
    // Python's try/else: the else body runs when the try body finished without an exception,
    // and exceptions raised in it are not handled by this try's except clauses.
    if (orelse !== undefined) this.#emit(`var ${ok} = false;`);
    this.#emit('try {');
    this.#tryBody(node.body, start);
    if (orelse !== undefined) this.#emit(`${INDENT}${ok} = true;`);
    const caught = `_tt_err${id}`;
    this.#emit(`} catch (${caught}) {`);
    this.#depth++;
    this.#handlers(node, caught, id);
    this.#depth--;
    this.#emit('}');
    if (orelse !== undefined) {
      this.#emit(`if (${ok}) {`);
      this.#nested(orelse.body, -1);
      this.#emit('}');
    }
    if (finalbody !== undefined) {
      this.#depth--;
      this.#emit('} finally {');
      this.#nested(finalbody.body, -1);
      this.#emit('}');
    }
    this.#known = -1;
  }

  #tryBody(body: Body, known: number): void {
    this.#tryBodies++;
    this.#nested(body, known);
    this.#tryBodies--;
  }

  #handlers(node: Node & { kind: 'try' }, caught: string, id: number): void {
    const saved = `_tt_at${id}`;
    // Testing the except clauses moves _tt_l; an error nobody handles keeps its own location.
    if (node.handlers.some((handler) => handler.types.length > 0))
      this.#emit(`var ${saved} = _tt_l;`);
    let catchAll = false;
    node.handlers.forEach((handler, index) => {
      const checks = handler.types.map((type) => {
        const code = this.#code(type, handler.line, `(${type}\n);`);
        return `${caught} instanceof (${close(code)})`;
      });
      const opening = index === 0 ? '' : '} else ';
      if (checks.length === 0) {
        catchAll = true;
        this.#emit(index === 0 ? '{' : '} else {');
      } else {
        this.#emit(
          `${opening}if ((_tt_l = ${this.#location(handler.line)}, ${checks.join(' || ')})) {`,
        );
      }
      if (handler.binding !== undefined) {
        this.#identifiers.add(handler.binding);
        this.#assigned.add(handler.binding);
        this.#emit(`${INDENT}var ${handler.binding} = ${caught};`);
      }
      this.#nested(handler.body, -1);
    });
    if (!catchAll) {
      this.#emit('} else {');
      this.#emit(`${INDENT}_tt_l = ${saved};`);
      this.#emit(`${INDENT}throw ${caught};`);
    }
    this.#emit('}');
  }

  #apply(node: Node & { kind: 'apply' }): void {
    this.#flush();
    const saved = `_tt_outer${this.#uid()}`;
    const fn = this.#code(node.fn, node.line, `(${node.fn}\n);`);
    // The body writes to a fresh buffer; finally puts the outer buffer back even on error, so an
    // enclosing {% try %} continues with the output as it was before the apply.
    this.#emit(`var ${saved} = _tt_o;`);
    this.#emit(`_tt_o = '';`);
    this.#emit('try {');
    this.#loops.push('barrier');
    // An error inside the apply discards its whole buffer, so its parts can be joined again.
    const tryBodies = this.#tryBodies;
    this.#tryBodies = 0;
    const start = this.#known;
    this.#nested(node.body, start);
    this.#tryBodies = tryBodies;
    this.#loops.pop();
    this.#emit(`${INDENT}${saved} += _tt_s((${this.#at(node.line)}${close(fn)})(_tt_o));`);
    this.#emit('} finally {');
    this.#emit(`${INDENT}_tt_o = ${saved};`);
    this.#emit('}');
  }
}

function assertNever(value: never): never {
  throw new Error(`unexpected node ${JSON.stringify(value)}`);
}
