/**
 * The template parser: source text to a {@link ParsedFile}.
 *
 * It scans for the next `{{`, `{%` or `{#` (when three or more braces are in a row, the innermost
 * pair opens the tag, which helps when generating languages that use braces themselves), turns
 * the text before it into a text node, and handles the tag. `{{!`, `{%!` and `{#!` output their
 * first two characters literally. A control block's body is parsed recursively until its
 * `{% end %}`; an intermediate tag (`elif`, `else`, `except`, `finally`) ends one section and
 * starts the next. The tag vocabulary, the error messages and the rules about where `break`,
 * `continue` and intermediate tags may appear follow Tornado; where Tornado would only fail later
 * with a Python syntax error (an `else` before an `elif`, a `try` without `except`), this parser
 * reports a ParseError at the offending tag.
 */

import type { WhitespaceMode } from '../whitespace.js';
import { filterWhitespace, isWhitespaceMode } from '../whitespace.js';
import {
  isBindableName,
  splitAtKeyword,
  splitTopLevelCommas,
  unwrapParentheses,
} from './js-syntax.js';
import type { Body, ExceptClause, FileInfo, Node, ParsedFile, Section } from './nodes.js';
import { TemplateReader } from './reader.js';

/** How a section of a block ended. */
type Stop =
  | { readonly kind: 'eof' }
  | { readonly kind: 'end' }
  | {
      readonly kind: 'intermediate';
      readonly operator: string;
      readonly suffix: string;
      readonly line: number;
    };

interface Parsed {
  readonly body: Node[];
  readonly stop: Stop;
}

interface State {
  readonly reader: TemplateReader;
  readonly file: FileInfo;
  extends: { name: string; line: number } | undefined;
}

// Which block each intermediate tag may continue.
const INTERMEDIATE: ReadonlyMap<string, readonly string[]> = new Map([
  ['else', ['if', 'for', 'while', 'try']],
  ['elif', ['if']],
  ['except', ['try']],
  ['finally', ['try']],
]);

/**
 * Parses template source.
 *
 * @param autoescape the file's initial autoescape function name (`{% autoescape %}` overrides it)
 * @throws ParseError for any syntax error, naming the template and line
 */
export function parseTemplate(
  name: string,
  source: string,
  whitespace: WhitespaceMode,
  autoescape: string | null,
): ParsedFile {
  const state: State = {
    reader: new TemplateReader(name, source, whitespace),
    file: { name, autoescape, autoescapeLine: 0 },
    extends: undefined,
  };
  const { body } = parseSection(state, undefined, false, 0);
  return { info: state.file, body, extends: state.extends };
}

function pushText(body: Node[], text: string, whitespace: WhitespaceMode): void {
  // A crude guard, as in Tornado: text with a <pre> keeps its whitespace.
  const value = text.includes('<pre>') ? text : filterWhitespace(whitespace, text);
  if (value === '') return;
  const last = body[body.length - 1];
  if (last?.kind === 'text') body[body.length - 1] = { kind: 'text', value: last.value + value };
  else body.push({ kind: 'text', value });
}

/** Moves the reader to the next tag, emitting the text before it; false at the end of input. */
function advanceToTag(state: State, body: Node[]): boolean {
  const { reader } = state;
  let curly = 0;
  for (;;) {
    curly = reader.find('{', curly);
    if (curly === -1 || curly + 1 === reader.remaining) return false;
    const next = reader.peek(curly + 1);
    if (next !== '{' && next !== '%' && next !== '#') {
      curly += 1;
      continue;
    }
    // With three or more braces in a row, the innermost pair opens the tag.
    if (next === '{' && curly + 2 < reader.remaining && reader.peek(curly + 2) === '{') {
      curly += 1;
      continue;
    }
    break;
  }
  if (curly > 0) pushText(body, reader.consume(curly), reader.whitespace);
  return true;
}

/**
 * Parses nodes until the end of input (top level), or until the `{% end %}` or intermediate tag
 * that ends a section of the block `block` opened on line `openLine`.
 */
function parseSection(
  state: State,
  block: string | undefined,
  inLoop: boolean,
  openLine: number,
): Parsed {
  const { reader } = state;
  const body: Node[] = [];
  for (;;) {
    if (!advanceToTag(state, body)) {
      if (block !== undefined) {
        throw reader.error(`Missing {% end %} block for ${block}`, openLine);
      }
      pushText(body, reader.consume(), reader.whitespace);
      return { body, stop: { kind: 'eof' } };
    }
    const opener = reader.consume(2);
    const line = reader.line;

    // {{! {%! {#! stand for the braces themselves.
    if (reader.peek(0) === '!') {
      reader.consume(1);
      pushText(body, opener, reader.whitespace);
      continue;
    }
    if (opener === '{#') {
      const end = reader.find('#}');
      if (end === -1) throw reader.error('Missing end comment #}');
      reader.consume(end + 2);
      continue;
    }
    if (opener === '{{') {
      const end = reader.find('}}');
      if (end === -1) throw reader.error('Missing end expression }}');
      const code = reader.consume(end).trim();
      reader.consume(2);
      if (code === '') throw reader.error('Empty expression', line);
      body.push({ kind: 'output', code, line, mode: 'escaped' });
      continue;
    }

    const end = reader.find('%}');
    if (end === -1) throw reader.error('Missing end block %}');
    const contents = reader.consume(end).trim();
    reader.consume(2);
    if (contents === '') throw reader.error('Empty block tag ({% %})', line);
    const space = contents.search(/\s/);
    const operator = space === -1 ? contents : contents.slice(0, space);
    const suffix = space === -1 ? '' : contents.slice(space).trim();

    const parents = INTERMEDIATE.get(operator);
    if (parents !== undefined) {
      if (block === undefined) {
        throw reader.error(`${operator} outside ${parents.join('/')} block`, line);
      }
      if (!parents.includes(block)) {
        throw reader.error(`${operator} block cannot be attached to ${block} block`, line);
      }
      return { body, stop: { kind: 'intermediate', operator, suffix, line } };
    }
    if (operator === 'end') {
      if (block === undefined) throw reader.error('Extra {% end %} block', line);
      return { body, stop: { kind: 'end' } };
    }
    const node = parseTag(state, operator, suffix, line, block, inLoop);
    if (node !== undefined) body.push(node);
  }
}

function stripQuotes(text: string): string {
  return text.replace(/^"+|"+$/g, '').replace(/^'+|'+$/g, '');
}

function required(state: State, suffix: string, line: number, what: string): string {
  if (suffix === '') throw state.reader.error(what, line);
  return suffix;
}

/** Handles one `{% operator suffix %}` tag; returns the node to add, if any. */
function parseTag(
  state: State,
  operator: string,
  suffix: string,
  line: number,
  block: string | undefined,
  inLoop: boolean,
): Node | undefined {
  const { reader } = state;
  switch (operator) {
    case 'comment':
      return undefined;
    case 'extends': {
      const name = stripQuotes(suffix);
      required(state, name, line, 'extends missing file path');
      if (block !== undefined) {
        throw reader.error('{% extends %} must be at the top level of the template', line);
      }
      if (state.extends !== undefined) {
        throw reader.error(
          `Template already extends "${state.extends.name}" (line ${state.extends.line})`,
          line,
        );
      }
      state.extends = { name, line };
      return undefined;
    }
    case 'include': {
      const name = stripQuotes(suffix);
      required(state, name, line, 'include missing file path');
      return { kind: 'include', line, name, from: reader.name };
    }
    case 'set':
      return { kind: 'set', line, code: required(state, suffix, line, 'set missing statement') };
    case 'raw':
      return {
        kind: 'output',
        line,
        mode: 'raw',
        code: required(state, suffix, line, 'raw missing expression'),
      };
    case 'module':
      return {
        kind: 'output',
        line,
        mode: 'module',
        code: required(state, suffix, line, 'module missing expression'),
      };
    case 'autoescape': {
      const fn = required(
        state,
        suffix,
        line,
        'autoescape missing function name (None turns escaping off)',
      );
      state.file.autoescape = fn === 'None' || fn === 'null' ? null : fn;
      state.file.autoescapeLine = line;
      return undefined;
    }
    case 'whitespace': {
      if (!isWhitespaceMode(suffix)) {
        throw reader.error(`Invalid whitespace mode ${suffix}; use all, single or oneline`, line);
      }
      reader.whitespace = suffix;
      return undefined;
    }
    case 'import':
    case 'from':
      throw reader.error(
        `{% ${operator} %} is not supported: put the modules a template needs in its namespace`,
        line,
      );
    case 'break':
    case 'continue':
      if (!inLoop) throw reader.error(`${operator} outside for/while block`, line);
      return { kind: operator, line };
    case 'if':
      return parseIf(state, required(state, suffix, line, 'if missing condition'), line, inLoop);
    case 'for':
    case 'while':
      return parseLoop(state, operator, suffix, line, inLoop);
    case 'try':
      return parseTry(state, line, inLoop);
    case 'apply': {
      const fn = required(state, suffix, line, 'apply missing method name');
      // The body becomes the argument of a call, so break/continue cannot reach a loop outside.
      return { kind: 'apply', line, fn, body: parseEnded(state, 'apply', false, line) };
    }
    case 'block': {
      const name = required(state, suffix, line, 'block missing name');
      return {
        kind: 'block',
        line,
        name,
        body: parseEnded(state, 'block', inLoop, line),
        file: state.file,
      };
    }
    default:
      throw reader.error(`unknown operator: '${operator}'`, line);
  }
}

/** Parses the body of a block that takes no intermediate tags. */
function parseEnded(state: State, block: string, inLoop: boolean, line: number): Body {
  return parseSection(state, block, inLoop, line).body;
}

function parseIf(state: State, test: string, line: number, inLoop: boolean): Node {
  const branches: (Section & { test: string })[] = [];
  let orelse: Section | undefined;
  let section = parseSection(state, 'if', inLoop, line);
  branches.push({ test, line, body: section.body });
  while (section.stop.kind === 'intermediate') {
    const tag = section.stop;
    if (orelse !== undefined) {
      throw state.reader.error(`${tag.operator} after else in if block`, tag.line);
    }
    section = parseSection(state, 'if', inLoop, line);
    if (tag.operator === 'elif') {
      const condition = required(state, tag.suffix, tag.line, 'elif missing condition');
      branches.push({ test: condition, line: tag.line, body: section.body });
    } else {
      noSuffix(state, tag);
      orelse = { line: tag.line, body: section.body };
    }
  }
  return { kind: 'if', branches, orelse };
}

function noSuffix(state: State, tag: { operator: string; suffix: string; line: number }): void {
  if (tag.suffix !== '') {
    const hint = tag.operator === 'else' ? '; use elif' : '';
    throw state.reader.error(`${tag.operator} takes no expression${hint}`, tag.line);
  }
}

function parseLoop(
  state: State,
  operator: 'for' | 'while',
  suffix: string,
  line: number,
  inLoop: boolean,
): Node {
  let header: { target: string; iterable: string } | undefined;
  if (operator === 'for') {
    const parts = splitAtKeyword(suffix, ['in', 'of']);
    if (parts === undefined || parts.before === '' || parts.after === '') {
      throw state.reader.error('for needs the form {% for TARGET in EXPRESSION %}', line);
    }
    header = { target: parts.before, iterable: parts.after };
  } else {
    required(state, suffix, line, 'while missing condition');
  }
  const section = parseSection(state, operator, true, line);
  let orelse: Section | undefined;
  if (section.stop.kind === 'intermediate') {
    // Only else can get here (INTERMEDIATE); its body is outside the loop.
    noSuffix(state, section.stop);
    const elseLine = section.stop.line;
    const rest = parseSection(state, operator, inLoop, line);
    if (rest.stop.kind === 'intermediate') {
      throw state.reader.error(
        `${rest.stop.operator} after else in ${operator} block`,
        rest.stop.line,
      );
    }
    orelse = { line: elseLine, body: rest.body };
  }
  if (header !== undefined) {
    return { kind: 'for', line, ...header, body: section.body, orelse };
  }
  return { kind: 'while', line, test: suffix, body: section.body, orelse };
}

function parseExcept(state: State, suffix: string, line: number): Omit<ExceptClause, 'body'> {
  let typesText = suffix;
  let binding: string | undefined;
  const parts = splitAtKeyword(suffix, ['as'], true);
  if (parts !== undefined) {
    typesText = parts.before;
    binding = parts.after;
    if (!isBindableName(binding)) {
      throw state.reader.error(`except ... as needs a variable name, not '${binding}'`, line);
    }
  }
  const types = typesText === '' ? [] : splitTopLevelCommas(unwrapParentheses(typesText));
  if (types.some((type) => type === '')) {
    throw state.reader.error(`except has an empty exception type in '${suffix}'`, line);
  }
  return { line, types, binding };
}

function parseTry(state: State, line: number, inLoop: boolean): Node {
  const handlers: ExceptClause[] = [];
  let orelse: Section | undefined;
  let finalbody: Section | undefined;
  let section = parseSection(state, 'try', inLoop, line);
  const body = section.body;
  while (section.stop.kind === 'intermediate') {
    const tag = section.stop;
    const fail = (detail: string): never => {
      throw state.reader.error(detail, tag.line);
    };
    if (finalbody !== undefined) fail(`${tag.operator} after finally in try block`);
    section = parseSection(state, 'try', inLoop, line);
    if (tag.operator === 'except') {
      if (orelse !== undefined) fail('except after else in try block');
      if (handlers.at(-1)?.types.length === 0) fail('a catch-all except must be the last except');
      handlers.push({ ...parseExcept(state, tag.suffix, tag.line), body: section.body });
    } else if (tag.operator === 'else') {
      noSuffix(state, tag);
      if (handlers.length === 0) fail('else in try block needs an except before it');
      if (orelse !== undefined) fail('else after else in try block');
      orelse = { line: tag.line, body: section.body };
    } else {
      noSuffix(state, tag);
      finalbody = { line: tag.line, body: section.body };
    }
  }
  if (handlers.length === 0 && finalbody === undefined) {
    throw state.reader.error('try block needs an except or a finally', line);
  }
  return { kind: 'try', line, body, handlers, orelse, finalbody };
}
