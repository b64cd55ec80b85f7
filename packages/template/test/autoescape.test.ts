// Ports of Tornado's AutoEscapeTest: autoescape settings and whitespace modes.
import { describe, expect, it } from 'vitest';
import { DictLoader } from '../src/index.js';

const templates = {
  'escaped.html': '{% autoescape xhtmlEscape %}{{ name }}',
  'unescaped.html': '{% autoescape None %}{{ name }}',
  'default.html': '{{ name }}',
  'include.html':
    "escaped: {% include 'escaped.html' %}\n" +
    "unescaped: {% include 'unescaped.html' %}\n" +
    "default: {% include 'default.html' %}\n",
  'escaped_block.html': '{% autoescape xhtmlEscape %}{% block name %}base: {{ name }}{% end %}',
  'unescaped_block.html': '{% autoescape None %}{% block name %}base: {{ name }}{% end %}',
  // Extend a base template with a different autoescape policy, with and without overriding
  // the base's blocks.
  'escaped_extends_unescaped.html':
    '{% autoescape xhtmlEscape %}{% extends "unescaped_block.html" %}',
  'escaped_overrides_unescaped.html':
    '{% autoescape xhtmlEscape %}{% extends "unescaped_block.html" %}' +
    '{% block name %}extended: {{ name }}{% end %}',
  'unescaped_extends_escaped.html': '{% autoescape None %}{% extends "escaped_block.html" %}',
  'unescaped_overrides_escaped.html':
    '{% autoescape None %}{% extends "escaped_block.html" %}' +
    '{% block name %}extended: {{ name }}{% end %}',
  'raw_expression.html': '{% autoescape xhtmlEscape %}expr: {{ name }}\nraw: {% raw name %}',
};

describe('autoescape', () => {
  it('can be off by default in the loader (test_default_off)', () => {
    const loader = new DictLoader(templates, { autoescape: null });
    const name = 'Bobby <table>s';
    expect(loader.load('escaped.html').generate({ name })).toBe('Bobby &lt;table&gt;s');
    expect(loader.load('unescaped.html').generate({ name })).toBe('Bobby <table>s');
    expect(loader.load('default.html').generate({ name })).toBe('Bobby <table>s');
    expect(loader.load('include.html').generate({ name })).toBe(
      'escaped: Bobby &lt;table&gt;s\nunescaped: Bobby <table>s\ndefault: Bobby <table>s\n',
    );
  });

  it('is on by default, per file (test_default_on)', () => {
    const loader = new DictLoader(templates, { autoescape: 'xhtmlEscape' });
    const name = 'Bobby <table>s';
    expect(loader.load('escaped.html').generate({ name })).toBe('Bobby &lt;table&gt;s');
    expect(loader.load('unescaped.html').generate({ name })).toBe('Bobby <table>s');
    expect(loader.load('default.html').generate({ name })).toBe('Bobby &lt;table&gt;s');
    expect(loader.load('include.html').generate({ name })).toBe(
      'escaped: Bobby &lt;table&gt;s\nunescaped: Bobby <table>s\ndefault: Bobby &lt;table&gt;s\n',
    );
  });

  it('applies inside blocks of a template that is not extended (test_unextended_block)', () => {
    const loader = new DictLoader(templates);
    const name = '<script>';
    expect(loader.load('escaped_block.html').generate({ name })).toBe('base: &lt;script&gt;');
    expect(loader.load('unescaped_block.html').generate({ name })).toBe('base: <script>');
  });

  it('follows the file each block is written in (test_extended_block)', () => {
    const loader = new DictLoader(templates);
    const render = (file: string): string => loader.load(file).generate({ name: '<script>' });
    expect(render('escaped_extends_unescaped.html')).toBe('base: <script>');
    expect(render('escaped_overrides_unescaped.html')).toBe('extended: &lt;script&gt;');
    expect(render('unescaped_extends_escaped.html')).toBe('base: &lt;script&gt;');
    expect(render('unescaped_overrides_escaped.html')).toBe('extended: <script>');
  });

  it('never applies to {% raw %} (test_raw_expression)', () => {
    const loader = new DictLoader(templates);
    expect(loader.load('raw_expression.html').generate({ name: '<>&"' })).toBe(
      'expr: &lt;&gt;&amp;&quot;\nraw: <>&"',
    );
  });

  it('can name any function of the namespace (test_custom_escape)', () => {
    const loader = new DictLoader({ 'foo.py': '{% autoescape jsString %}s = {{ name }}\n' });
    const received: unknown[] = [];
    const jsString = (s: unknown): string => {
      received.push(s);
      return JSON.stringify(s);
    };
    const render = (name: unknown): string => loader.load('foo.py').generate({ jsString, name });
    expect(render('<html>')).toBe('s = "<html>"\n');
    expect(render("';sys.exit()")).toBe(`s = "';sys.exit()"\n`);
    // The value is converted to text first, as Tornado does with str().
    expect(render(['not a string'])).toBe('s = "not a string"\n');
    expect(received.every((value) => typeof value === 'string')).toBe(true);
  });
});

describe('whitespace', () => {
  it('may be minimised by hand inside tags (test_manual_minimize_whitespace)', () => {
    const loader = new DictLoader({
      'foo.txt': '{% for i in items\n  %}{% if i > 0 %}, {% end %}{#\n  #}{{i\n  }}{% end\n%}',
    });
    expect(loader.load('foo.txt').generate({ items: [0, 1, 2, 3, 4] })).toBe('0, 1, 2, 3, 4');
  });

  it('defaults by file name, per file (test_whitespace_by_filename)', () => {
    const loader = new DictLoader({
      'foo.html': '   \n\t\n asdf\t   ',
      'bar.js': ' \n\n\n\t qwer     ',
      'baz.txt': '\t    zxcv\n\n',
      'include.html': '  {% include baz.txt %} \n ',
      'include.txt': '\t\t{% include foo.html %}    ',
    });
    // HTML and JS files have whitespace compressed by default; text files do not.
    expect(loader.load('foo.html').generate()).toBe('\nasdf ');
    expect(loader.load('bar.js').generate()).toBe('\nqwer ');
    expect(loader.load('baz.txt').generate()).toBe('\t    zxcv\n\n');
    // Each file keeps its own mode when included in a file of the other kind.
    expect(loader.load('include.html').generate()).toBe(' \t    zxcv\n\n\n');
    expect(loader.load('include.txt').generate()).toBe('\t\t\nasdf     ');
  });

  it('can be set for all templates by the loader (test_whitespace_by_loader)', () => {
    const sources = { 'foo.html': '\t\tfoo\n\n', 'bar.txt': '\t\tbar\n\n' };
    let loader = new DictLoader(sources, { whitespace: 'all' });
    expect(loader.load('foo.html').generate()).toBe('\t\tfoo\n\n');
    expect(loader.load('bar.txt').generate()).toBe('\t\tbar\n\n');
    loader = new DictLoader(sources, { whitespace: 'single' });
    expect(loader.load('foo.html').generate()).toBe(' foo\n');
    expect(loader.load('bar.txt').generate()).toBe(' bar\n');
    loader = new DictLoader(sources, { whitespace: 'oneline' });
    expect(loader.load('foo.html').generate()).toBe(' foo ');
    expect(loader.load('bar.txt').generate()).toBe(' bar ');
  });

  it('changes from a {% whitespace %} directive on (test_whitespace_directive)', () => {
    const loader = new DictLoader({
      'foo.html': `{% whitespace oneline %}
    {% for i in [0, 1, 2] %}
        {{ i }}
    {% end %}
{% whitespace all %}
    pre\tformatted
`,
    });
    expect(loader.load('foo.html').generate()).toBe('  0  1  2  \n    pre\tformatted\n');
  });
});
