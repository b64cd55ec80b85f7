/**
 * The `plural=` expression of a gettext catalog's `Plural-Forms` header, compiled to a function
 * from a count to the index of the plural form.
 *
 * The expression is a small C subset: `n`, decimal integers, parentheses, `!`, the binary
 * operators `* / % + - < > <= >= == != && ||` with C's precedence, and the right-associative
 * `? :`. A recursive-descent parser builds a tree of closures (never `eval`), so a hostile
 * catalog can do no more than pick a form. Comparisons and logic give 0 or 1 as in C; `/` and
 * `%` truncate as in C, and a division by zero yields -1, an index no catalog has, so the
 * caller falls back to the untranslated message.
 */

type Expr = (n: number) => number;

const TOKEN = /\s*(?:(\d+)|(n)|(&&|\|\||[<>!=]=|[-+*/%<>!?:()]))/y;
const MAX_LENGTH = 1000;
const MAX_DEPTH = 40;

const BINARY: ReadonlyArray<Readonly<Record<string, (a: number, b: number) => number>>> = [
  { '||': (a, b) => (a !== 0 || b !== 0 ? 1 : 0) },
  { '&&': (a, b) => (a !== 0 && b !== 0 ? 1 : 0) },
  { '==': (a, b) => (a === b ? 1 : 0), '!=': (a, b) => (a !== b ? 1 : 0) },
  {
    '<': (a, b) => (a < b ? 1 : 0),
    '>': (a, b) => (a > b ? 1 : 0),
    '<=': (a, b) => (a <= b ? 1 : 0),
    '>=': (a, b) => (a >= b ? 1 : 0),
  },
  { '+': (a, b) => a + b, '-': (a, b) => a - b },
  {
    '*': (a, b) => a * b,
    '/': (a, b) => (b === 0 ? Number.NaN : Math.trunc(a / b)),
    '%': (a, b) => (b === 0 ? Number.NaN : a % b),
  },
];

function tokenize(source: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < source.length) {
    if (/^\s*$/.test(source.slice(TOKEN.lastIndex))) break;
    const at = TOKEN.lastIndex;
    const match = TOKEN.exec(source);
    if (match === null) throw new SyntaxError(`unexpected ${JSON.stringify(source.slice(at))}`);
    const token = match[1] ?? match[2] ?? match[3]!;
    // A number or `n` glued to a letter ("nn", "2x") is not a token of the grammar.
    if (/^\w/.test(source.slice(TOKEN.lastIndex)) && /\w$/.test(token)) {
      throw new SyntaxError(`unexpected ${JSON.stringify(source.slice(at).trim())}`);
    }
    tokens.push(token);
  }
  return tokens;
}

class Parser {
  readonly #tokens: string[];
  #at = 0;
  #depth = 0;

  constructor(tokens: string[]) {
    this.#tokens = tokens;
  }

  parse(): Expr {
    const expr = this.#ternary();
    if (this.#at < this.#tokens.length) throw new SyntaxError(`unexpected "${this.#peek()}"`);
    return expr;
  }

  #peek(): string | undefined {
    return this.#tokens[this.#at];
  }

  #expect(token: string): void {
    if (this.#tokens[this.#at] !== token) {
      throw new SyntaxError(`expected "${token}", got ${this.#peek() ?? 'the end'}`);
    }
    this.#at++;
  }

  #ternary(): Expr {
    if (++this.#depth > MAX_DEPTH) throw new SyntaxError('expression nests too deeply');
    const test = this.#binary(0);
    let expr = test;
    if (this.#peek() === '?') {
      this.#at++;
      const then = this.#ternary();
      this.#expect(':');
      const otherwise = this.#ternary();
      expr = (n) => (test(n) !== 0 ? then(n) : otherwise(n));
    }
    this.#depth--;
    return expr;
  }

  #binary(level: number): Expr {
    const operators = BINARY[level];
    if (operators === undefined) return this.#unary();
    let left = this.#binary(level + 1);
    for (let op = this.#peek(); op !== undefined && Object.hasOwn(operators, op); ) {
      this.#at++;
      const apply = operators[op]!;
      const right = this.#binary(level + 1);
      const lhs = left;
      left = (n) => apply(lhs(n), right(n));
      op = this.#peek();
    }
    return left;
  }

  #unary(): Expr {
    const token = this.#peek();
    this.#at++;
    if (token === '!') {
      if (++this.#depth > MAX_DEPTH) throw new SyntaxError('expression nests too deeply');
      const operand = this.#unary();
      this.#depth--;
      return (n) => (operand(n) === 0 ? 1 : 0);
    }
    if (token === '(') {
      const inner = this.#ternary();
      this.#expect(')');
      return inner;
    }
    if (token === 'n') return (n) => n;
    if (token !== undefined && /^\d+$/.test(token)) {
      const value = Number(token);
      return () => value;
    }
    throw new SyntaxError(`unexpected ${token === undefined ? 'end' : `"${token}"`}`);
  }
}

/**
 * Compiles a gettext plural expression such as `(n != 1)` or Polish's
 * `(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2)` into a function from a
 * count to a plural-form index. Throws a `SyntaxError` naming the problem for anything outside
 * the C subset gettext allows.
 *
 * @see Tornado `gettext.c2py` (Python's standard library, used by `GettextLocale`)
 */
export function compilePluralExpression(source: string): (n: number) => number {
  if (source.length > MAX_LENGTH) throw new SyntaxError('plural expression is too long');
  const expr = new Parser(tokenize(source)).parse();
  return (n) => {
    const index = expr(n);
    return Number.isNaN(index) ? -1 : index;
  };
}

/** The rule of English and most Germanic languages: form 0 for one, form 1 otherwise. */
export const germanicPlural = (n: number): number => (n !== 1 ? 1 : 0);
