// Every syntax error is a ParseError that names the template and the line of the problem.
import { describe, expect, it } from 'vitest';
import { ParseError, Template, TemplateError } from '../src/index.js';
import { thrown } from './helpers.js';

function parseError(source: string): ParseError {
  const error = thrown(() => new Template(source, { name: 'p.html' }));
  expect(error).toBeInstanceOf(ParseError);
  return error as ParseError;
}

describe('parse errors', () => {
  it.each([
    ['{{ x', 'Missing end expression }} at p.html:1'],
    ['a\n{%', 'Missing end block %} at p.html:2'],
    ['{# never closed', 'Missing end comment #} at p.html:1'],
    ['{{  }}', 'Empty expression at p.html:1'],
    ['{% %}', 'Empty block tag ({% %}) at p.html:1'],
    ['\n{% if x %}\n', 'Missing {% end %} block for if at p.html:2'],
    ['{% for x in y %}{% if x %}{% end %}', 'Missing {% end %} block for for at p.html:1'],
    ['{% end %}', 'Extra {% end %} block at p.html:1'],
    ['{% else %}', 'else outside if/for/while/try block at p.html:1'],
    ['{% elif x %}', 'elif outside if block at p.html:1'],
    [
      '{% for x in y %}{% elif x %}{% end %}',
      'elif block cannot be attached to for block at p.html:1',
    ],
    ['{% if x %}{% except %}{% end %}', 'except block cannot be attached to if block at p.html:1'],
    [
      '{% block b %}{% else %}{% end %}',
      'else block cannot be attached to block block at p.html:1',
    ],
    ['{% if x %}{% else %}{% elif y %}{% end %}', 'elif after else in if block at p.html:1'],
    ['{% if x %}{% else %}{% else %}{% end %}', 'else after else in if block at p.html:1'],
    ['{% if x %}{% else if y %}{% end %}', 'else takes no expression; use elif at p.html:1'],
    ['{% if %}{% end %}', 'if missing condition at p.html:1'],
    ['{% if x %}{% elif %}{% end %}', 'elif missing condition at p.html:1'],
    ['{% for x %}{% end %}', 'for needs the form {% for TARGET in EXPRESSION %} at p.html:1'],
    ['{% for in xs %}{% end %}', 'for needs the form {% for TARGET in EXPRESSION %} at p.html:1'],
    ['{% while %}{% end %}', 'while missing condition at p.html:1'],
    ['{% for x in y %}{% else %}{% else %}{% end %}', 'else after else in for block at p.html:1'],
    ['{% try %}x{% end %}', 'try block needs an except or a finally at p.html:1'],
    [
      '{% try %}{% else %}{% finally %}{% end %}',
      'else in try block needs an except before it at p.html:1',
    ],
    [
      '{% try %}{% except %}{% except E %}{% end %}',
      'a catch-all except must be the last except at p.html:1',
    ],
    [
      '{% try %}{% finally %}{% except %}{% end %}',
      'except after finally in try block at p.html:1',
    ],
    [
      '{% try %}{% except %}{% else %}{% except %}{% end %}',
      'except after else in try block at p.html:1',
    ],
    [
      '{% try %}{% except E as 1 %}{% end %}',
      "except ... as needs a variable name, not '1' at p.html:1",
    ],
    [
      '{% try %}{% except (A,) %}{% end %}',
      "except has an empty exception type in '(A,)' at p.html:1",
    ],
    ['{% try %}{% finally x %}{% end %}', 'finally takes no expression at p.html:1'],
    ['\n\n{% break %}', 'break outside for/while block at p.html:3'],
    ['{% continue %}', 'continue outside for/while block at p.html:1'],
    [
      '{% for x in y %}{% apply f %}{% continue %}{% end %}{% end %}',
      'continue outside for/while block at p.html:1',
    ],
    ['{% set %}', 'set missing statement at p.html:1'],
    ['{% raw %}', 'raw missing expression at p.html:1'],
    ['{% module %}', 'module missing expression at p.html:1'],
    ['{% apply %}{% end %}', 'apply missing method name at p.html:1'],
    ['{% block %}{% end %}', 'block missing name at p.html:1'],
    ['{% include %}', 'include missing file path at p.html:1'],
    ['{% include "" %}', 'include missing file path at p.html:1'],
    ['{% autoescape %}', 'autoescape missing function name (None turns escaping off) at p.html:1'],
    [
      '{% whitespace tabs %}',
      'Invalid whitespace mode tabs; use all, single or oneline at p.html:1',
    ],
    [
      '{% import os %}',
      '{% import %} is not supported: put the modules a template needs in its namespace at p.html:1',
    ],
    [
      '{% from a import b %}',
      '{% from %} is not supported: put the modules a template needs in its namespace at p.html:1',
    ],
    ['{% frobnicate %}', "unknown operator: 'frobnicate' at p.html:1"],
    ['{% constructor %}', "unknown operator: 'constructor' at p.html:1"],
    ['{% __proto__ x %}', "unknown operator: '__proto__' at p.html:1"],
  ])('%s', (source, message) => {
    expect(parseError(source).message).toBe(message);
  });

  it('reports JavaScript syntax errors in template code at their line', () => {
    for (const [source, line] of [
      ['a\nb {{ 1 + }}', 2],
      ['\n\n{% if ) %}{% end %}', 3],
      ['{% for x in [1, %}{% end %}', 1],
      ['\n{% for 1 in xs %}{% end %}', 2],
      ['{% set x = = 1 %}', 1],
      ['{% set class = 1 %}', 1],
      ['\n{% try %}{% except ) %}{% end %}', 2],
      ['{% apply ( %}{% end %}', 1],
      ['\n\n\n{% module x( %}', 4],
      ['{% raw } %}', 1],
      ['{% while ( %}{% end %}', 1],
    ] as const) {
      const error = parseError(source);
      expect(error.message, source).toMatch(
        new RegExp(`^JavaScript syntax error: .* at p\\.html:${line}$`),
      );
      expect(error.cause, source).toBeInstanceOf(SyntaxError);
    }
  });

  it('reports a syntax error in the autoescape expression at its directive', () => {
    expect(parseError('\n{% autoescape a.( %}{{ x }}').message).toMatch(
      /^JavaScript syntax error: .* at p\.html:2$/,
    );
  });

  it('are TemplateErrors with a stable code', () => {
    const error = parseError('{{');
    expect(error).toBeInstanceOf(TemplateError);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('ParseError');
    expect(error.code).toBe('ERR_TEMPLATE_PARSE');
  });
});
