/**
 * Reading a URL regex as a template for `reverse`: literal text with holes where the capturing
 * groups are.
 *
 * The pattern is walked once. Outside groups only literal text is allowed: plain characters,
 * `.` (taken as itself, as Tornado does for the common unescaped dot), and backslash escapes of
 * punctuation (`\.` is `.`). Anything else that could match more than one string (`\d`, `[...]`,
 * `|`, `*`, a quantified group, a non-capturing or look-around group) makes the pattern
 * non-reversible. A group is skipped to its closing parenthesis (respecting escapes and character
 * classes); a nested group makes it non-reversible, which keeps holes and arguments one to one.
 * A group followed by `?` is optional: its argument may be left out (`undefined`).
 */

/** A reversible pattern: `literals[i]` comes before hole `i`; there is one more literal than holes. */
export interface ReverseTemplate {
  readonly literals: readonly string[];
  readonly optional: readonly boolean[];
}

const META = new Set(['*', '+', '?', '[', ']', '{', '}', '|', '^', '$', ')']);
const WORD = /[A-Za-z0-9]/;

/** Returns the index just past the `)` closing the group opened at `open`, or -1 if it cannot. */
function groupEnd(source: string, open: number): number {
  for (let i = open + 1; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') i++;
    else if (c === '(') return -1;
    else if (c === ')') return i + 1;
    else if (c === '[') {
      // Skip the class: `]` right after `[` or `[^` is a literal member.
      i++;
      if (source[i] === '^') i++;
      if (source[i] === ']') i++;
      while (i < source.length && source[i] !== ']') i += source[i] === '\\' ? 2 : 1;
      if (i >= source.length) return -1;
    }
  }
  return -1;
}

/**
 * Parses `source` (a regex source) into a {@link ReverseTemplate}, or returns `null` if it
 * cannot be reversed.
 *
 * @see Tornado `PathMatches._find_groups`
 */
export function reverseTemplate(source: string): ReverseTemplate | null {
  let body = source.startsWith('^') ? source.slice(1) : source;
  if (body.endsWith('$') && !body.endsWith('\\$')) body = body.slice(0, -1);
  const literals: string[] = [];
  const optional: boolean[] = [];
  let literal = '';
  let i = 0;
  while (i < body.length) {
    const c = body[i]!;
    if (c === '\\') {
      const next = body[i + 1];
      if (next === undefined || WORD.test(next)) return null;
      literal += next;
      i += 2;
    } else if (c === '(') {
      const named =
        body.startsWith('(?<', i) && !body.startsWith('(?<=', i) && !body.startsWith('(?<!', i);
      if (body[i + 1] === '?' && !named) return null;
      const end = groupEnd(body, i);
      if (end < 0) return null;
      const after = body[end];
      if (after === '*' || after === '+' || after === '{') return null;
      literals.push(literal);
      literal = '';
      optional.push(after === '?');
      i = after === '?' ? end + 1 : end;
    } else if (META.has(c)) {
      return null;
    } else {
      literal += c;
      i++;
    }
  }
  literals.push(literal);
  return { literals, optional };
}
