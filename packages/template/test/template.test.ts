// Ports of Tornado's template_test.py TemplateTest: the language basics.
import { describe, expect, it } from 'vitest';
import { DictLoader, ParseError, Template, toUnicode, utf8 } from '../src/index.js';

const upper = (s: string): string => s.toUpperCase();

describe('Template', () => {
  it('substitutes a namespace value (test_simple)', () => {
    expect(new Template('Hello {{ name }}!').generate({ name: 'Ben' })).toBe('Hello Ben!');
  });

  it('outputs byte values as UTF-8 text (test_bytes)', () => {
    expect(new Template('Hello {{ name }}!').generate({ name: utf8('Ben') })).toBe('Hello Ben!');
  });

  it('evaluates JavaScript expressions (test_expressions)', () => {
    expect(new Template('2 + 2 = {{ 2 + 2 }}').generate()).toBe('2 + 2 = 4');
  });

  it('drops {# comments #} (test_comment)', () => {
    expect(new Template('Hello{# TODO i18n #} {{ name }}!').generate({ name: 'Ben' })).toBe(
      'Hello Ben!',
    );
  });

  it('includes another template (test_include)', () => {
    const loader = new DictLoader({
      'index.html': '{% include "header.html" %}\nbody text',
      'header.html': 'header text',
    });
    expect(loader.load('index.html').generate()).toBe('header text\nbody text');
  });

  it('replaces the blocks of the template it extends (test_extends)', () => {
    const loader = new DictLoader({
      'base.html':
        '<title>{% block title %}default title{% end %}</title>\n' +
        '<body>{% block body %}default body{% end %}</body>\n',
      'page.html':
        '{% extends "base.html" %}\n' +
        '{% block title %}page title{% end %}\n' +
        '{% block body %}page body{% end %}\n',
    });
    expect(loader.load('page.html').generate()).toBe(
      '<title>page title</title>\n<body>page body</body>\n',
    );
  });

  it('resolves names relative to the including template (test_relative_load)', () => {
    const loader = new DictLoader({
      'a/1.html': "{% include '2.html' %}",
      'a/2.html': "{% include '../b/3.html' %}",
      'b/3.html': 'ok',
    });
    expect(loader.load('a/1.html').generate()).toBe('ok');
  });

  it('outputs {{! {%! {#! as literal delimiters (test_escaping)', () => {
    expect(() => new Template('{{')).toThrow(ParseError);
    expect(() => new Template('{%')).toThrow(ParseError);
    expect(new Template('{{!').generate()).toBe('{{');
    expect(new Template('{%!').generate()).toBe('{%');
    expect(new Template('{#!').generate()).toBe('{#');
    expect(new Template("{{ 'expr' }} {{!jquery expr}}").generate()).toBe('expr {{jquery expr}}');
  });

  it('decodes a UTF-8 template source (test_unicode_template)', () => {
    expect(new Template(utf8('\u00e9')).generate()).toBe('\u00e9');
  });

  it('accepts non-ASCII string literals in expressions (test_unicode_literal_expression)', () => {
    expect(new Template(utf8('{{ "\u00e9" }}')).generate()).toBe('\u00e9');
  });

  it("adds the loader's namespace (test_custom_namespace)", () => {
    const loader = new DictLoader(
      { 'test.html': '{{ inc(5) }}' },
      { namespace: { inc: (x: number) => x + 1 } },
    );
    expect(loader.load('test.html').generate()).toBe('6');
  });

  it('passes the body output to the apply function (test_apply)', () => {
    expect(new Template(utf8('{% apply upper %}foo{% end %}')).generate({ upper })).toBe('FOO');
  });

  it('applies to non-ASCII output (test_unicode_apply)', () => {
    const template = new Template(utf8('{% apply upper %}foo \u00e9{% end %}'));
    expect(template.generate({ upper })).toBe('FOO \u00c9');
  });

  it('accepts bytes returned by the apply function (test_bytes_apply)', () => {
    const upperBytes = (s: string): Uint8Array => utf8(toUnicode(s).toUpperCase());
    const template = new Template(utf8('{% apply upper %}foo \u00e9{% end %}'));
    expect(template.generate({ upper: upperBytes })).toBe('FOO \u00c9');
  });

  it('chooses a branch with if/else (test_if)', () => {
    const template = new Template(utf8('{% if x > 4 %}yes{% else %}no{% end %}'));
    expect(template.generate({ x: 5 })).toBe('yes');
    expect(template.generate({ x: 3 })).toBe('no');
  });

  it('allows empty if and else bodies (test_if_empty_body)', () => {
    expect(new Template(utf8('{% if true %}{% else %}{% end %}')).generate()).toBe('');
  });

  it('runs try/except/else/finally like Python (test_try)', () => {
    const template = new Template(
      utf8(
        '{% try %}\ntry{% set y = inverse(x) %}\n{% except %}-except\n' +
          '{% else %}-else\n{% finally %}-finally\n{% end %}',
      ),
    );
    const inverse = (x: number): number => {
      if (x === 0) throw new RangeError('division by zero');
      return 1 / x;
    };
    expect(template.generate({ x: 1, inverse })).toBe('\ntry\n-else\n-finally\n');
    expect(template.generate({ x: 0, inverse })).toBe('\ntry-except\n-finally\n');
  });

  it('drops {% comment %} directives (test_comment_directive)', () => {
    expect(new Template(utf8('{% comment blah blah %}foo')).generate()).toBe('foo');
  });

  it('supports break and continue in loops (test_break_continue)', () => {
    const template = new Template(
      utf8(`{% for i in [0, 1, 2, 3, 4, 5, 6, 7, 8, 9] %}
    {% if i == 2 %}
        {% continue %}
    {% end %}
    {{ i }}
    {% if i == 6 %}
        {% break %}
    {% end %}
{% end %}`),
    );
    expect(template.generate().replace(/\s+/g, '')).toBe('013456');
  });

  it('rejects break outside a loop (test_break_outside_loop)', () => {
    expect(() => new Template(utf8('{% break %}'))).toThrow(ParseError);
  });

  it('rejects break inside apply, even in a loop (test_break_in_apply)', () => {
    expect(
      () => new Template(utf8('{% for i in [] %}{% apply foo %}{% break %}{% end %}{% end %}')),
    ).toThrow(ParseError);
  });

  it('loads templates with non-ASCII names (test_non_ascii_name)', () => {
    const loader = new DictLoader({ 't\u00e9st.html': 'hello' });
    expect(loader.load('t\u00e9st.html').generate()).toBe('hello');
  });
});
