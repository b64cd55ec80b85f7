// Ports of Tornado's StackTraceTest and ParseErrorDetailTest: errors name the template and line.
import { describe, expect, it } from 'vitest';
import { DictLoader, ParseError, Template } from '../src/index.js';
import { frames, renderError, thrown } from './helpers.js';

const boom = (): never => {
  throw new RangeError('boom');
};

describe('render errors carry the template line', () => {
  it('for an expression (test_error_line_number_expression)', () => {
    const loader = new DictLoader({ 'test.html': 'one\ntwo{{ boom() }}\nthree\n        ' });
    const error = renderError(loader.load('test.html'), { boom });
    expect(error).toBeInstanceOf(RangeError);
    expect(frames(error)).toEqual(['test.html:2']);
    expect((error as Error).stack).toContain('at template (test.html:2)');
  });

  it('for a directive (test_error_line_number_directive)', () => {
    const loader = new DictLoader({ 'test.html': 'one\ntwo{%if boom()%}\nthree{%end%}\n        ' });
    expect(frames(renderError(loader.load('test.html'), { boom }))).toEqual(['test.html:2']);
  });

  it('for a template rendered by a module, both levels (test_error_line_number_module)', () => {
    const loader: DictLoader = new DictLoader(
      { 'base.html': "{% module Template('sub.html') %}", 'sub.html': '{{ null.x }}' },
      { namespace: { _tt_modules: { Template: (path: string) => loader.load(path).generate() } } },
    );
    const error = renderError(loader.load('base.html'));
    expect(error).toBeInstanceOf(TypeError);
    expect(frames(error)).toEqual(['sub.html:1', 'base.html:1']);
    const stack = (error as Error).stack ?? '';
    expect(stack.indexOf('(sub.html:1)')).toBeLessThan(stack.indexOf('(base.html:1)'));
  });

  it('through an include (test_error_line_number_include)', () => {
    const loader = new DictLoader({
      'base.html': "{% include 'sub.html' %}",
      'sub.html': '{{ boom() }}',
    });
    const error = renderError(loader.load('base.html'), { boom });
    expect(frames(error)).toEqual(['sub.html:1', 'base.html:1']);
    expect((error as Error).stack).toMatch(
      /at template \(sub\.html:1\)\n {4}at template \(base\.html:1\)/,
    );
  });

  it('in the base of an extending template (test_error_line_number_extends_base_error)', () => {
    const loader = new DictLoader({
      'base.html': '{{ boom() }}',
      'sub.html': "{% extends 'base.html' %}",
    });
    expect(frames(renderError(loader.load('sub.html'), { boom }))).toEqual(['base.html:1']);
  });

  it('in a block of the extending template (test_error_line_number_extends_sub_error)', () => {
    const loader = new DictLoader({
      'base.html': "{% block 'block' %}{% end %}",
      'sub.html':
        "\n{% extends 'base.html' %}\n{% block 'block' %}\n{{ boom() }}\n{% end %}\n            ",
    });
    expect(frames(renderError(loader.load('sub.html'), { boom }))).toEqual([
      'sub.html:4',
      'base.html:1',
    ]);
  });

  it('through nested includes (test_multi_includes)', () => {
    const loader = new DictLoader({
      'a.html': "{% include 'b.html' %}",
      'b.html': "{% include 'c.html' %}",
      'c.html': '{{ boom() }}',
    });
    expect(frames(renderError(loader.load('a.html'), { boom }))).toEqual([
      'c.html:1',
      'b.html:1',
      'a.html:1',
    ]);
  });
});

describe('ParseError', () => {
  it('names the template and line (test_details)', () => {
    const loader = new DictLoader({ 'foo.html': '\n\n{{' });
    const error = thrown(() => loader.load('foo.html'));
    expect(error).toBeInstanceOf(ParseError);
    const parseError = error as ParseError;
    expect(parseError.message).toBe('Missing end expression }} at foo.html:3');
    expect(parseError.filename).toBe('foo.html');
    expect(parseError.lineno).toBe(3);
    expect(parseError.detail).toBe('Missing end expression }}');
    expect(parseError.code).toBe('ERR_TEMPLATE_PARSE');
  });

  it('can be built with a message alone (test_custom_parse_error)', () => {
    const error = new ParseError('asdf');
    expect(error.message).toBe('asdf');
    expect(error.filename).toBeUndefined();
    expect(error.lineno).toBe(0);
    expect(String(error)).toBe('ParseError: asdf');
  });

  it('names the line of the unclosed block', () => {
    const error = thrown(() => new Template('a\n{% if x %}\nb\nc', { name: 'base.html' }));
    expect((error as ParseError).message).toBe('Missing {% end %} block for if at base.html:2');
  });
});

describe('render errors thrown again', () => {
  it('carry the frames of the latest render only', () => {
    const shared = new RangeError('shared');
    const template = new Template('a\n{{ fail() }}', { name: 'again.html' });
    const fail = (): never => {
      throw shared;
    };
    for (let i = 0; i < 3; i++) {
      expect(renderError(template, { fail })).toBe(shared);
      expect(frames(shared)).toEqual(['again.html:2']);
      expect(shared.stack?.match(/at template/g)).toHaveLength(1);
    }
  });

  it('keep nested renders of one outer render together', () => {
    const loader: DictLoader = new DictLoader(
      {
        'outer.html': "x\n{% module Render('inner.html') %}",
        'inner.html': '{{ null.x }}',
      },
      { namespace: { _tt_modules: { Render: (name: string) => loader.load(name).generate() } } },
    );
    for (let i = 0; i < 2; i++) {
      const error = renderError(loader.load('outer.html'));
      expect(frames(error)).toEqual(['inner.html:1', 'outer.html:2']);
    }
  });

  it('leave thrown non-objects and frozen errors unchanged', () => {
    const template = new Template('{{ fail() }}');
    expect(
      renderError(template, {
        fail: () => {
          throw 'text';
        },
      }),
    ).toBe('text');
    const frozen = Object.freeze(new Error('frozen'));
    const stack = frozen.stack;
    expect(
      renderError(template, {
        fail: () => {
          throw frozen;
        },
      }),
    ).toBe(frozen);
    expect(frozen.stack).toBe(stack);
  });
});
