/**
 * Just enough JavaScript lexing to place template code fragments correctly: finding the `in` of
 * `{% for x in xs %}` or the `as` of `{% except E as e %}` outside brackets and literals, telling
 * a declaration (`{% set x = 1 %}`) from another statement, and listing the identifiers a
 * fragment mentions. It is not a parser: V8 validates the generated code, and errors are mapped
 * back to the template line by the code generator.
 *
 * The scanner skips string literals, template literals, comments and (by the usual heuristic on
 * the previous significant character) regular expression literals, and tracks bracket depth.
 */

const IDENTIFIER = /^[\p{ID_Start}$_][\p{ID_Continue}$\u200c\u200d]*$/u;
const IDENTIFIER_ANYWHERE = /[\p{ID_Start}$_][\p{ID_Continue}$\u200c\u200d]*/gu;
const IDENTIFIER_CHAR = /[\p{ID_Continue}$\u200c\u200d]/u;

// Words that cannot be bound as variables in strict-mode code.
const RESERVED: ReadonlySet<string> = new Set(
  (
    'arguments await break case catch class const continue debugger default delete do else enum ' +
    'eval export extends false finally for function if implements import in instanceof interface ' +
    'let new null package private protected public return static super switch this throw true ' +
    'try typeof var void while with yield'
  ).split(' '),
);

/** True when `name` can be declared as a variable in strict-mode code. */
export function isBindableName(name: string): boolean {
  return IDENTIFIER.test(name) && !RESERVED.has(name);
}

/** Every identifier-shaped word in `code` (a superset of the variables it refers to). */
export function identifiersIn(code: string): string[] {
  return code.match(IDENTIFIER_ANYWHERE) ?? [];
}

const OPENERS = '([{';
const CLOSERS = ')]}';
// A `/` after one of these (or at the start) begins a regular expression literal.
const REGEX_BEFORE = '(,=:[!&|?{};~+-*%<>^';

/**
 * Calls `visit(index, depth)` for every character of `code` outside literals and comments, with
 * the bracket depth before that character. Stops early when `visit` returns true and returns that
 * index; returns -1 otherwise.
 */
function scan(code: string, visit: (index: number, depth: number) => boolean): number {
  let depth = 0;
  let previous = '';
  for (let i = 0; i < code.length; i++) {
    const c = code[i]!;
    if (c === '"' || c === "'" || c === '`') {
      i = skipQuoted(code, i, c);
      previous = c;
      continue;
    }
    if (c === '/' && code[i + 1] === '/') {
      const end = code.indexOf('\n', i);
      i = end === -1 ? code.length : end;
      continue;
    }
    if (c === '/' && code[i + 1] === '*') {
      const end = code.indexOf('*/', i + 2);
      i = end === -1 ? code.length : end + 1;
      continue;
    }
    if (c === '/' && (previous === '' || REGEX_BEFORE.includes(previous))) {
      i = skipRegex(code, i);
      previous = '/';
      continue;
    }
    if (visit(i, depth)) return i;
    if (OPENERS.includes(c)) depth++;
    else if (CLOSERS.includes(c)) depth--;
    if (!/\s/.test(c)) previous = c;
  }
  return -1;
}

function skipQuoted(code: string, start: number, quote: string): number {
  for (let i = start + 1; i < code.length; i++) {
    if (code[i] === '\\') i++;
    else if (code[i] === quote) return i;
  }
  return code.length;
}

function skipRegex(code: string, start: number): number {
  let inClass = false;
  for (let i = start + 1; i < code.length; i++) {
    const c = code[i];
    if (c === '\\') i++;
    else if (c === '[') inClass = true;
    else if (c === ']') inClass = false;
    else if (c === '/' && !inClass) {
      while (i + 1 < code.length && IDENTIFIER_CHAR.test(code[i + 1]!)) i++;
      return i;
    }
  }
  return code.length;
}

function isWordAt(code: string, index: number, word: string): boolean {
  if (!code.startsWith(word, index)) return false;
  const before = code[index - 1];
  const after = code[index + word.length];
  return (
    (before === undefined || !IDENTIFIER_CHAR.test(before)) &&
    (after === undefined || !IDENTIFIER_CHAR.test(after))
  );
}

/**
 * Splits `code` at the first (or, with `last`, the final) top-level occurrence of one of `words`,
 * as a whole word. Returns the trimmed parts and the word found, or undefined.
 */
export function splitAtKeyword(
  code: string,
  words: readonly string[],
  last = false,
): { before: string; word: string; after: string } | undefined {
  let found: { index: number; word: string } | undefined;
  scan(code, (index, depth) => {
    if (depth !== 0) return false;
    const word = words.find((w) => isWordAt(code, index, w));
    if (word === undefined) return false;
    found = { index, word };
    return !last;
  });
  if (found === undefined) return undefined;
  return {
    before: code.slice(0, found.index).trim(),
    word: found.word,
    after: code.slice(found.index + found.word.length).trim(),
  };
}

/** Splits `code` at its top-level commas (trimmed parts). */
export function splitTopLevelCommas(code: string): string[] {
  const parts: string[] = [];
  let start = 0;
  scan(code, (index, depth) => {
    if (depth === 0 && code[index] === ',') {
      parts.push(code.slice(start, index).trim());
      start = index + 1;
    }
    return false;
  });
  parts.push(code.slice(start).trim());
  return parts;
}

/** Index of the bracket that closes the one at `open`, or -1. */
function closingBracket(code: string, open: number): number {
  let result = -1;
  scan(code, (index, depth) => {
    if (index <= open) return false;
    if (depth === 1 && CLOSERS.includes(code[index]!)) {
      result = index;
      return true;
    }
    return false;
  });
  return result;
}

/** If `code` is wholly wrapped in one pair of parentheses, the inside; otherwise `code`. */
export function unwrapParentheses(code: string): string {
  const text = code.trim();
  if (text.startsWith('(') && closingBracket(text, 0) === text.length - 1) {
    return text.slice(1, -1).trim();
  }
  return text;
}

/**
 * Turns the target of `{% for TARGET in ... %}` into a JavaScript binding pattern: Python's
 * `k, v` and `(k, v)` become `[k, v]`; a name or a JavaScript pattern is kept.
 */
export function forTargetPattern(target: string): string {
  const inner = unwrapParentheses(target);
  const parts = splitTopLevelCommas(inner);
  if (parts.length > 1) return `[${parts.map(forTargetPattern).join(', ')}]`;
  return inner;
}

/**
 * The binding target when a `{% set %}` statement declares names, and so is emitted as a `var`
 * declaration: `x` for `x = 1` (and `x = 1, y = 2`), `[a, b]` for `[a, b] = pair`, `{ a }` for
 * `{ a } = obj`. Undefined for other statements (`x += 1`, `obj.x = 1`, `f()`), which are
 * emitted as they are.
 */
export function declarationTarget(statement: string): string | undefined {
  const text = statement.trim();
  let end: number;
  if (text.startsWith('[') || text.startsWith('{')) {
    end = closingBracket(text, 0) + 1;
    if (end === 0) return undefined;
  } else {
    const match = /^[\p{ID_Start}$_][\p{ID_Continue}$\u200c\u200d]*/u.exec(text);
    if (match === null || RESERVED.has(match[0])) return undefined;
    end = match[0].length;
  }
  const rest = text.slice(end).trimStart();
  const isAssignment = rest.startsWith('=') && rest[1] !== '=' && rest[1] !== '>';
  return isAssignment ? text.slice(0, end) : undefined;
}
